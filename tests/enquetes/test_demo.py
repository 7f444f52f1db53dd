"""The demo data shows the surveys in every state, and loading it twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquetes.models import Enquete, SituationApresSortie
from messagerie.models import Message

pytestmark = pytest.mark.django_db


def seed_demo():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_answered_pending_and_to_call_surveys():
    seed_demo()
    today = timezone.localdate()
    comptes = (
        Enquete.objects.count(),
        SituationApresSortie.objects.count(),
        Message.objects.count(),
    )

    seed_demo()

    reponses = SituationApresSortie.objects.all()
    assert reponses.filter(vague_mois=6, source=SituationApresSortie.Source.ENQUETE).count() >= 5
    assert reponses.filter(source=SituationApresSortie.Source.TELEPHONE).exists()
    assert Enquete.objects.ouvertes(today).filter(envoyee_le__isnull=False).exists()
    assert Enquete.objects.ouvertes(today).filter(date_prevue__gt=today).exists()
    assert Enquete.objects.a_appeler(today).exists()
    assert Enquete.objects.filter(injoignable_le__isnull=False).exists()
    assert comptes == (
        Enquete.objects.count(),
        SituationApresSortie.objects.count(),
        Message.objects.count(),
    )
