"""The portal's layout at a laptop's width and at 800 px, on the demo data.

Screenshots of each page at both widths go to test-artifacts/screenshots/.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.seed import DEMO_PASSWORD

LARGEURS = (1366, 800)
PAGES = [
    ("accueil", "portail:accueil"),
    ("cohortes", "parcours:cohortes"),
    ("candidats", "candidats:liste"),
    ("indicateurs", "indicateurs:tableau"),
]


@pytest.fixture
def equipe(transactional_db, page):
    call_command("seed_demo", stdout=StringIO())
    # Eight test runs share two cores: the demo pages take longer than the default.
    page.set_default_timeout(60_000)
    page.goto(reverse("login"))
    page.fill("#id_username", "equipe")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(".site-header nav")
    return page


def lignes_de_la_navigation(page):
    return page.eval_on_selector_all(
        ".nav-links > li", "items => new Set(items.map(item => item.offsetTop)).size"
    )


def debordement_de_la_page(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def taille(page, selecteur):
    return page.eval_on_selector(
        selecteur, "element => parseFloat(getComputedStyle(element).fontSize)"
    )


def test_pages_fit_800_px_with_the_navigation_on_one_line(equipe, screenshot):
    for largeur in LARGEURS:
        equipe.set_viewport_size({"width": largeur, "height": 900})
        for nom, url in PAGES:
            equipe.goto(reverse(url))

            assert lignes_de_la_navigation(equipe) == 1, (nom, largeur)
            assert debordement_de_la_page(equipe) <= 0, (nom, largeur)
            screenshot(f"mise-en-page-{nom}-{largeur}")


def test_a_wide_table_scrolls_inside_its_wrapper_at_800_px(equipe):
    equipe.set_viewport_size({"width": 800, "height": 900})
    equipe.goto(reverse("parcours:cohortes"))

    wrapper = equipe.locator(".table-wrapper").first
    largeurs = wrapper.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert largeurs[0] > largeurs[1]
    # The scroll hint: shadows painted on the wrapper's edges.
    assert "radial-gradient" in wrapper.evaluate(
        "element => getComputedStyle(element).backgroundImage"
    )


def test_home_cards_headings_are_smaller_than_the_title_and_counts_large(equipe):
    equipe.set_viewport_size({"width": 800, "height": 900})
    equipe.goto(reverse("portail:accueil"))

    titre = taille(equipe, "h1")
    carte = taille(equipe, "#cohortes-en-cours h2")
    compteur = taille(equipe, "#cohortes-en-cours h2 .badge")
    assert carte < titre * 0.7
    assert compteur > carte
