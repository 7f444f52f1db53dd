"""Issue 16: the unjustified absences counted per trainee and month stay what the
attendance says, through the grid's saves and corrections, the purge and the rebuild."""

import datetime
import random

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse

from documents import retention
from parcours.models import Cohorte
from presences import services
from presences.models import AbsencesDuMois, Creneau, Presence, StatutPresence
from presences.services import Saisie
from tests.factories import CohorteFactory, InscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

LUNDI = datetime.date(2025, 1, 6)
STATUTS = [
    StatutPresence.PRESENT,
    StatutPresence.ABSENT_NON_JUSTIFIE,
    StatutPresence.ABSENT_JUSTIFIE,
]


def comptes_de_la_table():
    return set(AbsencesDuMois.objects.values_list("inscription_id", "mois", "absences"))


def comptes_calcules():
    return set(
        Presence.objects.filter(statut=StatutPresence.ABSENT_NON_JUSTIFIE)
        .values_list("inscription_id", TruncMonth("creneau__date"))
        .annotate(Count("pk"))
        .order_by()
    )


def saisir(cohorte, inscriptions, creneaux, hasard):
    saisies = []
    for inscription in inscriptions:
        for creneau in creneaux:
            statut = hasard.choice(STATUTS)
            justifiee = statut == StatutPresence.ABSENT_JUSTIFIE
            motif = "Rendez-vous médical" if justifiee else ""
            saisies.append(Saisie(inscription.pk, creneau.pk, statut, motif=motif))
    services.enregistrer_presences(cohorte=cohorte, saisies=saisies, par=UserFactory())


@pytest.mark.parametrize("graine", [1, 2])
def test_the_counts_equal_the_attendance_after_saves_and_corrections(graine):
    hasard = random.Random(graine)
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscriptions = InscriptionFactory.create_batch(3, cohorte=cohorte)
    creneaux = list(
        Creneau.objects.filter(cohorte=cohorte, date__lt=datetime.date(2025, 2, 15)).order_by(
            "date", "moment"
        )
    )
    # Two passes: the second corrects some cells of the first, across two months.
    saisir(cohorte, inscriptions, creneaux, hasard)
    saisir(cohorte, inscriptions[:2], hasard.sample(creneaux, len(creneaux) // 2), hasard)

    attendus = comptes_calcules()
    assert {mois for _, mois, _ in attendus} == {
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    }
    assert comptes_de_la_table() == attendus

    AbsencesDuMois.objects.update(absences=99)
    services.reconstruire_absences()
    assert comptes_de_la_table() == attendus


def test_a_corrected_absence_takes_the_trainee_off_the_home_page_alert(
    client_staff, settings, monkeypatch
):
    settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE = 2
    monkeypatch.setattr(
        "presences.templatetags.presences.timezone.localdate",
        lambda valeur=None: datetime.date(2025, 1, 20),
    )
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscription = InscriptionFactory(cohorte=cohorte, candidat__nom="Absentéiste")
    lundi, mardi = Creneau.objects.filter(cohorte=cohorte).order_by("date", "moment")[:2]
    absent = StatutPresence.ABSENT_NON_JUSTIFIE
    services.enregistrer_presences(
        cohorte=cohorte,
        saisies=[
            Saisie(inscription.pk, lundi.pk, absent),
            Saisie(inscription.pk, mardi.pk, absent),
        ],
        par=UserFactory(),
    )
    assert "Absentéiste" in client_staff.get(reverse("portail:accueil")).text

    services.enregistrer_presences(
        cohorte=cohorte,
        saisies=[Saisie(inscription.pk, mardi.pk, StatutPresence.PRESENT)],
        par=UserFactory(),
    )

    assert "Absentéiste" not in client_staff.get(reverse("portail:accueil")).text
    assert comptes_de_la_table() == {(inscription.pk, datetime.date(2025, 1, 1), 1)}


def test_the_purge_of_a_cohort_s_attendance_drops_its_counts():
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscription = InscriptionFactory(cohorte=cohorte)
    (lundi,) = Creneau.objects.filter(cohorte=cohorte).order_by("date", "moment")[:1]
    services.enregistrer_presences(
        cohorte=cohorte,
        saisies=[Saisie(inscription.pk, lundi.pk, StatutPresence.ABSENT_NON_JUSTIFIE)],
        par=UserFactory(),
    )
    assert comptes_de_la_table()

    retention.purger(cohortes=Cohorte.objects.filter(pk=cohorte.pk))

    assert comptes_de_la_table() == set()


def test_a_save_of_one_month_keeps_the_counts_of_the_others():
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscription = InscriptionFactory(cohorte=cohorte)
    janvier = Creneau.objects.filter(cohorte=cohorte, date__month=1).order_by("date").first()
    fevrier = Creneau.objects.filter(cohorte=cohorte, date__month=2).order_by("date").first()
    absent = StatutPresence.ABSENT_NON_JUSTIFIE
    for creneau in [janvier, fevrier]:
        services.enregistrer_presences(
            cohorte=cohorte, saisies=[Saisie(inscription.pk, creneau.pk, absent)], par=UserFactory()
        )

    assert comptes_de_la_table() == {
        (inscription.pk, datetime.date(2025, 1, 1), 1),
        (inscription.pk, datetime.date(2025, 2, 1), 1),
    }
