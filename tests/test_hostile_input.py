"""No input makes a page of the project answer 5xx.

Every URL of the URLconf (`tests.urls.iter_named_patterns`) is sent hostile values: long
strings, NUL, control and right-to-left characters, emoji, extreme and malformed dates and
numbers, unknown choices, duplicated fields. They go in the query string, which the lists
read, and in a POST body, which the forms read (the test client skips the CSRF check),
as staff and as a partner. The fields are those of the page's own forms, plus the query
parameters the lists read: each example gives every field of one kind (text, date or
number) a hostile value and the others a valid one, so that the form lets it through to
the code behind. The values that broke pages once are sent to every page on every run;
Hypothesis draws the rest. A URL added with arguments fails
`test_every_url_is_given_its_arguments` until it is listed here; one without is fuzzed
from the day it exists.

The Django admin's lists, and the import page (its file field is fuzzed by
tests/echanges/test_import_properties.py), get the hostile query strings only; the admin's
forms are Django's own.

PostgreSQL refuses a NUL in any query (run this file with DATABASE_URL pointing to one);
on SQLite, `nul_refuse_comme_postgresql` refuses them the same way.
"""

import datetime
import random
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from comptes.models import User
from tests.agenda.helpers import jeton_du_chemin, nouveau_calendrier
from tests.echanges.fichiers import export_termine
from tests.enquetes.helpers import enquete_envoyee, jeton
from tests.factories import (
    AffectationBesoinFactory,
    AppartenanceFactory,
    BesoinFactory,
    CandidatFactory,
    CohorteFactory,
    ContactFactory,
    DocumentFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    InscriptionFactory,
    PartenaireFactory,
    ParticipationFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)
from tests.urls import iter_named_patterns

TEXTES = [
    "\x00",
    "Dupont\x00Durand",
    "x" * 10_000,
    "é" * 300,
    "\u202emoc.elpmaxe@evil\u202c مرحبا 😀👩‍👩‍👧‍👦🇫🇷",
    "😀" * 500,
    "\x07\x08\x1b[2J\x7f\x85\r\n\t\x0b\x0c",
    "\ufeff\u200b\u00a0",
    "' OR 1=1 --",
    "%_\\",
    "<script>alert(1)</script>{{ request }}{% debug %}",
    "//evil.example/",
    "javascript:alert(1)",
    "Dupont",
    " ",
    "",
]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "2025-02-31",
    "9999-12",
    "0001-01",
    "2025-13-01",
    "10000-01-01",
    "31/12/9999",
    "0000-00-00",
]
NOMBRES = ["-1", "0", str(10**20), f"-{10**20}", "1e309", "NaN", "1.5", "٣", "9" * 400]
HOSTILES = {"texte": TEXTES, "date": DATES, "nombre": NOMBRES}
TOUTES = TEXTES + DATES + NOMBRES

# An attack: every field of one kind (or of all) gets the same hostile value.
ATTAQUES = st.one_of(
    *(st.tuples(st.just(genre), st.sampled_from(valeurs)) for genre, valeurs in HOSTILES.items()),
    st.tuples(st.just("tous"), st.one_of(st.sampled_from(TOUTES), st.text(max_size=40))),
)
# Sent to every page whatever the draw: the values that broke pages once.
ATTAQUES_SURES = [
    ("date", "9999-12-31"),
    ("date", "0001-01-01"),
    ("date", "9999-12"),
    ("nombre", str(10**20)),
    ("texte", "\x00"),
    ("texte", "Dupont\x00Durand"),
    ("texte", "Dupont"),
    ("texte", "x" * 10_000),
    ("texte", TEXTES[4]),
]

# A few drawn examples per URL, besides the sure ones, keep the file under a minute; no
# shrinking, which would replay pages hundreds of times: the failing example is printed
# as drawn.
FUZZ = settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def avec_les_attaques_sures(test):
    for attaque in ATTAQUES_SURES:
        test = example(attaque=attaque, graine=None)(test)
    return test


