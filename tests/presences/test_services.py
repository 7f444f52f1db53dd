import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parcours.models import TypePhase
from parcours.services import PhasePlanifiee, planifier_calendrier
from presences import services
from presences.models import Creneau, Moment, Presence, StatutPresence
from presences.services import Saisie
from tests.factories import InscriptionFactory, SortieFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def compter(cohorte, type_phase):
    return Creneau.objects.filter(cohorte=cohorte, type=type_phase).count()


def test_the_bethune_cohort_of_january_2025_has_its_half_days_without_public_holidays(
    cohorte_bethune,
):
    # By hand, Monday to Friday, two half-days a day:
    # - theory 06/01–16/02: 6 weeks, no holiday: 30 days;
    # - internship 17/02–23/03: 5 weeks: 25 days;
    # - theory 24/03–13/04: 3 weeks: 15 days;
    # - Easter break 14/04–27/04 (Easter Monday 21/04 inside): none;
    # - theory 28/04–06/07: 10 weeks = 50 weekdays, less Thursday 1 May, Thursday 8 May,
    #   Ascension Thursday 29 May and Whit Monday 9 June: 46 days.
    assert compter(cohorte_bethune, TypePhase.THEORIE) == 2 * (30 + 15 + 46)
    assert compter(cohorte_bethune, TypePhase.STAGE) == 2 * 25
    assert compter(cohorte_bethune, TypePhase.INTERRUPTION) == 0
    jours = set(Creneau.objects.filter(cohorte=cohorte_bethune).values_list("date", flat=True))
    for ferie in [D(2025, 5, 1), D(2025, 5, 8), D(2025, 5, 29), D(2025, 6, 9), D(2025, 4, 21)]:
        assert ferie not in jours
    assert D(2025, 5, 2) in jours
    assert all(jour.weekday() < 5 for jour in jours)


def test_half_days_take_the_cohorts_hours_place_and_trainer(cohorte_bethune):
    creneau = Creneau.objects.filter(cohorte=cohorte_bethune).first()

    assert creneau.heures_prevues == Decimal("3.5")
    moments = Creneau.objects.filter(date=creneau.date).values_list("moment", flat=True)
    assert set(moments) == {Moment.MATIN, Moment.APRES_MIDI}


def test_generation_is_idempotent(cohorte_bethune):
    avant = set(Creneau.objects.filter(cohorte=cohorte_bethune).values_list("pk", flat=True))

    rapport = services.generer_creneaux(cohorte_bethune)

    assert (rapport.crees, rapport.modifies, rapport.supprimes, rapport.conserves) == (0, 0, 0, [])
    assert (
        set(Creneau.objects.filter(cohorte=cohorte_bethune).values_list("pk", flat=True)) == avant
    )


def calendrier_decale(cohorte):
    """The internship one week later: theory 7 weeks, internship 24/02–30/03, theory
    31/03–13/04 (the rest unchanged)."""
    phases = list(cohorte.phases.order_by("ordre"))
    dates = [
        (D(2025, 1, 6), D(2025, 2, 23)),
        (D(2025, 2, 24), D(2025, 3, 30)),
        (D(2025, 3, 31), D(2025, 4, 13)),
        (phases[3].date_debut, phases[3].date_fin),
        (phases[4].date_debut, phases[4].date_fin),
    ]
    return [
        PhasePlanifiee(
            intitule=phase.intitule, type=phase.type, date_debut=debut, date_fin=fin, pk=phase.pk
        )
        for phase, (debut, fin) in zip(phases, dates, strict=True)
    ]


