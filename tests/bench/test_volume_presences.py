"""The generated half-days and attendance are rows the portal itself could have written."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from bench.volume import HEURES_PAR_DEMI_JOURNEE, generer
from documents.retention import cohortes_a_purger, fin_de_conservation
from parcours.calendrier import jours_feries
from parcours.models import Cohorte, Inscription
from presences.models import Creneau, Presence, StatutPresence
from presences.services import demi_journees_du_calendrier, heures_realisees

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out = StringIO()
    call_command("generer_volume", echelle=0.001, stdout=out)
    return out.getvalue()


def test_generator_prints_half_days_and_attendance_counts(generated):
    assert f"{Creneau.objects.count()} creneaux" in generated
    assert f"{Presence.objects.count()} presences" in generated
    assert Presence.objects.count() > 5000


def test_half_days_are_those_the_calendar_gives_while_the_proofs_are_kept(generated):
    today = timezone.localdate()
    for cohorte in Cohorte.objects.prefetch_related("phases"):
        expected = {
            (day, moment, phase.pk, phase.type)
            for (day, moment), phase in demi_journees_du_calendrier(cohorte).items()
            if fin_de_conservation(cohorte) >= today
        }
        made = set(
            Creneau.objects.filter(cohorte=cohorte).values_list("date", "moment", "phase", "type")
        )
        assert made == expected, cohorte
    assert not Creneau.objects.exclude(heures_prevues=HEURES_PAR_DEMI_JOURNEE).exists()
    debut = Creneau.objects.order_by("date").first().date
    fin = Creneau.objects.order_by("date").last().date
    feries = [day for day, _ in jours_feries(debut, fin)]
    assert not Creneau.objects.filter(date__in=feries).exists()


def test_attendance_is_one_per_trainee_and_half_day_within_training(generated):
    today = timezone.localdate()
    presences = Presence.objects.select_related("creneau", "inscription__cohorte")

    assert not presences.exclude(creneau__cohorte=F("inscription__cohorte")).exists()
    assert not presences.filter(creneau__date__gte=today).exists()
    assert not presences.filter(creneau__date__lt=F("inscription__date_entree")).exists()
    assert not presences.filter(creneau__date__gt=F("inscription__sortie__date_sortie")).exists()
    assert not presences.filter(creneau__date__gt=F("inscription__cohorte__date_fin")).exists()
    assert not (
        Presence.objects.values("inscription", "creneau").annotate(n=Count("pk")).filter(n__gt=1)
    ).exists()
    # Every half-day of training before today has its attendance.
    for inscription in Inscription.objects.select_related("sortie", "cohorte")[:40]:
        fin = min(inscription.fin_de_formation(), today - datetime.timedelta(days=1))
        attendues = Creneau.objects.filter(
            cohorte=inscription.cohorte_id, date__range=(inscription.date_entree, fin)
        ).count()
        assert inscription.presences.count() == attendues, inscription


def test_attendance_hours_match_the_half_days_hours(generated):
    statuts = set(Presence.objects.values_list("statut", flat=True))
    assert statuts == {
        StatutPresence.PRESENT,
        StatutPresence.RETARD,
        StatutPresence.ABSENT_JUSTIFIE,
        StatutPresence.ABSENT_NON_JUSTIFIE,
    }
    for statut, minutes, motif, heures, prevues in Presence.objects.values_list(
        "statut", "minutes_retard", "motif", "heures_realisees", "creneau__heures_prevues"
    ).iterator():
        assert heures == heures_realisees(statut, minutes, prevues)
        assert (minutes is not None) == (statut == StatutPresence.RETARD)
        assert bool(motif) == (statut == StatutPresence.ABSENT_JUSTIFIE)


def test_the_retention_job_finds_nothing_to_delete_in_generated_proofs():
    today = datetime.date(2026, 6, 15)
    generer(0.01, today=today)
    kept = Creneau.objects.values("cohorte").distinct().count()

    assert 0 < kept < Cohorte.objects.count()
    assert not cohortes_a_purger(today).exists()
