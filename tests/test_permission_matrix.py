"""Who gets what on every URL of the project, for objects of two schools.

The matrix is checked against the URLconf: a URL added without an entry here fails
`test_every_url_of_the_project_is_in_the_matrix`, so none escapes the access rules.
The Django admin is the administrators' tool and is covered by its own tests.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import Appartenance
from tests.agenda.helpers import jeton_du_chemin, nouveau_calendrier
from tests.echanges.fichiers import export_termine
from tests.enquetes.helpers import enquete_envoyee, jeton
from tests.factories import (
    AffectationBesoinFactory,
    BesoinFactory,
    CohorteFactory,
    ContactFactory,
    DocumentFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    InscriptionFactory,
    PartenaireFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)
from tests.urls import iter_named_patterns

ROLES = [
    "anonyme",
    "partenaire_a",
    "partenaire_b",
    "partenaire_inactif",
    "equipe",
    "administrateur",
]
PARTENAIRES = {"partenaire_a", "partenaire_b", "partenaire_inactif"}
LOGIN = "login"


@dataclass
class School:
    """The objects of one school that URLs take as arguments."""

    organisation: object
    cohorte: object
    inscription: object
    suivi: object
    appartenance: object


def build_school(city):
    organisation = EntrepriseFactory(nom=f"Entreprise de {city}")
    ecole = EcoleFactory(ville=city, entreprises_adherentes=[organisation])
    cohorte = CohorteFactory(parcours__ecole=ecole, date_debut=timezone.localdate())
    inscription = InscriptionFactory(cohorte=cohorte)
    StageFactory(inscription=inscription)
    suivi = SuiviFactory(inscription=inscription)
    partenaire = PartenaireFactory(appartenance__entreprise=organisation)
    return School(
        organisation=organisation,
        cohorte=cohorte,
        inscription=inscription,
        suivi=suivi,
        appartenance=partenaire.appartenances.get(),
    ), partenaire


@pytest.fixture
def world(db):
    school_a, partenaire_a = build_school("Arras")
    school_b, partenaire_b = build_school("Boulogne")
    inactif = PartenaireFactory(appartenance__entreprise=school_a.organisation)
    Appartenance.objects.get(user=inactif).desactiver()
    users = {
        "anonyme": None,
        "partenaire_a": partenaire_a,
        "partenaire_b": partenaire_b,
        "partenaire_inactif": inactif,
        "equipe": UserFactory(),
        "administrateur": UserFactory(administrateur=True),
    }
    return {"a": school_a, "b": school_b, "users": users}


# How each URL's arguments are built from a school's objects.
def no_argument(school):
    return {}


def cohorte(school):
    return {"pk": school.cohorte.pk}


def candidat(school):
    return {"pk": school.inscription.candidat_id}


def inscription(school):
    return {"pk": school.inscription.pk}


ARGUMENTS = {
    **dict.fromkeys(
        [
            "evenements:detail",
            "evenements:modifier",
            "evenements:annuler",
            "evenements:supprimer",
            "evenements:choisir_participant",
            "evenements:nouveau_participant",
            "evenements:presences",
            "evenements:import_presences",
            "evenements:import_presences_confirmer",
            "evenements:accueilli",
        ],
        lambda s: {"pk": evenement_accueilli(s).pk},
    ),
    "evenements:inscrire": lambda s: {
        "pk": evenement_accueilli(s).pk,
        "candidat_pk": s.inscription.candidat_id,
    },
    "evenements:immersion_creer": lambda s: {"candidat_pk": s.inscription.candidat_id},
    "evenements:immersion_modifier": lambda s: {"pk": immersion_de(s).pk},
    "evenements:preselectionner": lambda s: {"pk": immersion_de(s).pk},
    "candidats:detail": candidat,
    "candidats:modifier": candidat,
    "candidats:donnees": candidat,
    "parcours:cohorte": cohorte,
    "parcours:choisir_candidat": cohorte,
    "parcours:inscrire": lambda s: {"pk": s.cohorte.pk, "candidat_pk": s.inscription.candidat_id},
    "parcours:choisir_cohorte": lambda s: {"candidat_pk": s.inscription.candidat_id},
    "parcours:suivi_creer": inscription,
    "parcours:sortie": inscription,
    "parcours:suivi_modifier": lambda s: {"pk": s.suivi.pk},
    "parcours:cohorte_modifier": cohorte,
    "parcours:cohorte_calendrier": cohorte,
    "parcours:stages": inscription,
    "entreprises:detail": lambda s: {"pk": s.organisation.pk},
    "entreprises:creer_compte": lambda s: {"pk": s.organisation.pk},
    "entreprises:contact_ajouter": lambda s: {"pk": s.organisation.pk},
    "entreprises:contact_modifier": lambda s: {"pk": ContactFactory(entreprise=s.organisation).pk},
    "entreprises:desactiver_appartenance": lambda s: {"pk": s.appartenance.pk},
    "entreprises:renvoyer_invitation": lambda s: {"pk": s.appartenance.pk},
    "partenaires:cohorte": cohorte,
    "partenaires:export_stagiaires": lambda s: {"format": "csv"},
    # A survey sent today, whoever's: its link is public, its phone pages for staff.
    "enquetes:repondre": lambda s: {"jeton": jeton(enquete_envoyee()[1])},
    "enquetes:appel": lambda s: {"pk": enquete_envoyee()[0].pk},
    "enquetes:injoignable": lambda s: {"pk": enquete_envoyee()[0].pk},
    "evaluations:evaluer": lambda s: {"pk": s.inscription.stages.get().pk},
    "echanges:export_candidats": lambda s: {"format": "csv"},
    "echanges:export_cohorte": lambda s: {"pk": s.cohorte.pk, "format": "csv"},
    "echanges:export_sorties": lambda s: {"format": "csv"},
    # Asked for by someone else: no one but its requester opens it.
    "echanges:export_demande": lambda s: {"pk": export_termine(UserFactory()).pk},
    "echanges:export_fichier": lambda s: {"pk": export_termine(UserFactory()).pk},
    "indicateurs:export_financeurs": lambda s: {"format": "csv"},
    "echanges:import_confirmer": lambda s: {"jeton": "jeton-inconnu"},
    "echanges:modele_import": lambda s: {"format": "csv"},
    "password_reset_confirm": lambda s: {"uidb64": "inconnu", "token": "jeton-invalide"},
    # A feed of the school: its address opens for whoever holds it, without sign-in.
    "agenda:flux": lambda s: {
        "jeton": jeton_du_chemin(nouveau_calendrier(s.cohorte.parcours.ecole)[1])
    },
    "agenda:ecole": lambda s: {"pk": s.cohorte.parcours.ecole_id},
    "agenda:revoquer": lambda s: {"pk": nouveau_calendrier(s.cohorte.parcours.ecole)[0].pk},
    "presences:grille": cohorte,
    "presences:regenerer": cohorte,
    # An internship half-day: the host company's partner enters it.
    "presences:creneau": lambda s: {"pk": s.cohorte.creneaux.filter(type="stage").first().pk},
    "documents:cohorte": cohorte,
    "documents:emargement": cohorte,
    "documents:feuille_signee": cohorte,
    "documents:certificats": cohorte,
    "documents:convention": lambda s: {"pk": s.inscription.stages.get().pk},
    "documents:certificat": inscription,
    "documents:attestation": inscription,
    # A signed scan of the school's cohort.
    "documents:telecharger": lambda s: {"pk": DocumentFactory(cohorte=s.cohorte).pk},
    **dict.fromkeys(
        [
            "besoins:detail",
            "besoins:modifier",
            "besoins:annuler",
            "besoins:valider",
            "besoins:affecter",
        ],
        lambda s: {"pk": besoin_de(s).pk},
    ),
    "besoins:retirer_affectation": lambda s: {
        "pk": AffectationBesoinFactory(besoin=besoin_de(s), cohorte=s.cohorte).pk
    },
    "besoins:planification": lambda s: {"pk": s.cohorte.parcours.ecole_id},
    "besoins:ecole": lambda s: {"pk": s.cohorte.parcours.ecole_id},
}


def evenement_accueilli(school):
    """An event of the school hosted by its organisation, made on first use."""
    if not hasattr(school, "evenement"):
        school.evenement = EvenementFactory(
            ecoles=[school.cohorte.parcours.ecole], entreprises_hotes=[school.organisation]
        )
    return school.evenement


def immersion_de(school):
    if not hasattr(school, "immersion"):
        school.immersion = ImmersionFactory(
            candidat=school.inscription.candidat, entreprise=school.organisation
        )
    return school.immersion


def besoin_de(school):
    """A hiring need of the school's member company, made on first use."""
    if not hasattr(school, "besoin"):
        school.besoin = BesoinFactory(
            entreprise=school.organisation, ecole=school.cohorte.parcours.ecole
        )
    return school.besoin