# What the lists read from their query string, whatever their filter form shows.
PARAMETRES_DES_LISTES = {
    "q": "texte",
    "page": "nombre",
    "tri": "texte",
    "mois": "date",
    "next": "texte",
    "jeton": "texte",
    "ecole": "nombre",
    "cohorte": "nombre",
    "page_cohortes": "nombre",
    "debut": "date",
    "fin": "date",
    "filiere": "texte",
}
DATE_ISO = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class _Champs(HTMLParser):
    """The kind (texte, date or nombre) of each field of a page, and its valid values.

    A field's valid value is the page's own, any option of a list; an empty field gets
    one that passes its checks, so that the other fields reach the code behind the form.
    """

    def __init__(self, today):
        super().__init__(convert_charrefs=True)
        self.today = today
        self.champs = {}
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        nom = attrs.get("name")
        if tag == "input" and nom and nom != "csrfmiddlewaretoken":
            self._input(nom, attrs.get("type", "text"), attrs.get("value") or "")
        elif tag == "textarea" and nom:
            self.champs[nom] = ("texte", ["Valeur"])
        elif tag == "select" and nom:
            self.select = nom
            self.champs[nom] = ("nombre", [])
        elif tag == "option" and self.select and attrs.get("value"):
            genre, options = self.champs[self.select]
            valeur = attrs["value"]
            self.champs[self.select] = (genre if valeur.isdigit() else "texte", [*options, valeur])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None

    def _input(self, nom, type_, valeur):
        if type_ in {"submit", "button", "image", "file"}:
            return
        if type_ in {"checkbox", "radio"}:
            genre, valides = "texte", [valeur or "on", None]
        elif type_ == "hidden":
            genre = "date" if DATE_ISO.match(valeur) else "nombre" if valeur.isdigit() else "texte"
            valides = [valeur]
        elif type_ == "date" or DATE_ISO.match(valeur):
            genre, valides = "date", [valeur or self.today.isoformat()]
        elif type_ == "number" or valeur.isdigit():
            genre, valides = "nombre", [valeur or "1"]
        elif type_ == "email":
            genre, valides = "texte", [valeur or "intrus@example.org"]
        else:
            genre, valides = "texte", [valeur or "Valeur"]
        self.champs[nom] = (genre, valides)


def champs_de_la_page(client, url):
    """name → (kind, valid values) of the fields of every form of the page, and of the
    query parameters the lists read (valid when absent: None)."""
    champs = {nom: (genre, [None]) for nom, genre in PARAMETRES_DES_LISTES.items()}
    response = client.get(url)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser = _Champs(timezone.localdate())
        parser.feed(response.content.decode())
        champs |= {
            nom: (PARAMETRES_DES_LISTES.get(nom, genre), valides or [None])
            for nom, (genre, valides) in parser.champs.items()
        }
    return champs


def donnees_hostiles(champs, attaque, graine):
    """The fields of the attacked kind get its value, the others their first valid value.

    A drawn example (a `graine`) gives the others any valid value or, one time in five,
    another hostile one, and sends one field in ten twice.
    """
    genre, valeur = attaque
    hasard = None if graine is None else random.Random(graine)
    donnees = {}
    for nom, (genre_du_champ, valides) in champs.items():
        if genre in ("tous", genre_du_champ):
            envoyee = valeur
        elif hasard is None:
            envoyee = valides[0]
        elif hasard.random() < 0.2:
            envoyee = hasard.choice(TOUTES)
        else:
            envoyee = hasard.choice(valides)
        if envoyee is None:
            continue
        if hasard and hasard.random() < 0.1:
            envoyee = [envoyee, hasard.choice(TOUTES)]
        donnees[nom] = envoyee
    return donnees


def refuser_les_nul(execute, sql, params, many, context):
    """What PostgreSQL answers to a query carrying a NUL character."""
    lignes = params if many else [params]
    valeurs_envoyees = [sql, *(v for ligne in lignes or [] for v in (ligne or []))]
    if any(isinstance(valeur, str) and "\x00" in valeur for valeur in valeurs_envoyees):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


