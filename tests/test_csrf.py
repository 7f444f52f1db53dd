"""Every URL of the project refuses a POST without a CSRF token, and nothing is written.

The URLs come from the URLconf itself (`tests.urls.iter_named_patterns`): a new page is
in this test the day it is added, and fails it if it is exempted from the CSRF check.
Django checks the token in `CsrfViewMiddleware.process_view`, before the view runs, so
even a GET-only page answers a token-less POST with the CSRF refusal rather than 405:
any other answer means the view is `csrf_exempt` or the middleware is gone.

The admin has some hundred URLs built by the same `ModelAdmin` code: a few representative
ones are checked (login, logout, password change, and the changelist, which runs the
anonymising action, with the add, change and delete views of the candidates).
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from besoins.models import AffectationBesoin, Besoin
from candidats.models import CanalSourcing, Candidat
from comptes.models import Appartenance, User
from documents.models import Document
from echanges.models import DemandeExport
from enquetes.models import Enquete, SituationApresSortie
from entreprises.models import Contact
from parcours.dates import first_of_month
from parcours.models import Inscription, Sortie, Suivi
from presences.models import Creneau, Presence
from tests.agenda.helpers import nouveau_calendrier
from tests.echanges.fichiers import export_termine
from tests.enquetes.helpers import enquete_envoyee, jeton
from tests.factories import (
    AffectationBesoinFactory,
    AppartenanceFactory,
    BesoinFactory,
    CandidatFactory,
    CohorteFactory,
    ContactFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    InscriptionFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)
from tests.urls import iter_named_patterns

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "mot-de-passe-administrateur"
NOUVEAU_MOT_DE_PASSE = "Nouveau-secret-de-2026"
REFUS_CSRF = "X-Test-Refus-CSRF"

ADMIN_REPRESENTATIVES = [
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:candidats_candidat_changelist",
    "admin:candidats_candidat_add",
    "admin:candidats_candidat_change",
    "admin:candidats_candidat_delete",
]
URL_NAMES = (
    sorted({name for name, _, _ in iter_named_patterns() if not name.startswith("admin:")})
    + ADMIN_REPRESENTATIVES
)


def refus_csrf(request, reason=""):
    """Stands for `CSRF_FAILURE_VIEW`: a 403 that only the CSRF check can answer."""
    response = HttpResponseForbidden("Refus CSRF")
    response[REFUS_CSRF] = reason
    return response


@dataclass
class Monde:
    admin: User
    candidat: Candidat
    cohorte: object
    inscription: Inscription
    suivi: Suivi
    entreprise: object
    appartenance: Appartenance
    # A survey sent today, and the path of its e-mailed link.
    enquete: tuple = field(default_factory=enquete_envoyee)


@pytest.fixture
def monde():
    entreprise = EntrepriseFactory(nom="Ampere Béthune")
    ecole = EcoleFactory(entreprises_adherentes=[entreprise])
    # Ten weeks ago: the entry month is never the current one, where the forms write.
    cohorte = CohorteFactory(
        parcours__ecole=ecole, date_debut=timezone.localdate() - datetime.timedelta(weeks=10)
    )
    inscription = InscriptionFactory(cohorte=cohorte)
    ContactFactory(entreprise=entreprise)
    return Monde(
        admin=UserFactory(administrateur=True, password=MOT_DE_PASSE, email="admin@example.org"),
        # Never enrolled: it may be enrolled, edited, anonymised or deleted.
        candidat=CandidatFactory(nom="Lemaire", prenom="Louise"),
        cohorte=cohorte,
        inscription=inscription,
        suivi=SuiviFactory(inscription=inscription, commentaire="Avant"),
        entreprise=entreprise,
        appartenance=AppartenanceFactory(entreprise=entreprise),
    )


# The arguments of each URL that takes some, from the world above. A URL added with
# arguments fails `test_every_url_is_given_its_arguments` until it is listed here.
ARGUMENTS = {
    "password_reset_confirm": lambda monde: {
        "uidb64": urlsafe_base64_encode(force_bytes(monde.admin.pk)),
        "token": default_token_generator.make_token(monde.admin),
    },
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
    "entreprises:contact_modifier": lambda monde: {"pk": monde.entreprise.contacts.get().pk},
    "entreprises:desactiver_appartenance": lambda monde: {"pk": monde.appartenance.pk},
    "entreprises:renvoyer_invitation": lambda monde: {"pk": monde.appartenance.pk},
    "partenaires:cohorte": lambda monde: {"pk": monde.cohorte.pk},
    "partenaires:export_stagiaires": lambda monde: {"format": "csv"},
    "enquetes:repondre": lambda monde: {"jeton": jeton(monde.enquete[1])},
    "enquetes:appel": lambda monde: {"pk": monde.enquete[0].pk},
    "enquetes:injoignable": lambda monde: {"pk": monde.enquete[0].pk},
    # Partners only: the CSRF check refuses the POST before the view looks the stage up.
    "evaluations:evaluer": lambda monde: {"pk": 1},
    "echanges:export_candidats": lambda monde: {"format": "csv"},
    "echanges:export_cohorte": lambda monde: {"pk": monde.cohorte.pk, "format": "csv"},
    "echanges:export_sorties": lambda monde: {"format": "csv"},
    "echanges:export_demande": lambda monde: {"pk": export_du_monde(monde).pk},
    "echanges:export_fichier": lambda monde: {"pk": export_du_monde(monde).pk},
    "indicateurs:export_financeurs": lambda monde: {"format": "csv"},
    "echanges:import_confirmer": lambda monde: {"jeton": "x" * 43},
    "echanges:modele_import": lambda monde: {"format": "csv"},
    "agenda:flux": lambda monde: {"jeton": "jeton-inconnu"},
    "agenda:ecole": lambda monde: {"pk": monde.cohorte.parcours.ecole_id},
    "agenda:revoquer": lambda monde: {"pk": nouveau_calendrier(monde.cohorte.parcours.ecole)[0].pk},
    "presences:grille": lambda monde: {"pk": monde.cohorte.pk},
    "presences:regenerer": lambda monde: {"pk": monde.cohorte.pk},
    "presences:creneau": lambda monde: {"pk": monde.cohorte.creneaux.first().pk},
    "documents:cohorte": lambda monde: {"pk": monde.cohorte.pk},
    "documents:emargement": lambda monde: {"pk": monde.cohorte.pk},
    "documents:feuille_signee": lambda monde: {"pk": monde.cohorte.pk},
    "documents:certificats": lambda monde: {"pk": monde.cohorte.pk},
    "documents:convention": lambda monde: {"pk": StageFactory(inscription=monde.inscription).pk},
    "documents:certificat": lambda monde: {"pk": monde.inscription.pk},
    "documents:attestation": lambda monde: {"pk": monde.inscription.pk},
    # The CSRF check refuses the POST before the view looks the document up.
    "documents:telecharger": lambda monde: {"pk": 1},
    "evenements:detail": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:modifier": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:annuler": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:supprimer": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:choisir_participant": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:inscrire": lambda monde: {
        "pk": EvenementFactory().pk,
        "candidat_pk": monde.candidat.pk,
    },
    "evenements:nouveau_participant": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:presences": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:import_presences": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:import_presences_confirmer": lambda monde: {"pk": EvenementFactory().pk},
    "evenements:immersion_creer": lambda monde: {"candidat_pk": monde.candidat.pk},
    "evenements:immersion_modifier": lambda monde: {
        "pk": ImmersionFactory(candidat=monde.candidat, entreprise=monde.entreprise).pk
    },
    "evenements:preselectionner": lambda monde: {
        "pk": ImmersionFactory(candidat=monde.candidat, entreprise=monde.entreprise).pk
    },
    "evenements:accueilli": lambda monde: {"pk": EvenementFactory().pk},
    "admin:candidats_candidat_change": lambda monde: {"object_id": monde.candidat.pk},
    "admin:candidats_candidat_delete": lambda monde: {"object_id": monde.candidat.pk},
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


def export_du_monde(monde):
    """A finished export of the world's administrator, asked for on first use."""
    if not hasattr(monde, "export"):
        monde.export = export_termine(monde.admin)
    return monde.export


