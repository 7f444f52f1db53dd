import html

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@override_settings(DEBUG=False)
def test_server_error_shows_a_french_page_without_any_detail(client):
    client.raise_request_exception = False

    response = client.get("/test-erreur/")

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.text
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text


@override_settings(DEBUG=False)
def test_bad_request_shows_a_french_page(client):
    response = client.get("/test-requete-invalide/")

    assert response.status_code == 400
    assert "Requête invalide" in response.text
    assert "forged header" not in response.text


@override_settings(DEBUG=False)
def test_unknown_page_shows_the_french_not_found_page(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/page-qui-n-existe-pas/")

    assert response.status_code == 404
    assert "introuvable" in response.text.lower()


def assert_security_headers(response):
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_refused_csrf_token_shows_a_french_page(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = client.post(reverse("password_change"), {"old_password": "x"})

    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert "rien n'a été enregistré" in html.unescape(response.text)
    assert "CSRF verification failed" not in response.text
    assert_security_headers(response)


# Refused by CommonMiddleware, or already by SecurityMiddleware when it redirects to HTTPS.
@pytest.mark.parametrize("redirection_https", [False, True])
def test_a_request_for_another_host_is_refused_with_the_security_headers(
    client, settings, redirection_https
):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["portail.example.org"]
    settings.SECURE_SSL_REDIRECT = redirection_https

    response = client.get("/", HTTP_HOST="portail.example.org.evil.example")

    assert response.status_code == 400
    assert "Requête invalide" in response.text
    assert_security_headers(response)


@override_settings(DEBUG=False)
def test_every_error_page_carries_the_security_headers(client, partner_user):
    client.raise_request_exception = False
    client.force_login(partner_user)

    for url, status in [
        ("/test-requete-invalide/", 400),
        (reverse("candidats:liste"), 403),
        ("/page-qui-n-existe-pas/", 404),
        ("/test-erreur/", 500),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_security_headers(response)