@pytest.fixture
def nul_refuse_comme_postgresql(db):
    with connection.execute_wrapper(refuser_les_nul):
        yield


@dataclass
class Monde:
    utilisateurs: dict
    candidat: object
    cohorte: object
    inscription: object
    suivi: object
    entreprise: object
    appartenance: object
    # A survey sent today, and the path of its e-mailed link.
    enquete: tuple


@pytest.fixture
def monde(db):
    entreprise = EntrepriseFactory()
    ecole = EcoleFactory(entreprises_adherentes=[entreprise])
    # Ten weeks ago: check-ins of past months exist and may be written.
    cohorte = CohorteFactory(
        parcours__ecole=ecole, date_debut=timezone.localdate() - datetime.timedelta(weeks=10)
    )
    inscription = InscriptionFactory(cohorte=cohorte)
    StageFactory(inscription=inscription)
    # An ended enrollment, for the exits' lists and reports.
    SortieFactory(inscription__cohorte__parcours__ecole=ecole)
    return Monde(
        utilisateurs={
            "equipe": UserFactory(),
            "partenaire": PartenaireFactory(appartenance__entreprise=entreprise),
            "administrateur": UserFactory(administrateur=True),
        },
        # Never enrolled: it may be enrolled.
        candidat=CandidatFactory(),
        cohorte=cohorte,
        inscription=inscription,
        suivi=SuiviFactory(inscription=inscription),
        entreprise=entreprise,
        appartenance=AppartenanceFactory(entreprise=entreprise),
        enquete=enquete_envoyee(),
    )


