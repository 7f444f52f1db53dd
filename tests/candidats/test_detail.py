"""The candidate's file: identity, enrollments, check-ins, outcome and the actions on them."""

import datetime
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse

from parcours.models import Inscription, Risque, Situation
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# This module doubles as a URLconf without the parcours app, for the tests marked
# `without_parcours_urls`: the page must open before that app publishes its actions.
urlpatterns = [
    pattern
    for pattern in import_module(settings.ROOT_URLCONF).urlpatterns
    if getattr(pattern, "namespace", None) != "parcours"
]
without_parcours_urls = pytest.mark.urls(__name__)


def detail(client, candidat):
    return client.get(reverse("candidats:detail", kwargs={"pk": candidat.pk}))


def text_of(response):
    """The page's text with tags and runs of blanks removed, as a reader sees it."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def helene():
    return CandidatFactory(
        prenom="Hélène",
        nom="Lefèvre",
        date_naissance=datetime.date(1990, 5, 12),
        email="helene.lefevre@exemple.fr",
        telephone="06 12 34 56 78",
        commune="Lille",
        code_postal="59000",
        identifiant_france_travail="1234567A",
        notes="Disponible le matin.",
        date_consentement=datetime.date(2025, 2, 1),
        date_dernier_contact=datetime.date(2025, 2, 20),
        ecole_visee=EcoleFactory(nom="École de la Logistique", ville="Douai"),
    )


@pytest.fixture
def parcours_bethune():
    ecole = EcoleFactory(nom="École de la Maintenance et conduite de ligne", ville="Béthune")
    return ParcoursFactory(ecole=ecole)


@pytest.fixture
def sortie_en_cdi(helene, parcours_bethune):
    """A finished enrollment: an internship at Ampere, one check-in, an exit into a CDI."""
    cohorte = CohorteFactory(
        parcours=parcours_bethune, nom="Béthune 2025", date_debut=datetime.date(2025, 1, 6)
    )
    inscription = InscriptionFactory(
        candidat=helene, cohorte=cohorte, statut=Inscription.Statut.SORTIE
    )
    StageFactory(inscription=inscription, entreprise=EntrepriseFactory(nom="Ampere"))
    SuiviFactory(
        inscription=inscription,
        date_entretien=datetime.date(2025, 1, 28),
        risque_decrochage=Risque.ELEVE,
        auteur=UserFactory(first_name="Camille", last_name="Roussel"),
    )
    return SortieFactory(inscription=inscription, employeur="Ampere Electricity")


def test_shows_identity_contact_and_personal_data_dates(client_staff, helene):
    text = text_of(detail(client_staff, helene))

    for shown in [
        "Hélène Lefèvre",
        "Date de naissance 12/05/1990",
        "helene.lefevre@exemple.fr",
        "06 12 34 56 78",
        "59000 Lille",
        "Identifiant France Travail 1234567A",
        "Canal de sourcing France Travail",
        "École visée École de la Logistique — Douai",
        "Statut À contacter",
        "Disponible le matin.",
        "Consentement 01/02/2025",
        "Dernier contact 20/02/2025",
    ]:
        assert shown in text, shown


def test_offers_to_edit_and_to_enroll(client_staff, helene):
    html = detail(client_staff, helene).content.decode()

    assert f'href="{reverse("candidats:modifier", kwargs={"pk": helene.pk})}"' in html
    inscrire = reverse("parcours:choisir_cohorte", kwargs={"candidat_pk": helene.pk})
    assert f'<a href="{inscrire}" role="button">Inscrire dans une cohorte</a>' in html


def test_candidate_never_enrolled_says_so(client_staff, helene):
    text = text_of(detail(client_staff, helene))

    assert "Ce candidat n'est inscrit dans aucune cohorte." in text


def test_shows_the_enrollment_internship_check_in_and_outcome(client_staff, helene, sortie_en_cdi):
    inscription = sortie_en_cdi.inscription

    response = detail(client_staff, helene)

    html = response.content.decode()
    text = text_of(response)
    cohorte_url = reverse("parcours:cohorte", kwargs={"pk": inscription.cohorte.pk})
    assert f'<a href="{cohorte_url}">Béthune 2025</a>' in html
    assert "entrée le 06/01/2025" in text
    assert "Sortie" in text
    assert "Ampere — Stage en entreprise" in text
    assert "Janvier 2025 28/01/2025 Bon Bon Élevé Camille Roussel" in text
    assert '<span class="badge badge-danger">Élevé</span>' in html
    assert f"Date de sortie {sortie_en_cdi.date_sortie:%d/%m/%Y}" in text
    assert "Motif Fin de parcours" in text
    assert "Situation CDI" in text
    assert "Employeur Ampere Electricity" in text
    assert '<span class="badge badge-success">Emploi durable</span>' in html


def test_transition_job_is_not_shown_as_durable(client_staff, helene, sortie_en_cdi):
    sortie_en_cdi.situation = Situation.CONTRAT_AIDE
    sortie_en_cdi.save()

    html = detail(client_staff, helene).content.decode()

    categorie = html.split("<dt>Catégorie</dt>")[1].split("</dd>")[0]
    assert "Emploi de transition" in categorie
    assert "Emploi durable" not in categorie


def test_actions_on_a_trainee_in_training_only(client_staff, helene, sortie_en_cdi):
    en_formation = InscriptionFactory(candidat=helene)
    terminee = sortie_en_cdi.inscription

    html = detail(client_staff, helene).content.decode()

    suivi = reverse("parcours:suivi_creer", kwargs={"pk": en_formation.pk})
    sortie = reverse("parcours:sortie", kwargs={"pk": en_formation.pk})
    assert f'<a href="{suivi}" role="button" class="secondary">Saisir le suivi du mois</a>' in html
    assert f'href="{sortie}" role="button" class="secondary outline">Enregistrer la sortie' in html
    assert reverse("parcours:suivi_creer", kwargs={"pk": terminee.pk}) not in html
    assert reverse("parcours:sortie", kwargs={"pk": terminee.pk}) not in html


@without_parcours_urls
def test_page_opens_before_the_parcours_actions_exist(client_staff, helene, sortie_en_cdi):
    InscriptionFactory(candidat=helene)

    response = detail(client_staff, helene)

    assert response.status_code == 200
    text = text_of(response)
    assert "Béthune 2025" in text
    for action in ["Inscrire dans une cohorte", "Saisir le suivi du mois", "Enregistrer la sortie"]:
        assert action not in text


@pytest.mark.parametrize("enrollments", [1, 50])
def test_detail_queries_do_not_grow_with_enrollments_and_check_ins(
    client_staff, django_assert_num_queries, helene, parcours_bethune, enrollments
):
    # One cohort after another, all ended: a person is in one cohort at a time.
    debut = datetime.date(2000, 1, 3)
    for _ in range(enrollments):
        cohorte = CohorteFactory(parcours=parcours_bethune, date_debut=debut)
        debut = cohorte.date_fin + datetime.timedelta(days=1)
        inscription = InscriptionFactory(candidat=helene, cohorte=cohorte)
        StageFactory(inscription=inscription)
        SuiviFactory(inscription=inscription)
        SortieFactory(inscription=inscription)

    # 1. savepoint of ATOMIC_REQUESTS, 2. the session, 3. the user, 4. the candidate and
    # the school aimed at, 5. the enrollments with cohort, track, school and outcome,
    # 6. their internships with company and phase, 7. their check-ins with author,
    # 8. the event participations with their event, 9. the immersions with their
    # company, 10. the ids of every enrollment the history knows, 11.-15. the history of
    # the candidate, enrollments, internships, check-ins and exits, with their authors,
    # 16.-17. the planned hours and the attendance of every enrollment, 18. release;
    # 19.-21. the session saved again (SESSION_SAVE_EVERY_REQUEST) in its own savepoint.
    with django_assert_num_queries(21):
        response = detail(client_staff, helene)

    assert response.content.decode().count("Emploi durable</span>") == enrollments