def besoin_du_monde(monde):
    """A hiring need of the world's member company, stated on first use (a stated need is
    not part of `etat`)."""
    if not hasattr(monde, "besoin"):
        monde.besoin = BesoinFactory(
            entreprise=monde.entreprise, ecole=monde.cohorte.parcours.ecole
        )
    return monde.besoin


def url(name, monde):
    arguments = ARGUMENTS.get(name)
    return reverse(name, kwargs=arguments(monde) if arguments else None)


def donnees(monde):
    """What the forms of the project would save: each view takes the fields it knows."""
    today = timezone.localdate()
    return {
        # Candidate forms, the partner-account form and the admin's candidate pages.
        "nom": "Intrus",
        "prenom": "Sans-Jeton",
        "email": "intrus.sans.jeton@example.org",
        "canal": CanalSourcing.FRANCE_TRAVAIL,
        "statut": Candidat.Statut.A_CONTACTER,
        "jeton": "",
        "inscriptions-TOTAL_FORMS": "0",
        "inscriptions-INITIAL_FORMS": "0",
        # Enrollment, monthly check-in and exit.
        "date_entree": today.isoformat(),
        "mois": first_of_month(today).isoformat(),
        "date_entretien": today.isoformat(),
        "participants": "Formateur",
        "assiduite": "bon",
        "progression": "bon",
        "risque_decrochage": "faible",
        "commentaire": "Écrit sans jeton",
        "date_sortie": today.isoformat(),
        "motif": Sortie.Motif.EMBAUCHE_ANTICIPEE,
        "situation": "cdi",
        "employeur": "Ampere",
        "date_debut_contrat": (today + datetime.timedelta(days=1)).isoformat(),
        # Sign-in and passwords.
        "username": monde.admin.username,
        "password": MOT_DE_PASSE,
        "old_password": MOT_DE_PASSE,
        "new_password1": NOUVEAU_MOT_DE_PASSE,
        "new_password2": NOUVEAU_MOT_DE_PASSE,
        # The admin's anonymising action, with its confirmation, and its delete page.
        "action": "effacer_a_la_demande",
        "_selected_action": [monde.candidat.pk],
        "confirmation": "oui",
        "post": "yes",
    }