ARGUMENTS = {
    "password_reset_confirm": lambda monde: {"uidb64": "inconnu", "token": "jeton-invalide"},
    "candidats:detail": lambda monde: {"pk": monde.candidat.pk},
    "candidats:modifier": lambda monde: {"pk": monde.candidat.pk},
    "candidats:donnees": lambda monde: {"pk": monde.candidat.pk},
    "parcours:cohorte": lambda monde: {"pk": monde.cohorte.pk},
    "parcours:choisir_candidat": lambda monde: {"pk": monde.cohorte.pk},
    "parcours:inscrire": lambda monde: {"pk": monde.cohorte.pk, "candidat_pk": monde.candidat.pk},
    "parcours:choisir_cohorte": lambda monde: {"candidat_pk": monde.candidat.pk},
    "parcours:suivi_creer": lambda monde: {"pk": monde.inscription.pk},
    "parcours:sortie": lambda monde: {"pk": monde.inscription.pk},
    "parcours:suivi_modifier": lambda monde: {"pk": monde.suivi.pk},
    "parcours:cohorte_modifier": lambda monde: {"pk": monde.cohorte.pk},
    "parcours:cohorte_calendrier": lambda monde: {"pk": monde.cohorte.pk},
    "parcours:stages": lambda monde: {"pk": monde.inscription.pk},
    "entreprises:detail": lambda monde: {"pk": monde.entreprise.pk},
    "entreprises:creer_compte": lambda monde: {"pk": monde.entreprise.pk},
    "entreprises:contact_ajouter": lambda monde: {"pk": monde.entreprise.pk},
    "entreprises:contact_modifier": lambda monde: {
        "pk": (monde.entreprise.contacts.first() or ContactFactory(entreprise=monde.entreprise)).pk
    },
    "entreprises:desactiver_appartenance": lambda monde: {"pk": monde.appartenance.pk},
    "entreprises:renvoyer_invitation": lambda monde: {"pk": monde.appartenance.pk},
    "partenaires:cohorte": lambda monde: {"pk": monde.cohorte.pk},
    "partenaires:export_stagiaires": lambda monde: {"format": "xlsx"},
    "echanges:export_candidats": lambda monde: {"format": "csv"},
    "echanges:export_cohorte": lambda monde: {"pk": monde.cohorte.pk, "format": "xlsx"},
    "echanges:export_sorties": lambda monde: {"format": "csv"},
    "echanges:export_demande": lambda monde: {"pk": export_du_monde(monde).pk},
    "echanges:export_fichier": lambda monde: {"pk": export_du_monde(monde).pk},
    "indicateurs:export_financeurs": lambda monde: {"format": "csv"},
    "echanges:import_confirmer": lambda monde: {"jeton": "jeton-inconnu"},
    "echanges:modele_import": lambda monde: {"format": "xlsx"},
    "enquetes:repondre": lambda monde: {"jeton": jeton(monde.enquete[1])},
    "enquetes:appel": lambda monde: {"pk": monde.enquete[0].pk},
    "enquetes:injoignable": lambda monde: {"pk": monde.enquete[0].pk},
    "evaluations:evaluer": lambda monde: {"pk": monde.inscription.stages.get().pk},
    "agenda:flux": lambda monde: {
        "jeton": jeton_du_chemin(nouveau_calendrier(monde.cohorte.parcours.ecole)[1])
    },
    "agenda:ecole": lambda monde: {"pk": monde.cohorte.parcours.ecole_id},
    "agenda:revoquer": lambda monde: {"pk": nouveau_calendrier(monde.cohorte.parcours.ecole)[0].pk},
    "presences:grille": lambda monde: {"pk": monde.cohorte.pk},
    "presences:regenerer": lambda monde: {"pk": monde.cohorte.pk},
    "presences:creneau": lambda monde: {"pk": monde.cohorte.creneaux.first().pk},
    "documents:cohorte": lambda monde: {"pk": monde.cohorte.pk},
    "documents:emargement": lambda monde: {"pk": monde.cohorte.pk},
    "documents:feuille_signee": lambda monde: {"pk": monde.cohorte.pk},
    "documents:certificats": lambda monde: {"pk": monde.cohorte.pk},
    "documents:convention": lambda monde: {"pk": monde.inscription.stages.get().pk},
    "documents:certificat": lambda monde: {"pk": monde.inscription.pk},
    "documents:attestation": lambda monde: {"pk": monde.inscription.pk},
    "documents:telecharger": lambda monde: {"pk": DocumentFactory(cohorte=monde.cohorte).pk},
    "evenements:detail": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:modifier": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:annuler": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:supprimer": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:choisir_participant": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:inscrire": lambda monde: {
        "pk": evenement_du_monde(monde).pk,
        "candidat_pk": monde.candidat.pk,
    },
    "evenements:nouveau_participant": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:presences": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:import_presences": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:import_presences_confirmer": lambda monde: {"pk": evenement_du_monde(monde).pk},
    "evenements:immersion_creer": lambda monde: {"candidat_pk": monde.candidat.pk},
    "evenements:immersion_modifier": lambda monde: {"pk": immersion_du_monde(monde).pk},
    "evenements:preselectionner": lambda monde: {"pk": immersion_du_monde(monde).pk},
    "evenements:accueilli": lambda monde: {"pk": evenement_du_monde(monde).pk},
    **dict.fromkeys(
        [
            "besoins:detail",
            "besoins:modifier",
            "besoins:annuler",
            "besoins:valider",
            "besoins:affecter",
        ],
        lambda monde: {"pk": besoin_du_monde(monde).pk},
    ),
    "besoins:retirer_affectation": lambda monde: {
        "pk": AffectationBesoinFactory(besoin=besoin_du_monde(monde), cohorte=monde.cohorte).pk
    },
    "besoins:planification": lambda monde: {"pk": monde.cohorte.parcours.ecole_id},
    "besoins:ecole": lambda monde: {"pk": monde.cohorte.parcours.ecole_id},
}


def evenement_du_monde(monde):
    """One event hosted by the world's company, with a participant, made on first use."""
    if not hasattr(monde, "evenement"):
        monde.evenement = EvenementFactory(entreprises_hotes=[monde.entreprise])
        ParticipationFactory(evenement=monde.evenement)
    return monde.evenement


