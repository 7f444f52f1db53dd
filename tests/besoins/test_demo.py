"""The demo's hiring needs, seeded on the demo's schools, cohorts and exits."""

import datetime

import pytest
from django.utils import timezone

from besoins.models import AffectationBesoin, Besoin
from besoins.services import sorties_embauches
from demo.besoins import seed_besoins
from demo.seed import ORGANISATIONS, seed_population, seed_reference
from entreprises.models import Entreprise

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 18)


@pytest.fixture
def seeded(monkeypatch):
    """The demo's people and cohorts as of TODAY, then its needs."""
    maintenant = datetime.datetime.combine(TODAY, datetime.time(9), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: maintenant)
    _, ecoles = seed_reference()
    seed_population(ecoles, TODAY)
    seed_besoins(TODAY)


def test_every_member_company_states_needs_in_several_states(seeded):
    adherentes = {nom for nom, _, type_ in ORGANISATIONS if type_ == Entreprise.Type.ADHERENTE}

    avec_besoins = set(Besoin.objects.values_list("entreprise__nom", flat=True))
    etats = set(Besoin.objects.values_list("etat", flat=True))

    assert avec_besoins == adherentes
    assert {Besoin.Etat.EXPRIME, Besoin.Etat.VALIDE, Besoin.Etat.COUVERT} <= etats
    assert AffectationBesoin.objects.exists()


def test_one_demo_need_is_covered_by_the_demo_exits_and_seeding_again_adds_none(seeded):
    couvert = Besoin.objects.get(etat=Besoin.Etat.COUVERT)
    avant = Besoin.objects.count()

    assert couvert.embauches == couvert.postes == sorties_embauches(couvert).count()
    assert couvert.couvert_le == TODAY
    assert seed_besoins(TODAY) == avant
    assert Besoin.objects.count() == avant