def etat(monde):
    """Everything the POSTs above could change."""
    candidat = Candidat.objects.filter(pk=monde.candidat.pk).first()
    suivi = Suivi.objects.get(pk=monde.suivi.pk)
    return {
        "candidats": Candidat.objects.count(),
        "fiche": candidat and (candidat.nom, candidat.prenom, candidat.anonymise_le),
        "inscriptions": Inscription.objects.count(),
        "suivis": Suivi.objects.count(),
        "suivi": (suivi.mois, suivi.commentaire),
        "sorties": Sortie.objects.count(),
        "utilisateurs": User.objects.count(),
        "contacts": Contact.objects.count(),
        "appartenances_actives": Appartenance.objects.filter(active=True).count(),
        "mot_de_passe": User.objects.get(pk=monde.admin.pk).password,
        "courriels": len(mail.outbox),
        "situations_apres_sortie": SituationApresSortie.objects.count(),
        "injoignables": Enquete.objects.filter(injoignable_le__isnull=False).count(),
        "synthese": User.objects.get(pk=monde.admin.pk).recoit_synthese,
        "presences": Presence.objects.count(),
        "creneaux": Creneau.objects.count(),
        "documents": Document.objects.count(),
        "exports": DemandeExport.objects.count(),
        "besoins": (
            Besoin.objects.exclude(etat=Besoin.Etat.EXPRIME).count(),
            AffectationBesoin.history.filter(history_type="-").count(),
        ),
    }


@pytest.fixture
def client_admin(monde, settings):
    settings.CSRF_FAILURE_VIEW = "tests.test_csrf.refus_csrf"
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.admin)
    return client


def test_every_url_is_given_its_arguments():
    names = {name for name, _, _ in iter_named_patterns()}
    with_arguments = {
        name
        for name, route, _ in iter_named_patterns()
        if name in URL_NAMES and ("<" in route or "(" in route)
    }

    assert set(ADMIN_REPRESENTATIVES) <= names
    assert with_arguments == set(ARGUMENTS)


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_post_without_csrf_token_is_refused_and_writes_nothing(client_admin, monde, name):
    # Before the state: some URLs' arguments are written on first use.
    adresse = url(name, monde)
    avant = etat(monde)

    response = client_admin.post(adresse, donnees(monde))

    assert response.status_code == 403, f"{name} answered {response.status_code}"
    assert REFUS_CSRF in response.headers, f"{name} was not refused by the CSRF check"
    assert etat(monde) == avant


# With a token, the same POST does write: the "nothing written" above is no accident of
# the data sent. Each URL with the part of `etat` it changes.
ECRITURES = {
    "candidats:creer": "candidats",
    "candidats:modifier": "fiche",
    "parcours:inscrire": "inscriptions",
    "parcours:suivi_creer": "suivis",
    "parcours:suivi_modifier": "suivi",
    "parcours:sortie": "sorties",
    "entreprises:creer_compte": "utilisateurs",
    "entreprises:contact_ajouter": "contacts",
    "entreprises:desactiver_appartenance": "appartenances_actives",
    "entreprises:renvoyer_invitation": "courriels",
    "enquetes:repondre": "situations_apres_sortie",
    "enquetes:appel": "situations_apres_sortie",
    "enquetes:injoignable": "injoignables",
    "a_faire:synthese": "synthese",
    "documents:certificats": "documents",
    "documents:convention": "documents",
    "documents:certificat": "documents",
    "documents:attestation": "documents",
    "besoins:valider": "besoins",
    "echanges:export_candidats": "exports",
    "echanges:export_sorties": "exports",
    "besoins:annuler": "besoins",
    "besoins:retirer_affectation": "besoins",
    "password_change": "mot_de_passe",
    "admin:password_change": "mot_de_passe",
    "admin:candidats_candidat_changelist": "fiche",
    "admin:candidats_candidat_add": "candidats",
    "admin:candidats_candidat_change": "fiche",
    "admin:candidats_candidat_delete": "candidats",
}


@pytest.mark.parametrize(("name", "partie"), sorted(ECRITURES.items()))
def test_the_same_post_with_a_csrf_token_is_saved(client_admin, monde, name, partie):
    client_admin.get(reverse("login"))
    jeton = client_admin.cookies["csrftoken"].value
    avant = etat(monde)

    response = client_admin.post(url(name, monde), {**donnees(monde), "csrfmiddlewaretoken": jeton})

    assert REFUS_CSRF not in response.headers
    assert response.status_code == 302, f"{name} answered {response.status_code}"
    assert etat(monde)[partie] != avant[partie]


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_post_with_a_csrf_token_passes_the_check(client_admin, monde, name):
    """The refusal above comes from the missing token, not from the URL or the user."""
    client_admin.get(reverse("login"))
    jeton = client_admin.cookies["csrftoken"].value

    response = client_admin.post(url(name, monde), {"csrfmiddlewaretoken": jeton})

    assert REFUS_CSRF not in response.headers