def export_du_monde(monde):
    """A finished export of the world's staff member, asked for on first use."""
    if not hasattr(monde, "export"):
        monde.export = export_termine(monde.utilisateurs["equipe"])
    return monde.export


def besoin_du_monde(monde):
    """A hiring need of the world's member company, made on first use."""
    if not hasattr(monde, "besoin"):
        monde.besoin = BesoinFactory(
            entreprise=monde.entreprise, ecole=monde.cohorte.parcours.ecole
        )
    return monde.besoin


def immersion_du_monde(monde):
    if not hasattr(monde, "immersion"):
        monde.immersion = ImmersionFactory(candidat=monde.candidat, entreprise=monde.entreprise)
    return monde.immersion


# The import's file field is fuzzed by tests/echanges/test_import_properties.py.
SANS_POST = {"echanges:import_candidats"}
# Sign-in throttling stores the username it is sent: on for the page that signs in.
CONNEXIONS = {"login"}


def a_des_arguments(route):
    return "<" in route or "(" in route


PAGES = sorted({name for name, _, _ in iter_named_patterns() if not name.startswith("admin:")})
# The admin's forms are Django's; its lists read the query string as the project's do.
LISTES_ADMIN = sorted(
    {
        name
        for name, _, _ in iter_named_patterns()
        if name.startswith("admin:") and name.endswith("_changelist")
    }
)


def test_every_url_is_given_its_arguments():
    with_arguments = {
        name
        for name, route, _ in iter_named_patterns()
        if not name.startswith("admin:") and a_des_arguments(route)
    }

    assert with_arguments - ARGUMENTS.keys() == set(), "give these URLs their arguments"
    assert ARGUMENTS.keys() - with_arguments == set(), "these URLs no longer exist"
    assert set(PAGES) >= SANS_POST


@pytest.fixture
def champs_des_pages():
    """The fields of each page, read once per test rather than once per example."""
    return {}


def fuzz(client, user, url, champs_des_pages, attaque, graine, *, post):
    # Again for each example: the one before may have signed out or changed the password.
    client.force_login(user)
    if url not in champs_des_pages:
        champs_des_pages[url] = champs_de_la_page(client, url)
    donnees = donnees_hostiles(champs_des_pages[url], attaque, graine)

    response = client.get(url, donnees)
    assert response.status_code < 500, f"GET {url}"
    if post:
        response = client.post(url, donnees)
        assert response.status_code < 500, f"POST {url}"


@pytest.mark.parametrize("role", ["equipe", "partenaire"])
@pytest.mark.parametrize("name", PAGES)
@FUZZ
@given(attaque=ATTAQUES, graine=st.integers(min_value=0))
@avec_les_attaques_sures
def test_no_hostile_input_makes_a_page_fail(
    client,
    monde,
    nul_refuse_comme_postgresql,
    champs_des_pages,
    settings,
    name,
    role,
    attaque,
    graine,
):
    settings.AXES_ENABLED = name in CONNEXIONS
    arguments = ARGUMENTS.get(name)
    url = reverse(name, kwargs=arguments(monde) if arguments else None)

    fuzz(
        client,
        monde.utilisateurs[role],
        url,
        champs_des_pages,
        attaque,
        graine,
        post=name not in SANS_POST,
    )


@pytest.mark.parametrize("name", LISTES_ADMIN)
@FUZZ
@given(attaque=ATTAQUES, graine=st.integers(min_value=0))
@avec_les_attaques_sures
def test_no_hostile_query_string_makes_an_admin_list_fail(
    client, monde, nul_refuse_comme_postgresql, champs_des_pages, name, attaque, graine
):
    user = monde.utilisateurs["administrateur"]
    fuzz(client, user, reverse(name), champs_des_pages, attaque, graine, post=False)


def test_a_nul_reaches_no_query_on_sqlite_either(nul_refuse_comme_postgresql):
    with pytest.raises(ValueError, match="NUL"):
        User.objects.filter(username="a\x00b").exists()
