"""The indicators page runs to several screens: a table of contents leads to each block,
and each block says which population it counts."""

import re
from html import unescape

from django.urls import reverse


def sommaire(response):
    bloc = re.search(r'<nav id="sommaire".*?</nav>', response.text, re.S).group(0)
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', bloc)


def population(response, section):
    bloc = re.search(rf'<section id="{section}".*?</section>', response.text, re.S).group(0)
    return unescape(re.search(r'<p class="population">(.*?)</p>', bloc, re.S).group(1))


def test_table_of_contents_links_to_every_block_of_the_page(client_staff):
    response = client_staff.get(reverse("indicateurs:tableau"))

    liens = sommaire(response)
    assert [libelle for _, libelle in liens] == [
        "Chiffres clés",
        "Indicateurs des financeurs",
        "Par école",
        "Par filière",
        "Par cohorte",
        "Par année",
        "Du sourcing à l'emploi",
        "Des événements à l'emploi",
    ]
    for ancre, _ in liens:
        assert f'<section id="{ancre}"' in response.text


def test_every_linked_block_says_which_population_it_counts(client_staff):
    response = client_staff.get(reverse("indicateurs:tableau"))

    for ancre, _ in sommaire(response):
        assert population(response, ancre)


def test_key_figures_and_funnel_say_they_count_different_populations(client_staff):
    response = client_staff.get(reverse("indicateurs:tableau"))

    assert "sortis pendant la période" in population(response, "chiffres-cles")
    funnel = population(response, "entonnoir")
    assert "autre population que les chiffres clés" in funnel
    assert "candidats ajoutés au portail pendant la période" in funnel


def test_no_table_of_contents_when_the_period_is_wrong(client_staff):
    response = client_staff.get(
        reverse("indicateurs:tableau"), {"debut": "2026-05-01", "fin": "2026-01-01"}
    )

    assert 'id="sommaire"' not in response.text
