"""What the demo shows of a cohort in operation: schemes, tutors, attendance, documents."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from comptes.models import User
from documents.models import Document, TypeDocument
from parcours.models import Cohorte, Dispositif, Inscription, Stage
from presences.models import Creneau, Presence, StatutPresence
from presences.services import en_formation_le

pytestmark = pytest.mark.django_db
# A Wednesday mid-month: the running cohorts are in their third or fourth month.
TODAY = datetime.date(2026, 3, 18)


@pytest.fixture
def seeded(monkeypatch):
    """The demo as seeded on TODAY, at 10 o'clock, for every service that reads the clock."""
    maintenant = datetime.datetime.combine(TODAY, datetime.time(9), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: maintenant)
    call_command("seed_demo", stdout=StringIO())


def bethune_2025():
    return Cohorte.objects.get(parcours__ecole__ville="Béthune", date_debut__year=2025)


def test_the_bethune_cohort_of_january_2025_has_one_attendance_per_trainee_and_half_day(seeded):
    cohorte = bethune_2025()
    inscriptions = list(cohorte.inscriptions.select_related("sortie", "cohorte"))
    creneaux = list(Creneau.objects.filter(cohorte=cohorte))
    expected = {
        (inscription.pk, creneau.pk)
        for inscription in inscriptions
        for creneau in creneaux
        if en_formation_le(inscription, creneau.date)
    }

    recorded = list(
        Presence.objects.filter(creneau__cohorte=cohorte).values_list("inscription", "creneau")
    )

    assert len(recorded) == len(expected) > 1000
    assert set(recorded) == expected


def test_demo_absences_are_realistic(seeded):
    presences = Presence.objects.filter(creneau__cohorte=bethune_2025())
    total = presences.count()
    par_statut = {
        statut: presences.filter(statut=statut).count() for statut in StatutPresence.values
    }

    assert par_statut[StatutPresence.PRESENT] / total > 0.85
    assert 0 < par_statut[StatutPresence.RETARD] / total < 0.1
    assert 0 < par_statut[StatutPresence.ABSENT_JUSTIFIE] / total < 0.1
    assert par_statut[StatutPresence.ABSENT_NON_JUSTIFIE] < par_statut[StatutPresence.RETARD]
    assert par_statut[StatutPresence.NON_APPLICABLE] == 0
    assert set(
        presences.filter(statut=StatutPresence.ABSENT_JUSTIFIE).values_list("motif", flat=True)
    ) <= {"Rendez-vous médical", "Enfant malade", "Démarche France Travail"}
    late = presences.filter(statut=StatutPresence.RETARD).select_related("creneau").first()
    assert late.minutes_retard > 0
    assert late.heures_realisees < late.creneau.heures_prevues
    # The training organisation's account entered the theory, Ampere's the internship.
    assert set(
        presences.filter(creneau__type="theorie").values_list("saisie_par__username", flat=True)
    ) == {"partenaire.greta"}
    assert set(
        presences.filter(creneau__type="stage").values_list("saisie_par__username", flat=True)
    ) == {"partenaire.ampere"}


def test_running_cohorts_have_their_last_weeks_entered(seeded):
    en_cours = Cohorte.objects.en_cours(TODAY)

    assert en_cours.exists()
    for cohorte in en_cours:
        assert Presence.objects.filter(
            creneau__cohorte=cohorte, creneau__date=datetime.date(2026, 3, 17)
        ).exists(), cohorte
    assert not Presence.objects.filter(creneau__date__gt=TODAY).exists()
    assert not Presence.objects.filter(creneau__date=TODAY, creneau__moment="apres_midi").exists()


def test_one_trainee_misses_more_half_days_this_month_than_the_home_page_tolerates(seeded, client):
    seuil = settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE
    this_month = Presence.objects.filter(
        statut=StatutPresence.ABSENT_NON_JUSTIFIE, creneau__date__gte=TODAY.replace(day=1)
    )
    par_stagiaire = {}
    for inscription_id in this_month.values_list("inscription", flat=True):
        par_stagiaire[inscription_id] = par_stagiaire.get(inscription_id, 0) + 1

    assert sorted(par_stagiaire.values())[-1] > seuil
    assert sorted(par_stagiaire.values())[-2:-1] < [seuil]
    flagged = Inscription.objects.get(pk=max(par_stagiaire, key=par_stagiaire.get))
    client.force_login(User.objects.get(username="equipe"))
    section = client.get(reverse("portail:accueil")).text.split('id="absences-non-justifiees"')[1]
    rows = section.split("</article>")[0].split("<li>")[1:]
    assert len(rows) == 1
    assert escape(str(flagged.candidat)) in rows[0]


def test_every_cohort_has_one_funding_scheme_and_a_funder(seeded):
    cohortes = Cohorte.objects.select_related("dispositif")

    assert not cohortes.filter(dispositif__isnull=True).exists()
    assert not cohortes.filter(financeur="").exists()
    assert {cohorte.dispositif.code for cohorte in cohortes} == {
        Dispositif.Code.POEC,
        Dispositif.Code.POEI,
        Dispositif.Code.PRF,
        Dispositif.Code.CONTRAT_PRO,
    }
    bethune = bethune_2025()
    assert (bethune.dispositif.code, bethune.financeur, bethune.cofinancee_fse) == (
        Dispositif.Code.PRF,
        "Région Hauts-de-France",
        True,
    )
    assert Creneau.objects.filter(cohorte=bethune).exclude(lieu="").exists()


def test_internships_reached_have_a_tutor_of_the_host_company(seeded):
    stages = Stage.objects.select_related("tuteur", "phase", "inscription__sortie")
    reached = [
        stage for stage in stages if stage.phase.date_debut <= stage.inscription.fin_de_formation()
    ]

    assert len(reached) > 50
    for stage in reached:
        assert stage.tuteur.entreprise_id == stage.entreprise_id
        assert stage.activites
        assert stage.heures_hebdomadaires in {35, 39}


def test_demo_keeps_a_weekly_sheet_an_agreement_and_a_certificate(seeded):
    documents = Document.objects.filter(cohorte=bethune_2025())

    assert sorted(documents.values_list("type", flat=True)) == sorted(
        [
            TypeDocument.EMARGEMENT,
            TypeDocument.CONVENTION_STAGE,
            TypeDocument.CERTIFICAT_REALISATION,
        ]
    )
    assert documents.get(type=TypeDocument.EMARGEMENT).lundi == datetime.date(2025, 1, 13)


def test_seeding_again_adds_no_attendance_nor_document(seeded):
    counts = (Presence.objects.count(), Document.objects.count(), Stage.history.count())

    call_command("seed_demo", stdout=StringIO())

    assert (Presence.objects.count(), Document.objects.count(), Stage.history.count()) == counts
