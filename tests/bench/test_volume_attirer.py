"""The generated needs, events and immersions are rows the portal itself could have written."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from besoins.models import AffectationBesoin, Besoin
from besoins.services import sorties_embauches
from candidats.models import CanalSourcing, Candidat
from evenements.models import Evenement, Immersion, Participation, StatutParticipation

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generer_volume", echelle=0.003, verbosity=0)


def test_needs_have_the_hires_and_state_the_exits_give_them(generated):
    besoins = Besoin.objects.select_related("ecole")
    assert besoins.filter(etat=Besoin.Etat.COUVERT).exists()
    assert besoins.filter(etat__in=Besoin.ETATS_A_POURVOIR).exists()
    for besoin in besoins:
        assert besoin.ecole.entreprises_adherentes.filter(pk=besoin.entreprise_id).exists()
        embauches = sorties_embauches(besoin).count()
        assert besoin.embauches == embauches, besoin
        if besoin.etat == Besoin.Etat.COUVERT:
            assert embauches >= besoin.postes and besoin.couvert_le, besoin
        elif besoin.etat != Besoin.Etat.ANNULE:
            assert embauches < besoin.postes, besoin


def test_assignments_never_exceed_seats_nor_positions(generated):
    assert AffectationBesoin.objects.exists()
    assert not AffectationBesoin.objects.exclude(
        cohorte__parcours__ecole=F("besoin__ecole")
    ).exists()
    par_cohorte = AffectationBesoin.objects.values("cohorte", "cohorte__places").annotate(
        total=Sum("postes")
    )
    assert all(ligne["total"] <= ligne["cohorte__places"] for ligne in par_cohorte)
    par_besoin = AffectationBesoin.objects.values("besoin", "besoin__postes").annotate(
        total=Sum("postes")
    )
    assert all(ligne["total"] <= ligne["besoin__postes"] for ligne in par_besoin)
    assert not AffectationBesoin.objects.filter(besoin__etat=Besoin.Etat.ANNULE).exists()


def test_events_keep_within_capacity_and_bring_their_candidates(generated):
    today = timezone.localdate()
    evenements = Evenement.objects.avec_places_prises()
    assert evenements.exists()
    assert all(e.places_prises <= e.capacite for e in evenements)
    assert not Participation.objects.filter(
        evenement__date__gte=today, statut=StatutParticipation.PRESENT
    ).exists()
    venus = Candidat.objects.filter(canal=CanalSourcing.EVENEMENT)
    assert venus.exists()
    assert not venus.filter(evenement_source__isnull=True).exists()
    assert not venus.exclude(participations__evenement=F("evenement_source")).exists()
    assert (
        not Candidat.objects.exclude(canal=CanalSourcing.EVENEMENT)
        .filter(evenement_source__isnull=False)
        .exists()
    )
    assert not Evenement.objects.annotate(n=Count("ecoles")).filter(~Q(n=1)).exists()


def test_immersions_have_an_outcome_once_over(generated):
    today = timezone.localdate()
    assert Immersion.objects.exists()
    assert not Immersion.objects.filter(date_fin__gte=today).exclude(resultat="en_cours").exists()
    assert not Immersion.objects.filter(date_fin__lt=today, resultat="en_cours").exists()
