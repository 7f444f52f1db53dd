"""Each rule read both in Python and in SQL gives the same answer on the same rows."""

import datetime

import pytest

from parcours.models import Cohorte, Inscription, TypePhase
from tests.factories import (
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# Days around the calendar of the cohorts below, edges included.
JOURS = [
    D(2024, 12, 31),
    D(2025, 1, 6),
    D(2025, 2, 16),
    D(2025, 2, 17),
    D(2025, 3, 10),
    D(2025, 3, 23),
    D(2025, 3, 24),
    D(2025, 4, 28),
    D(2025, 6, 1),
    D(2025, 6, 2),
]


@pytest.fixture
def cohortes(settings):
    """Two cohorts from 6 January 2025 (internships 17 Feb–23 Mar and 14–27 Apr), with
    trainees who stay, leave early, enter late, and have one, two or no host."""
    deux_stages = ParcoursFactory(
        phases=[
            (TypePhase.THEORIE, "Théorie", 6),
            (TypePhase.STAGE, "Stage 1", 5),
            (TypePhase.THEORIE, "Théorie 2", 3),
            (TypePhase.STAGE, "Stage 2", 2),
            (TypePhase.THEORIE, "Théorie 3", 5),
        ]
    )
    pleine = CohorteFactory(parcours=deux_stages, date_debut=D(2025, 1, 6), places=3)
    autre = CohorteFactory(date_debut=D(2025, 1, 6), places=5)
    membre = EntrepriseFactory()
    deux_stages.ecole.entreprises_adherentes.add(membre)
    reste, part, tard = (
        InscriptionFactory(cohorte=pleine),
        InscriptionFactory(cohorte=pleine),
        InscriptionFactory(cohorte=pleine, date_entree=D(2025, 3, 3)),
    )
    SortieFactory(inscription=part, date_sortie=D(2025, 3, 10))
    for phase in pleine.phases.filter(type=TypePhase.STAGE):
        StageFactory(inscription=reste, phase=phase, entreprise=membre)
    StageFactory(inscription=tard, phase=pleine.phases.get(intitule="Stage 2"), entreprise=membre)
    InscriptionFactory(cohorte=autre)
    return [pleine, autre]


@pytest.mark.parametrize("day", JOURS)
def test_cohort_state_in_python_and_in_sql_agree(cohortes, day):
    for etat, queryset in [
        (Cohorte.Etat.A_VENIR, Cohorte.objects.a_venir(day)),
        (Cohorte.Etat.EN_COURS, Cohorte.objects.en_cours(day)),
        (Cohorte.Etat.TERMINEE, Cohorte.objects.terminees(day)),
    ]:
        assert set(queryset) == {c for c in Cohorte.objects.all() if c.etat(day) == etat}


@pytest.mark.parametrize("day", JOURS)
def test_seats_held_in_python_and_in_sql_agree(cohortes, day):
    en_python = {i.pk for i in Inscription.objects.all() if i.occupe_une_place_le(day)}

    assert set(Inscription.objects.occupant_une_place_le(day).values_list("pk", flat=True)) == (
        en_python
    )
    for cohorte in Cohorte.objects.avec_nb_inscrits(day):
        assert cohorte.nb_occupants == sum(
            1 for i in cohorte.inscriptions.all() if i.occupe_une_place_le(day)
        )


@pytest.mark.parametrize("day", JOURS)
def test_open_cohorts_in_python_and_in_sql_agree(cohortes, day):
    ouvertes = set(Cohorte.objects.ouvertes_aux_inscriptions(day))

    assert ouvertes == {
        c for c in Cohorte.objects.avec_nb_inscrits(day) if c.accepte_des_inscriptions(day)
    }


@pytest.mark.parametrize("day", JOURS)
def test_host_company_of_the_moment_in_python_and_in_sql_agree(cohortes, day):
    for inscription in Inscription.objects.avec_stage_du_moment(day):
        stage = inscription.stage_du_moment(day)
        assert inscription.entreprise_du_moment == (stage.entreprise.nom if stage else None)
        assert inscription.stage_du_moment_debut == (stage.phase.date_debut if stage else None)


@pytest.mark.parametrize("day", JOURS)
def test_phase_of_the_day_in_python_and_in_sql_agree(cohortes, day):
    for inscription in Inscription.objects.avec_phase_du_jour(day):
        phase = inscription.cohorte.phase_du_jour(day)
        assert inscription.phase_du_jour == (phase.intitule if phase else None)