def test_moving_a_phase_keeps_recorded_attendance_and_reports_it(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    premier_jour_de_stage = Creneau.objects.get(
        cohorte=cohorte_bethune, date=D(2025, 2, 17), moment=Moment.MATIN
    )
    assert premier_jour_de_stage.type == TypePhase.STAGE
    services.enregistrer_presences(
        cohorte=cohorte_bethune,
        saisies=[Saisie(inscription.pk, premier_jour_de_stage.pk, StatutPresence.PRESENT)],
        par=UserFactory(),
    )

    cohorte = planifier_calendrier(
        cohorte=cohorte_bethune, phases=calendrier_decale(cohorte_bethune)
    )

    premier_jour_de_stage.refresh_from_db()
    assert premier_jour_de_stage.type == TypePhase.STAGE
    assert Presence.objects.filter(creneau=premier_jour_de_stage, inscription=inscription).exists()
    rapport = cohorte.rapport_creneaux
    assert rapport.conserves == [premier_jour_de_stage]
    assert rapport.messages == [
        "La demi-journée du 17/02/2025 matin (stage en entreprise) a des présences saisies : "
        "elle est conservée telle quelle, mais le calendrier en fait désormais un jour de "
        "théorie."
    ]
    # The afternoon, without attendance, follows the calendar.
    apres_midi = Creneau.objects.get(
        cohorte=cohorte_bethune, date=D(2025, 2, 17), moment=Moment.APRES_MIDI
    )
    assert apres_midi.type == TypePhase.THEORIE
    assert compter(cohorte_bethune, TypePhase.STAGE) == 2 * 25 + 1


def test_a_half_day_with_attendance_outside_the_new_calendar_is_kept(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    dernier = Creneau.objects.filter(cohorte=cohorte_bethune).order_by("-date").first()
    services.enregistrer_presences(
        cohorte=cohorte_bethune,
        saisies=[Saisie(inscription.pk, dernier.pk, StatutPresence.ABSENT_NON_JUSTIFIE)],
        par=UserFactory(),
    )
    phases = calendrier_decale(cohorte_bethune)
    phases[-1].date_fin = D(2025, 6, 29)

    cohorte = planifier_calendrier(cohorte=cohorte_bethune, phases=phases)

    assert Creneau.objects.filter(pk=dernier.pk).exists()
    assert Presence.objects.filter(creneau=dernier).count() == 1
    assert cohorte.rapport_creneaux.conserves == [dernier]
    assert cohorte.rapport_creneaux.messages[0].endswith("le calendrier ne la prévoit plus.")
    # The other half-days of the last week went with the calendar.
    assert not Creneau.objects.filter(cohorte=cohorte_bethune, date=D(2025, 7, 3)).exists()


def test_hours_done_are_planned_minus_lateness_and_zero_when_absent():
    trois_et_demie = Decimal("3.5")

    assert services.heures_realisees(StatutPresence.PRESENT, None, trois_et_demie) == trois_et_demie
    assert services.heures_realisees(StatutPresence.RETARD, 30, trois_et_demie) == Decimal("3.0")
    assert services.heures_realisees(StatutPresence.RETARD, 10, trois_et_demie) == Decimal("3.3")
    assert services.heures_realisees(StatutPresence.ABSENT_JUSTIFIE, None, trois_et_demie) == 0


def saisir(cohorte, inscription, creneau, statut, **champs):
    return services.enregistrer_presences(
        cohorte=cohorte,
        saisies=[Saisie(inscription.pk, creneau.pk, statut, **champs)],
        par=UserFactory(),
    )


def test_lateness_needs_minutes_and_a_justified_absence_a_reason(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    creneau = Creneau.objects.filter(cohorte=cohorte_bethune).first()

    with pytest.raises(ValidationError, match="minutes de retard"):
        saisir(cohorte_bethune, inscription, creneau, StatutPresence.RETARD)
    with pytest.raises(ValidationError, match="motif"):
        saisir(cohorte_bethune, inscription, creneau, StatutPresence.ABSENT_JUSTIFIE)
    with pytest.raises(ValidationError):
        saisir(cohorte_bethune, inscription, creneau, StatutPresence.NON_APPLICABLE)
    assert not Presence.objects.exists()


def test_saving_twice_keeps_one_row_and_the_history(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    creneau = Creneau.objects.filter(cohorte=cohorte_bethune).first()

    saisir(cohorte_bethune, inscription, creneau, StatutPresence.PRESENT)
    saisir(cohorte_bethune, inscription, creneau, StatutPresence.RETARD, minutes_retard=20)
    resultat = saisir(
        cohorte_bethune, inscription, creneau, StatutPresence.RETARD, minutes_retard=20
    )

    presence = Presence.objects.get()
    assert (presence.statut, presence.minutes_retard, presence.heures_realisees) == (
        StatutPresence.RETARD,
        20,
        Decimal("3.1"),
    )
    assert resultat.inchanges == 1
    assert presence.history.count() == 2


def test_a_trainee_out_of_training_is_not_concerned(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune, date_entree=D(2025, 1, 13))
    avant_l_entree = Creneau.objects.filter(cohorte=cohorte_bethune).first()

    saisir(cohorte_bethune, inscription, avant_l_entree, StatutPresence.PRESENT)

    presence = Presence.objects.get()
    assert presence.statut == StatutPresence.NON_APPLICABLE
    assert presence.heures_realisees == 0


def test_a_locked_week_refuses_a_change_without_a_reason(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    creneau = Creneau.objects.filter(cohorte=cohorte_bethune).first()
    saisir(cohorte_bethune, inscription, creneau, StatutPresence.PRESENT)
    services.verrouiller_semaine(cohorte=cohorte_bethune, lundi=creneau.date, par=UserFactory())
    services.verrouiller_semaine(cohorte=cohorte_bethune, lundi=creneau.date, par=UserFactory())

    with pytest.raises(ValidationError, match="verrouillée"):
        saisir(cohorte_bethune, inscription, creneau, StatutPresence.ABSENT_NON_JUSTIFIE)
    assert Presence.objects.get().statut == StatutPresence.PRESENT

    services.enregistrer_presences(
        cohorte=cohorte_bethune,
        saisies=[Saisie(inscription.pk, creneau.pk, StatutPresence.ABSENT_NON_JUSTIFIE)],
        par=UserFactory(),
        motif_correction="Feuille mal lue",
    )
    presence = Presence.objects.get()
    assert presence.statut == StatutPresence.ABSENT_NON_JUSTIFIE
    assert presence.history.first().motif_correction == "Feuille mal lue"
    assert presence.history.first().history_change_reason == "Feuille mal lue"
    assert services.semaine_verrouillee(cohorte_bethune, creneau.date + datetime.timedelta(days=3))
    assert not services.semaine_verrouillee(
        cohorte_bethune, creneau.date + datetime.timedelta(weeks=1)
    )


def test_the_summary_of_a_trainee(cohorte_bethune):
    inscription = InscriptionFactory(cohorte=cohorte_bethune)
    premiers = list(Creneau.objects.filter(cohorte=cohorte_bethune).order_by("date", "-moment")[:4])
    services.enregistrer_presences(
        cohorte=cohorte_bethune,
        saisies=[
            Saisie(inscription.pk, premiers[0].pk, StatutPresence.PRESENT),
            Saisie(inscription.pk, premiers[1].pk, StatutPresence.RETARD, minutes_retard=30),
            Saisie(inscription.pk, premiers[2].pk, StatutPresence.ABSENT_JUSTIFIE, motif="Malade"),
            Saisie(inscription.pk, premiers[3].pk, StatutPresence.ABSENT_NON_JUSTIFIE),
        ],
        par=UserFactory(),
    )

    bilan = services.bilan_de_presence(inscription, fin=D(2025, 1, 10))

    assert bilan.heures_prevues == Decimal("35")
    assert bilan.heures_realisees == Decimal("6.5")
    assert (bilan.demi_journees, bilan.presents, bilan.retards) == (4, 1, 1)
    assert (bilan.absences_justifiees, bilan.absences_non_justifiees) == (1, 1)
    assert bilan.taux == Decimal("46.4")
    assert services.bilan_de_presence(inscription, debut=D(2025, 2, 1)).taux is None


def test_the_summary_stops_at_the_exit(db):
    sortie = SortieFactory()
    inscription = sortie.inscription
    complet = Creneau.objects.filter(cohorte=inscription.cohorte).count()
    sortie_anticipee = Creneau.objects.filter(
        cohorte=inscription.cohorte, date__lte=sortie.date_sortie
    ).count()

    bilan = services.bilan_de_presence(inscription)

    assert bilan.heures_prevues == Decimal("3.5") * sortie_anticipee
    assert sortie_anticipee <= complet


def test_lundi_de():
    assert services.lundi_de(D(2025, 1, 12)) == D(2025, 1, 6)
    assert services.lundi_de(D(2025, 1, 6)) == D(2025, 1, 6)
