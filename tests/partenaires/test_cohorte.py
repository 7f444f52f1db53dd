"""The partner's cohort page: what it shows of the trainees, and what it never shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import Inscription, Niveau, Situation, TypePhase
from partenaires.models import Consultation
from tests.factories import (
    CandidatFactory,
    InscriptionFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)

NAISSANCE = datetime.date(1987, 3, 14)
SECRETS = [
    "TEL-0611223344",
    "secret-email-xyz@example.org",
    NAISSANCE.strftime("%d/%m/%Y"),
    NAISSANCE.isoformat(),
    "Commune-Secrete-QWE",
    "59123",
    "FT-SECRET-77",
    "secret-notes-XYZ",
    "secret-commentaire-suivi-ABC",
    "secret-actions-DEF",
    "secret-participants-GHI",
    "secret-commentaire-sortie-JKL",
]


def candidat_aux_donnees_secretes(**kwargs):
    return CandidatFactory(
        telephone="TEL-0611223344",
        email="secret-email-xyz@example.org",
        date_naissance=NAISSANCE,
        commune="Commune-Secrete-QWE",
        code_postal="59123",
        identifiant_france_travail="FT-SECRET-77",
        notes="secret-notes-XYZ",
        **kwargs,
    )


@pytest.fixture
def stagiaire(cohorte_a):
    """A trainee in training, with an internship at the partner's company and a check-in."""
    inscription = InscriptionFactory(
        cohorte=cohorte_a, candidat=candidat_aux_donnees_secretes(prenom="Inès", nom="Zerrouki")
    )
    StageFactory(inscription=inscription)
    SuiviFactory(
        inscription=inscription,
        assiduite=Niveau.MOYEN,
        progression=Niveau.INSUFFISANT,
        commentaire="secret-commentaire-suivi-ABC",
        actions="secret-actions-DEF",
        participants="secret-participants-GHI",
    )
    return inscription


@pytest.fixture
def sortant(cohorte_a):
    """A trainee who left for a short CDD."""
    inscription = InscriptionFactory(
        cohorte=cohorte_a,
        candidat=candidat_aux_donnees_secretes(prenom="Karim", nom="Lefebvre"),
        statut=Inscription.Statut.SORTIE,
    )
    today = timezone.localdate()
    SortieFactory(
        inscription=inscription,
        date_sortie=today,
        situation=Situation.CDD,
        date_debut_contrat=today,
        date_fin_contrat=today + datetime.timedelta(days=60),
        commentaire="secret-commentaire-sortie-JKL",
    )
    return inscription


def test_cohort_page_shows_name_phase_host_company_check_in_and_outcome(
    client, partenaire_a, cohorte_a, stagiaire, sortant
):
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk])).content.decode()

    assert "Inès Zerrouki" in html
    assert "Karim Lefebvre" in html
    assert "Théorie : fondamentaux" in html
    assert "Stage en entreprise" in html
    assert "Ampere Béthune" in html
    assert 'badge-warning">Moyen</span>' in html
    assert 'badge-danger">Insuffisant</span>' in html
    assert "CDD" in html
    assert "Emploi de transition" in html
    assert "Sorti·e du parcours" in html


def test_cohort_page_never_shows_contact_details_birth_date_or_staff_notes(
    client, partenaire_a, cohorte_a, stagiaire, sortant
):
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk])).content.decode()

    assert "Inès Zerrouki" in html
    for secret in SECRETS:
        assert secret not in html


def test_cohort_page_never_fetches_contact_details_or_staff_notes(
    client, partenaire_a, cohorte_a, stagiaire, sortant, django_assert_max_num_queries
):
    client.force_login(partenaire_a)

    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    sql = " ".join(query["sql"] for query in captured.captured_queries)
    candidat = [
        "telephone",
        "email",
        "date_naissance",
        "commune",
        "code_postal",
        "identifiant_france_travail",
        "notes",
    ]
    columns = [f'"candidats_candidat"."{name}"' for name in candidat] + [
        '"parcours_suivi"."commentaire"',
        '"parcours_suivi"."actions"',
        '"parcours_suivi"."participants"',
        '"parcours_sortie"."commentaire"',
    ]
    assert '"candidats_candidat"."nom"' in sql
    for column in columns:
        assert column not in sql


def test_host_company_is_the_current_or_next_internship(client, partenaire_a, cohorte_a):
    inscription = InscriptionFactory(cohorte=cohorte_a)
    StageFactory(inscription=inscription)
    client.force_login(partenaire_a)

    response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    [ligne] = response.context["stagiaires"]
    assert ligne.entreprise_accueil == "Ampere Béthune"
    assert ligne.phase == "Théorie : fondamentaux"
    assert ligne.suivi_mois is None


def test_phase_calendar_lists_every_phase_and_marks_the_current_one(
    client, partenaire_a, cohorte_a
):
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk])).content.decode()

    for phase in cohorte_a.phases.all():
        assert f"{phase.date_debut:%d/%m/%Y} au {phase.date_fin:%d/%m/%Y}" in html
    premiere = cohorte_a.phases.get(ordre=1)
    assert premiere.type == TypePhase.THEORIE
    assert f"{premiere.intitule} (théorie) : du" in html
    assert html.count('aria-current="step"') == 1
    assert "phase en cours" in html


def test_every_view_of_the_cohort_page_is_logged(client, partenaire_a, cohorte_a):
    client.force_login(partenaire_a)
    url = reverse("partenaires:cohorte", args=[cohorte_a.pk])

    client.get(url)
    client.get(url, REMOTE_ADDR="192.0.2.10")

    consultations = list(Consultation.objects.order_by("viewed_at", "pk"))
    assert len(consultations) == 2
    assert {c.user for c in consultations} == {partenaire_a}
    assert {c.cohorte for c in consultations} == {cohorte_a}
    assert consultations[1].ip == "192.0.2.10"
    assert timezone.now() - consultations[1].viewed_at < datetime.timedelta(minutes=1)


def test_a_refused_view_is_not_logged(client, partenaire_b, cohorte_a):
    client.force_login(partenaire_b)

    client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert not Consultation.objects.exists()


def test_a_large_cohort_shows_its_trainees_fifty_per_page(client, partenaire_a, cohorte_a):
    cohorte_a.places = 80
    cohorte_a.save()
    for number in range(52):
        InscriptionFactory(
            cohorte=cohorte_a, candidat__nom=f"Stagiaire{number:02d}", candidat__prenom="Test"
        )
    client.force_login(partenaire_a)
    url = reverse("partenaires:cohorte", args=[cohorte_a.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Stagiaire49" in first and "Stagiaire50" not in first
    assert "Page 1 sur 2" in first
    assert "Stagiaire50" in second and "Stagiaire51" in second
    assert "Stagiaire00" not in second
