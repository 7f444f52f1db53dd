from decimal import Decimal

import pytest

from indicateurs.charts import LARGEUR_BARRE_MAX, barres_de_taux
from indicateurs.stats import Ligne, pourcentage, taux


@pytest.mark.parametrize(
    ("numerateur", "denominateur", "texte"),
    [
        (7, 8, "87,5 %"),
        (1, 3, "33,3 %"),
        (2, 3, "66,7 %"),
        (1, 1, "100 %"),
        (0, 4, "0 %"),
        (0, 0, "—"),
    ],
)
def test_rates_read_as_french_percentages(numerateur, denominateur, texte):
    assert pourcentage(taux(numerateur, denominateur)) == texte


def test_bar_lengths_are_proportional_to_the_rate_and_empty_without_exits():
    lignes = [
        Ligne(libelle="Lille", sorties=8, emploi_durable=7),
        Ligne(libelle="Douai", sorties=0),
    ]

    graphique = barres_de_taux(lignes, "taux_insertion", "Taux d'insertion par école")

    lille, douai = graphique.barres
    assert lille.largeur == round(Decimal("87.5") * LARGEUR_BARRE_MAX / 100) == 490
    assert (lille.valeur, douai.valeur, douai.largeur) == ("87,5 %", "—", 0)
    assert douai.y > lille.y
    assert graphique.description == "Taux d'insertion par école : Lille 87,5 %, Douai —"
