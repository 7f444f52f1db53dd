"""The funders' figures, each with its definition; non-respondents are never a category."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from enquetes import services as enquetes
from enquetes.models import Enquete, SituationApresSortie
from parcours.models import Situation
from tests.factories import CohorteFactory, InscriptionFactory, SortieFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ANNEE_2025 = {"debut": "2025-01-01", "fin": "2025-12-31"}
PREMIER_JUIN_2025 = D(2025, 6, 1)


def sortie(situation, *, fin_contrat=None, jour=PREMIER_JUIN_2025):
    return SortieFactory(
        inscription=InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2025, 1, 6), places=40)),
        date_sortie=jour,
        situation=situation,
        date_debut_contrat=jour + datetime.timedelta(days=1),
        date_fin_contrat=fin_contrat,
    )


def repond_a_6_mois(une_sortie, situation, debut=None, fin=None):
    enquete = Enquete.objects.get(sortie=une_sortie, vague_mois=6)
    return enquetes.enregistrer_reponse(
        enquete=enquete,
        source=SituationApresSortie.Source.TELEPHONE,
        situation=situation,
        date_debut_contrat=debut,
        date_fin_contrat=fin,
    )


@pytest.fixture
def sorties_2025():
    """Five exits of 1 June 2025 (their 6 months are over): a CDI, a 5-month CDD, a
    training, two job seekers. At 6 months, three answered: a CDI, a 5-month CDD and a
    7-month CDD; two did not."""
    cdi = sortie(Situation.CDI)
    cdd = sortie(Situation.CDD, fin_contrat=D(2025, 11, 1))
    formation = sortie(Situation.FORMATION_QUALIFIANTE)
    chercheur, muet = sortie(Situation.RECHERCHE_EMPLOI), sortie(Situation.RECHERCHE_EMPLOI)
    repond_a_6_mois(cdi, Situation.CDI, debut=D(2025, 6, 2))
    repond_a_6_mois(cdd, Situation.CDD, debut=D(2025, 12, 1), fin=D(2026, 4, 30))
    repond_a_6_mois(formation, Situation.CDD, debut=D(2025, 11, 1), fin=D(2026, 5, 31))
    # The one who never answered at 6 months had answered at exit: that wave is not counted.
    SituationApresSortie.objects.create(
        sortie=muet,
        vague_mois=0,
        situation=Situation.CDI,
        date_debut_contrat=D(2025, 6, 2),
        source=SituationApresSortie.Source.ENQUETE,
        repondu_le=timezone.now(),
    )
    return [cdi, cdd, formation, chercheur, muet]


def figures(client):
    response = client.get(reverse("indicateurs:tableau"), ANNEE_2025)
    return {indicateur.nom: indicateur for indicateur in response.context["financeurs"]}, (
        response.text
    )


def test_each_figure_counts_its_own_population(client_staff, sorties_2025):
    chiffres, _ = figures(client_staff)

    insertion = chiffres["Taux d'insertion à la sortie"]
    assert (insertion.numerateur, insertion.denominateur) == (1, 5)
    dynamiques = chiffres["Sorties dynamiques"]
    assert (dynamiques.numerateur, dynamiques.denominateur) == (3, 5)
    # At 6 months: the CDI and the 7-month CDD are durable; the 5-month CDD is not.
    durable = chiffres["Emploi durable à 6 mois"]
    assert (durable.numerateur, durable.denominateur, durable.attendus) == (2, 3, 5)
    # Any job of a month or more: the three who answered.
    acces = chiffres["Accès à l'emploi dans les 6 mois (France Travail)"]
    assert (acces.numerateur, acces.denominateur, acces.attendus) == (3, 3, 5)


def test_non_respondents_are_shown_apart_with_the_response_rate(client_staff, sorties_2025):
    _, html = figures(client_staff)

    assert "66,7 %" in html
    assert "taux de réponse 60 % (3 sur 5 sorties attendues), 2 sans réponse" in html


def test_each_figure_shows_its_definition(client_staff, sorties_2025):
    _, html = figures(client_staff)

    assert "Sorties en emploi durable (CDI ; CDD ou intérim de 6 mois ou plus" in html
    assert "sur ceux qui ont répondu à l&#x27;enquête à 6 mois" in html
    assert "quel qu&#x27;il soit, d&#x27;au moins un mois" in html


def test_exits_whose_six_months_are_not_over_are_not_expected(client_staff):
    sortie(Situation.CDI, jour=datetime.date.today() - datetime.timedelta(days=30))

    response = client_staff.get(
        reverse("indicateurs:tableau"), {"debut": "2025-01-01", "fin": datetime.date.today()}
    )

    durable = response.context["financeurs"][2]
    assert (durable.denominateur, durable.attendus) == (0, 0)
    assert durable.valeur_affichee == "—"


def test_the_export_holds_every_figure_with_its_definition(client_staff, sorties_2025):
    response = client_staff.get(reverse("indicateurs:export_financeurs", args=["xlsx"]), ANNEE_2025)

    feuille = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0][:3] == ("Indicateur", "Valeur", "Numérateur")
    assert [ligne[0] for ligne in lignes[1:]] == [
        "Taux d'insertion à la sortie",
        "Sorties dynamiques",
        "Emploi durable à 6 mois",
        "Accès à l'emploi dans les 6 mois (France Travail)",
    ]
    assert lignes[3][1:6] == ("66,7 %", 2, 3, 5, "60 %")
    assert lignes[3][6].startswith("Anciens stagiaires en emploi durable 6 mois")


def test_the_page_links_to_the_export_with_its_filters(client_staff):
    _, html = figures(client_staff)

    assert (
        reverse("indicateurs:export_financeurs", args=["xlsx"])
        + "?debut=2025-01-01&amp;fin=2025-12-31"
        in html
    )


@pytest.mark.parametrize("lignes", [1, 50])
def test_the_page_queries_do_not_grow_with_the_answers(
    client_staff, django_assert_num_queries, lignes
):
    for _ in range(lignes):
        une = sortie(Situation.CDI)
        repond_a_6_mois(une, Situation.CDI, debut=D(2025, 6, 2))

    # As tests/indicateurs/test_tableau.py counts them, the funders' figures included.
    with django_assert_num_queries(16):
        client_staff.get(reverse("indicateurs:tableau"), ANNEE_2025)
