import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.urls import argument_free_url_names

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"


def attempt_login(client, username, password):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_account_is_locked_after_repeated_failures_and_an_admin_unlocks_it(client):
    from axes.models import AccessAttempt

    user = UserFactory(username="camille", password=PASSWORD)
    admin = UserFactory(administrateur=True)
    for _ in range(3):
        attempt_login(client, "camille", "mauvais")

    locked = attempt_login(client, "camille", PASSWORD)

    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.text
    assert "_auth_user_id" not in client.session

    admin_client = Client()
    admin_client.force_login(admin)
    attempt = AccessAttempt.objects.get(username="camille")
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    unlocked = attempt_login(client, "camille", PASSWORD)
    assert unlocked.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failures_under_the_limit_show_the_usual_error(client):
    UserFactory(username="camille", password=PASSWORD)

    response = attempt_login(client, "camille", "mauvais")

    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text


@pytest.mark.parametrize("name", argument_free_url_names())
def test_every_page_carries_a_strict_content_security_policy(client, admin_user, name):
    client.force_login(admin_user)

    response = client.get(reverse(name))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_page_sets_the_security_headers(client):
    response = client.get(reverse("login"))

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@override_settings(PORTAIL_ADMIN_OTP=True)
def test_admin_asks_for_a_second_factor_when_enabled(client, admin_user):
    client.force_login(admin_user)

    index = client.get(reverse("admin:index"))
    login = client.get(reverse("admin:login"))

    assert index.status_code == 302
    assert index.url.startswith(reverse("admin:login"))
    assert 'name="otp_token"' in login.text


def test_admin_opens_without_second_factor_outside_production(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("admin:index")).status_code == 200