def staff_page(ok=200):
    """Staff pages: the login page for strangers, 403 for partners, `ok` for staff."""
    return dict.fromkeys(PARTENAIRES, 403) | {
        "anonyme": LOGIN,
        "equipe": ok,
        "administrateur": ok,
    }


def public_page(status=200):
    return dict.fromkeys(ROLES, status)


def signed_in_page():
    return dict.fromkeys(ROLES, 200) | {"anonyme": LOGIN}


PARTNER_LIST = dict.fromkeys(PARTENAIRES, 200) | {
    "anonyme": LOGIN,
    "equipe": 403,
    "administrateur": 403,
}

# Expected answer to a GET, by URL and role; a pair (school A, school B) where the
# school of the object changes the answer.
MATRIX = {
    "evenements:liste": staff_page(),
    "evenements:creer": staff_page(),
    "evenements:detail": staff_page(),
    "evenements:modifier": staff_page(),
    "evenements:annuler": staff_page(),
    "evenements:supprimer": staff_page(),
    "evenements:choisir_participant": staff_page(),
    # Registering a candidate and confirming an import are POSTs.
    "evenements:inscrire": staff_page(ok=405),
    "evenements:nouveau_participant": staff_page(),
    "evenements:presences": staff_page(),
    "evenements:import_presences": staff_page(),
    "evenements:import_presences_confirmer": staff_page(ok=405),
    "evenements:immersions": staff_page(),
    "evenements:immersion_creer": staff_page(),
    "evenements:immersion_modifier": staff_page(),
    "evenements:preselectionner": staff_page(),
    # Partners see the events their organisation hosts; another's is a 404.
    "evenements:accueillis": PARTNER_LIST,
    "evenements:accueilli": PARTNER_LIST
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "login": public_page(),
    "portail:mentions_legales": public_page(),
    "portail:donnees_personnelles": public_page(),
    "portail:accessibilite": public_page(),
    "logout": public_page(405),
    "password_change": signed_in_page(),
    "password_change_done": signed_in_page(),
    "password_reset": public_page(),
    "password_reset_done": public_page(),
    "password_reset_confirm": public_page(),
    "password_reset_complete": public_page(),
    # Second factor: nobody in this world has an app yet, so the code page sends to
    # enrolment, and there are no fresh recovery codes to show.
    "double_facteur:securite": signed_in_page(),
    "double_facteur:activer": signed_in_page(),
    "double_facteur:verifier": dict.fromkeys(ROLES, 302) | {"anonyme": LOGIN},
    "double_facteur:codes_secours": dict.fromkeys(ROLES, 302) | {"anonyme": LOGIN},
    "portail:accueil": staff_page() | dict.fromkeys(PARTENAIRES, 302),
    "candidats:liste": staff_page(),
    "candidats:creer": staff_page(),
    "candidats:detail": staff_page(),
    "candidats:modifier": staff_page(),
    "candidats:donnees": staff_page(),
    "parcours:cohortes": staff_page(),
    "parcours:cohorte": staff_page(),
    "parcours:choisir_candidat": staff_page(),
    "parcours:inscrire": staff_page(),
    "parcours:choisir_cohorte": staff_page(),
    "parcours:suivi_creer": staff_page(),
    "parcours:sortie": staff_page(),
    "parcours:suivis_du_mois": staff_page(),
    "parcours:suivi_modifier": staff_page(),
    "parcours:cohorte_creer": staff_page(),
    "parcours:cohorte_modifier": staff_page(),
    "parcours:cohorte_calendrier": staff_page(),
    "parcours:stages": staff_page(),
    "parcours:stages_sans_entreprise": staff_page(),
    "entreprises:liste": staff_page(),
    "entreprises:detail": staff_page(),
    "entreprises:creer_compte": staff_page(),
    "entreprises:contact_ajouter": staff_page(),
    "entreprises:contact_modifier": staff_page(),
    "entreprises:desactiver_appartenance": staff_page(),
    # Resending an invitation is a POST.
    "entreprises:renvoyer_invitation": staff_page(ok=405),
    "partenaires:ecoles": PARTNER_LIST,
    "partenaires:cohorte": PARTNER_LIST
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    # Each partner gets the trainees of its own schools (an empty list without any).
    "partenaires:export_stagiaires": PARTNER_LIST,
    "evaluations:a_evaluer": PARTNER_LIST,
    # The internship of this world is weeks from its end: its page says when the form opens.
    "evaluations:evaluer": PARTNER_LIST
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "evaluations:en_attente": staff_page(),
    "a_faire:a_faire": staff_page(),
    "a_faire:sorties": staff_page(),
    # Switching the digest on or off is a POST.
    "a_faire:synthese": staff_page(ok=405),
    # The e-mailed link opens without signing in, for whoever holds it.
    "enquetes:repondre": public_page(),
    "enquetes:a_appeler": staff_page(),
    "enquetes:appel": staff_page(),
    # Declaring a person unreachable is a POST.
    "enquetes:injoignable": staff_page(ok=405),
    "indicateurs:tableau": staff_page(),
    "agenda:flux": public_page(),
    "agenda:ecoles": staff_page(),
    "agenda:ecole": staff_page(),
    "agenda:revoquer": staff_page(),
    "echanges:export_candidats": staff_page(),
    "echanges:export_cohorte": staff_page(),
    "echanges:export_sorties": staff_page(),
    "echanges:exports": staff_page(),
    # Another user's export is unknown to staff (tests/echanges/test_exports_en_tache.py).
    "echanges:export_demande": staff_page(ok=404),
    "echanges:export_fichier": staff_page(ok=404),
    "indicateurs:export_financeurs": staff_page(),
    "echanges:import_candidats": staff_page(),
    # Confirming an import is a POST: a GET is refused once the user may import.
    "echanges:import_confirmer": staff_page(ok=405),
    "echanges:import_termine": staff_page(),
    "echanges:modele_import": staff_page(),
    # The host company of school A enters its trainee's internship days there only.
    "presences:grille": staff_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "presences:creneau": staff_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    # Recomputing a cohort's half-days is a POST.
    "presences:regenerer": staff_page(ok=405),
    "documents:cohorte": staff_page(),
    # Generating a document or uploading a signed scan is a POST.
    "documents:emargement": staff_page(ok=405),
    "documents:feuille_signee": staff_page(ok=405),
    "documents:certificats": staff_page(ok=405),
    "documents:convention": staff_page(ok=405),
    "documents:certificat": staff_page(ok=405),
    "documents:attestation": staff_page(ok=405),
    # Staff, and the partners of the document's school.
    "documents:telecharger": signed_in_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    # Hiring needs: staff see them all, a company's partners their own company's only.
    "besoins:liste": staff_page(),
    "besoins:mes_besoins": PARTNER_LIST,
    # A partner without an active membership is told they cannot state a need.
    "besoins:creer": signed_in_page(),
    "besoins:detail": signed_in_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "besoins:modifier": signed_in_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "besoins:annuler": signed_in_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    # Validating a need and removing an assignment are POSTs.
    "besoins:valider": staff_page(ok=405),
    "besoins:affecter": staff_page(),
    "besoins:retirer_affectation": staff_page(ok=405),
    "besoins:planification_ecoles": signed_in_page(),
    "besoins:planification": signed_in_page()
    | {"partenaire_a": (200, 404), "partenaire_b": (404, 200), "partenaire_inactif": 404},
    "besoins:ecole": staff_page(),
}


def project_url_names():
    return {name for name, _, _ in iter_named_patterns() if not name.startswith("admin:")}


def test_every_url_of_the_project_is_in_the_matrix():
    names = project_url_names()

    assert names - MATRIX.keys() == set(), "add these URLs to the permission matrix"
    assert MATRIX.keys() - names == set(), "these URLs no longer exist"
    assert all(set(expected) == set(ROLES) for expected in MATRIX.values())


CASES = [
    (name, role, school)
    for name in sorted(MATRIX)
    for role in ROLES
    for school in ("a", "b")
    if name in ARGUMENTS or school == "a"
]


@pytest.mark.parametrize(("name", "role", "school"), CASES)
def test_permission_matrix(client, world, name, role, school):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=ARGUMENTS.get(name, no_argument)(world[school]))
    expected = MATRIX[name][role]
    if isinstance(expected, tuple):
        expected = expected[0] if school == "a" else expected[1]

    response = client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302, f"{url} as {role}"
        assert response.url.startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected, f"{url} as {role}"


def test_the_object_urls_are_checked_with_both_schools():
    assert len([case for case in CASES if case[2] == "b"]) == len(ARGUMENTS) * len(ROLES)
