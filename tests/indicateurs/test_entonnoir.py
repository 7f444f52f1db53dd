import datetime

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from parcours.models import Situation, Sortie
from tests.factories import CandidatFactory, CohorteFactory, InscriptionFactory, SortieFactory

from .pages import section, table_rows

pytestmark = pytest.mark.django_db
URL = reverse("indicateurs:tableau")
ANNEE_2025 = {"debut": "2025-01-01", "fin": "2025-12-31"}
MARS_2025 = timezone.make_aware(datetime.datetime(2025, 3, 1, 10, 0))


def candidate(canal, statut=Candidat.Statut.A_CONTACTER, cree_le=MARS_2025):
    return CandidatFactory(canal=canal, statut=statut, cree_le=cree_le)


def exit_into(candidat, situation, *, fin_contrat=None, motif=Sortie.Motif.FIN_PARCOURS):
    inscription = InscriptionFactory(
        candidat=candidat, cohorte=CohorteFactory(date_debut=datetime.date(2025, 4, 7))
    )
    # A fixed-term contract's end is given with the exit, as the exit form requires.
    contrat = (
        {"date_fin_contrat": factory.LazyAttribute(lambda s: s.date_debut_contrat + fin_contrat)}
        if fin_contrat
        else {}
    )
    return SortieFactory(inscription=inscription, situation=situation, motif=motif, **contrat)


@pytest.fixture
def candidates():
    """Six candidates added in March 2025 and one in 2024, hand-counted by channel.

    France Travail: one to contact, one pre-selected, one kept and enrolled, one kept,
    enrolled twice (a dropout, then a CDI). Mission locale: one not kept, one never
    re-qualified but enrolled and out into a 5-month CDD (transition).
    """
    ft, ml = CanalSourcing.FRANCE_TRAVAIL, CanalSourcing.MISSION_LOCALE
    candidate(ft)
    candidate(ft, Candidat.Statut.PRESELECTIONNE)
    InscriptionFactory(candidat=candidate(ft, Candidat.Statut.RETENU))
    embauche = candidate(ft, Candidat.Statut.RETENU)
    InscriptionFactory(
        candidat=embauche, cohorte=CohorteFactory(date_debut=datetime.date(2024, 9, 2))
    )
    exit_into(embauche, Situation.CDI)
    candidate(ml, Candidat.Statut.NON_RETENU)
    exit_into(candidate(ml), Situation.CDD, fin_contrat=datetime.timedelta(days=150))
    candidate(
        ft,
        Candidat.Statut.PRESELECTIONNE,
        cree_le=timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30)),
    )


def test_funnel_counts_each_step_with_its_conversion(client_staff, candidates):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-entonnoir") == [
        ["Candidats sourcés", "6", "", ""],
        ["Présélectionnés", "4", "66,7 %", "66,7 %"],
        ["Inscrits en cohorte", "3", "75 %", "50 %"],
        ["Sortis de formation", "2", "66,7 %", "33,3 %"],
        ["En emploi durable", "1", "50 %", "16,7 %"],
    ]


def test_funnel_by_sourcing_channel(client_staff, candidates):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-entonnoir-par-canal") == [
        ["France Travail", "4", "3 (75 %)", "2 (66,7 %)", "1 (50 %)", "1 (100 %)"],
        ["Mission locale", "2", "1 (50 %)", "1 (100 %)", "1 (100 %)", "0 (0 %)"],
    ]


def test_funnel_chart_is_an_svg_with_one_bar_per_step(client_staff, candidates):
    response = client_staff.get(URL, ANNEE_2025)

    funnel = section(response, "entonnoir")
    assert funnel.count("<rect") == 5
    assert 'role="img"' in funnel
    assert "Candidats sourcés : 6" in funnel
    # The sourced candidates fill the 640 units, the 4 pre-selected two thirds of them.
    assert 'x="0" y="24" width="640"' in funnel
    assert 'width="427"' in funnel


def test_funnel_school_filter_keeps_candidates_aiming_for_or_enrolled_in_the_school(
    client_staff, candidates
):
    cohorte = CohorteFactory(date_debut=datetime.date(2025, 4, 7))
    ecole = cohorte.parcours.ecole
    CandidatFactory(canal=CanalSourcing.SPONTANEE, cree_le=MARS_2025, ecole_visee=ecole)
    InscriptionFactory(
        cohorte=cohorte, candidat=candidate(CanalSourcing.FRANCE_TRAVAIL, Candidat.Statut.RETENU)
    )

    response = client_staff.get(URL, {**ANNEE_2025, "ecole": ecole.pk})

    assert table_rows(response, "table-entonnoir-par-canal") == [
        ["Candidature spontanée", "1", "0 (0 %)", "0 (—)", "0 (—)", "0 (—)"],
        ["France Travail", "1", "1 (100 %)", "1 (100 %)", "0 (0 %)", "0 (—)"],
    ]


def test_funnel_without_candidates_shows_dashes(client_staff):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-entonnoir")[1] == ["Présélectionnés", "0", "—", "—"]
    assert "Aucun candidat ajouté sur la période." in response.text
