"""The demo as a whole: the article's member companies state needs, and a year of
events and immersions comes from the candidates the demo sources through events."""

import datetime

import pytest
from django.utils import timezone

from besoins.models import Besoin
from candidats.models import CanalSourcing, Candidat
from demo.besoins import seed_besoins
from demo.evenements import seed_evenements
from demo.seed import seed_population, seed_reference
from evenements.models import Evenement, Immersion, Participation, StatutParticipation

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 18)

# The member companies the article names, school by school.
ENTREPRISES_DE_L_ARTICLE = {
    "Trémois",
    "Mahle",
    "Antolin",
    "Nestlé",
    "Materne",
    "Minth",
    "Flex'N'Gate",
    "Ampere",
    "Aéroport de Lille",
    "Teinturerie de la Justice",
    "Peignage Dumortier",
    "Spie",
    "SNEF",
    "Big Ben",
}


@pytest.fixture
def demo(monkeypatch):
    """The demo's people and cohorts as of TODAY, then its events and needs."""
    maintenant = datetime.datetime.combine(TODAY, datetime.time(9), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: maintenant)
    _, ecoles = seed_reference()
    seed_population(ecoles, TODAY)
    seed_evenements(TODAY)
    seed_besoins(TODAY)


def test_every_company_of_the_article_states_needs_at_its_schools(demo):
    besoins = Besoin.objects.select_related("entreprise", "ecole")

    assert {besoin.entreprise.nom for besoin in besoins} == ENTREPRISES_DE_L_ARTICLE
    for besoin in besoins:
        assert besoin.ecole.entreprises_adherentes.filter(pk=besoin.entreprise_id).exists()


def test_the_demo_events_cover_a_year_and_bring_their_participants(demo):
    dates = sorted(Evenement.objects.values_list("date", flat=True))

    assert dates[0] <= TODAY - datetime.timedelta(days=300)
    assert len({(jour.year, jour.month) for jour in dates if jour <= TODAY}) >= 10
    assert Participation.objects.filter(statut=StatutParticipation.PRESENT).exists()
    sources = Candidat.objects.filter(canal=CanalSourcing.EVENEMENT, evenement_source__isnull=False)
    assert sources.exists()
    assert (
        not Candidat.objects.exclude(canal=CanalSourcing.EVENEMENT)
        .filter(evenement_source__isnull=False)
        .exists()
    )


def test_the_demo_immersions_spread_over_the_year_at_member_companies(demo):
    immersions = list(Immersion.objects.select_related("candidat__ecole_visee", "entreprise"))

    assert len(immersions) >= 5
    debuts = [immersion.date_debut for immersion in immersions]
    assert max(debuts) - min(debuts) >= datetime.timedelta(days=180)
    for immersion in immersions:
        assert immersion.candidat.canal == CanalSourcing.EVENEMENT
        assert immersion.entreprise.nom in ENTREPRISES_DE_L_ARTICLE
    assert any(immersion.depasse_un_mois for immersion in immersions)
    preselectionnes = [i for i in immersions if i.est_concluante]
    assert preselectionnes
    assert all(i.candidat.statut != Candidat.Statut.A_CONTACTER for i in preselectionnes)
