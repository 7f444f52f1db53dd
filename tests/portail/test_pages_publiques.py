import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("portail:mentions_legales", "Mentions légales"),
        ("portail:donnees_personnelles", "Données personnelles"),
        ("portail:accessibilite", "Déclaration d'accessibilité"),
    ],
)
def test_the_legal_pages_open_without_an_account(client, name, heading):
    html = client.get(reverse(name)).text

    assert f"<h1>{heading}</h1>" in html.replace("&#x27;", "'")


def test_the_footer_of_the_login_page_links_to_the_three_pages(client):
    html = client.get(reverse("login")).text

    for name in ("mentions_legales", "donnees_personnelles", "accessibilite"):
        assert f'href="{reverse(f"portail:{name}")}"' in html


def test_the_personal_data_page_gives_the_retention_periods_of_the_settings(client, settings):
    settings.PORTAIL_RETENTION_CANDIDAT_MOIS = 18
    settings.PORTAIL_RETENTION_STAGIAIRE_MOIS = 48

    html = client.get(reverse("portail:donnees_personnelles")).text

    assert "au plus 18 mois après le dernier contact" in html
    assert "48 mois après sa sortie" in html


def test_the_accessibility_statement_says_not_compliant_until_an_audit(client):
    html = client.get(reverse("portail:accessibilite")).text

    assert "<strong>non conforme</strong>" in html
    assert "Défenseur des droits" in html


def test_the_accessibility_statement_gives_its_standard_its_method_and_its_limits(client):
    html = client.get(reverse("portail:accessibilite")).text.replace("&#x27;", "'")

    assert "RGAA</abbr> version 4.1" in html
    assert "WCAG</abbr> 2.1" in html
    assert "axe-core" in html
    assert "Contrôles manuels au clavier" in html
    assert "Non-conformités connues" in html
    assert "ne sont pas balisés" in html


def test_the_accessibility_statement_gives_the_contact_of_the_settings(client, settings):
    settings.PORTAIL_ENQUETES_CONTACT = "accessibilite@alliance-emploi.example"

    html = client.get(reverse("portail:accessibilite")).text

    assert 'href="mailto:accessibilite@alliance-emploi.example"' in html


def test_logging_out_says_so_on_the_login_page(client_staff):
    response = client_staff.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Vous êtes déconnecté." in response.text


def test_logging_out_without_a_session_says_nothing(client):
    response = client.post(reverse("logout"), follow=True)

    assert "Vous êtes déconnecté." not in response.text


def test_the_favicon_is_found_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"] != "/favicon.ico"
