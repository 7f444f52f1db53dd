"""French grammar of built text: "d'" before a vowel or an h, singular for 0 and 1."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from portail.francais import de, pluriel, quantite


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("Béthune", "de Béthune"),
        ("Ampere", "d'Ampere"),
        ("Anaïs Martin", "d'Anaïs Martin"),
        ("octobre 2025", "d'octobre 2025"),
        ("août 2025", "d'août 2025"),
        ("Élodie", "d'Élodie"),
        ("Hénin-Beaumont", "d'Hénin-Beaumont"),
        ("Yanis Benali", "de Yanis Benali"),
        ("Yves", "d'Yves"),
        ("novembre 2025", "de novembre 2025"),
        ("école", "d'école"),
        ("École de la Maintenance", "de l'École de la Maintenance"),
        ("Ecole de la Logistique", "de l'Ecole de la Logistique"),
        ("", ""),
    ],
)
def test_de_elides_before_a_vowel_or_an_h(texte, attendu):
    assert de(texte) == attendu


@pytest.mark.parametrize("nombre, marque", [(0, ""), (1, ""), (2, "s"), (12, "s")])
def test_pluriel_keeps_0_and_1_singular(nombre, marque):
    assert pluriel(nombre) == marque


@pytest.mark.parametrize(
    "nombre, attendu",
    [(0, "aucune place libre"), (1, "1 place libre"), (3, "3 places libres")],
)
def test_quantite_names_none_one_and_many(nombre, attendu):
    assert quantite(nombre, "place libre", "places libres", aucun="aucune place libre") == attendu


def test_template_filter_elides_a_month():
    gabarit = Template('{% load francais %}Suivis {{ mois|date:"F Y"|de }}')

    with translation.override("fr"):
        rendu = gabarit.render(Context({"mois": datetime.date(2025, 10, 1)}))

    assert rendu == "Suivis d&#x27;octobre 2025"


def test_template_tag_quantite():
    gabarit = Template(
        "{% load francais %}"
        '{% quantite n "place libre" "places libres" aucun="aucune place libre" %}'
    )

    assert gabarit.render(Context({"n": 0})) == "aucune place libre"
    assert gabarit.render(Context({"n": 4})) == "4 places libres"
