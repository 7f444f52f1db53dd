"""The demo data shows the surveys in every state, and loading it twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
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


def test_the_demo_indicators_page_shows_answers_and_non_answers_at_6_months(client_staff):
    """The page of the year, as it opens: each survey figure has respondents, and exits
    asked at 6 months that did not answer, shown apart."""
    seed_demo()
    today = timezone.localdate()
    a_6_mois = Enquete.objects.filter(vague_mois=6, date_prevue__lte=today)
    assert SituationApresSortie.objects.filter(vague_mois=6).exists()
    assert a_6_mois.ouvertes(today).filter(envoyee_le__isnull=False).exists()
    assert a_6_mois.a_appeler(today).exists()

    response = client_staff.get(reverse("indicateurs:tableau"))

    par_enquete = [figure for figure in response.context["financeurs"] if figure.par_enquete]
    assert len(par_enquete) == 2
    for figure in par_enquete:
        assert figure.numerateur > 0
        assert figure.sans_reponse > 0
        assert figure.definition in response.text.replace("&#x27;", "'")
