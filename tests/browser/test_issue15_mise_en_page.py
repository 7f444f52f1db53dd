"""Every staff and partner page, at 1366 px and at 800 px: the navigation holds on one
line, nothing sticks out of the page (wide tables scroll inside their wrapper), the
actions of a table row sit on one line, and a screenshot of each goes to
test-artifacts/screenshots/.

"Every page" is every page a signed-in user reaches by following links from the home
page: one address per named URL, so a page added to the navigation is covered.
"""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibilite import imports_dir, portail  # noqa: F401 (fixtures)
from tests.factories import PartenaireFactory, UserFactory

LARGEURS = (1366, 800)
LIEN = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
# The admin has its own layout; the legal pages are checked signed out.
EXCLUS = ("/admin/", "/static/", "/media/")
MAXIMUM = 150


def pages_atteintes(client):
    """{url name: address} of the HTML pages reached from the home page by links."""
    a_visiter, vues, pages = ["/"], set(), {}
    while a_visiter and len(vues) < MAXIMUM:
        adresse = unescape(a_visiter.pop(0))
        if adresse in vues or adresse.startswith(EXCLUS):
            continue
        vues.add(adresse)
        try:
            nom = resolve(urlsplit(adresse).path).view_name
        except Resolver404:
            continue
        if nom in pages:
            continue
        response = client.get(adresse)
        if response.status_code == 302:
            a_visiter.append(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[nom] = adresse
        a_visiter.extend(LIEN.findall(response.content.decode()))
    return pages


def lignes_de_la_navigation(page):
    return page.eval_on_selector_all(
        ".nav-links > li", "items => new Set(items.map(item => item.offsetTop)).size"
    )


def debordement(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def actions_de_ligne_decalees(page):
    """The row actions of each row that do not sit on the same line as the first one."""
    return page.eval_on_selector_all(
        "td.actions-ligne",
        """cellules => cellules.flatMap(cellule => {
          const hauts = [...cellule.querySelectorAll("a, button")].map(
            action => Math.round(action.getBoundingClientRect().top));
          return hauts.filter(haut => Math.abs(haut - hauts[0]) > 2);
        })""",
    )


def photographier_chaque_page(chromium, live_server, user, prefixe):
    client = Client()
    client.force_login(user)
    pages = pages_atteintes(client)
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    defauts = []
    try:
        for nom, adresse in pages.items():
            page.set_viewport_size({"width": LARGEURS[0], "height": 900})
            page.goto(adresse)
            for largeur in LARGEURS:
                page.set_viewport_size({"width": largeur, "height": 900})
                if lignes_de_la_navigation(page) != 1:
                    defauts.append(f"{nom} à {largeur} px : navigation sur plusieurs lignes")
                if debordement(page) > 0:
                    defauts.append(f"{nom} à {largeur} px : la page déborde")
                if actions_de_ligne_decalees(page):
                    defauts.append(f"{nom} à {largeur} px : actions de ligne décalées")
                fichier = f"{prefixe}-{nom.replace(':', '-')}-{largeur}.png"
                page.screenshot(path=str(ARTIFACTS / fichier), full_page=True)
    finally:
        context.close()
    return pages, defauts


@pytest.mark.usefixtures("portail")
def test_every_staff_page_fits_800_px_and_is_photographed(chromium, live_server):
    pages, defauts = photographier_chaque_page(
        chromium, live_server, UserFactory(first_name="Camille"), "issue15-equipe"
    )

    assert {"portail:accueil", "candidats:detail", "parcours:cohorte", "entreprises:detail"} <= set(
        pages
    )
    assert defauts == []


def test_every_partner_page_fits_800_px_and_is_photographed(chromium, live_server, portail):  # noqa: F811
    partenaire = PartenaireFactory(appartenance__entreprise=portail["ampere"])

    pages, defauts = photographier_chaque_page(
        chromium, live_server, partenaire, "issue15-partenaire"
    )

    assert {"partenaires:ecoles", "partenaires:cohorte"} <= set(pages)
    assert defauts == []
