import pytest
from django.test import override_settings

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
