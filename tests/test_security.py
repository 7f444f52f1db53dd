import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Sum
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from portail.middleware import SansCacheMiddleware
from tests.factories import CandidatFactory, UserFactory
from tests.urls import argument_free_url_names

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"


def attempt_login(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def time_passes(delay):
    """The recorded failures become `delay` older, as if the attempts had come earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delay)


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


@override_settings(AXES_ENABLED=True)
def test_failures_during_a_lockout_do_not_restart_the_hour(client):
    user = UserFactory(username="camille", password=PASSWORD)
    for _ in range(5):
        attempt_login(client, "camille", "mauvais")
    time_passes(datetime.timedelta(minutes=50))

    assert attempt_login(client, "camille", "mauvais").status_code == 429
    time_passes(datetime.timedelta(minutes=11))

    assert attempt_login(client, "camille", PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def failures_on_the_account():
    return AccessAttempt.objects.aggregate(total=Sum("failures_since_start"))["total"]


@override_settings(
    AXES_ENABLED=True, PORTAIL_CONNEXION_ECHECS_COMPTE=3, PORTAIL_CONNEXION_ATTENTE_SECONDES=30
)
def test_failures_from_many_addresses_slow_the_account_down_without_locking_it(client):
    user = UserFactory(username="camille", password=PASSWORD)
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]:
        attempt_login(client, "camille", "mauvais", address)

    slowed = attempt_login(client, "camille", PASSWORD, "198.51.100.20")

    assert slowed.status_code == 429
    assert "Réessayez dans 30 secondes" in slowed.text
    assert 0 < int(slowed.headers["Retry-After"]) <= 30
    assert "_auth_user_id" not in client.session
    # Refused before the password check, and not counted as a failure.
    assert failures_on_the_account() == 3

    time_passes(datetime.timedelta(seconds=31))
    assert attempt_login(client, "camille", PASSWORD, "198.51.100.20").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@override_settings(
    AXES_ENABLED=True, PORTAIL_CONNEXION_ECHECS_COMPTE=3, PORTAIL_CONNEXION_ATTENTE_SECONDES=30
)
def test_an_account_slowed_down_still_opens_from_an_address_it_signed_in_from(client):
    user = UserFactory(username="camille", password=PASSWORD)
    assert attempt_login(client, "camille", PASSWORD, "198.51.100.20").status_code == 302
    client.post(reverse("logout"))
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]:
        attempt_login(client, "camille", "mauvais", address)

    assert attempt_login(client, "camille", PASSWORD, "203.0.113.4").status_code == 429
    assert attempt_login(client, "camille", PASSWORD, "198.51.100.20").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def assert_not_stored(response):
    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_pages_and_files_with_personal_data_are_never_stored_by_the_browser(client):
    candidat = CandidatFactory()
    client.force_login(UserFactory())

    for url in [
        reverse("portail:accueil"),
        reverse("candidats:liste"),
        reverse("candidats:detail", args=[candidat.pk]),
        reverse("candidats:donnees", args=[candidat.pk]),
        reverse("echanges:export_candidats", args=["csv"]),
        reverse("echanges:export_candidats", args=["xlsx"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_a_partner_page_is_never_stored_by_the_browser(client, partner_user):
    client.force_login(partner_user)

    assert_not_stored(client.get(reverse("partenaires:ecoles")))


def test_a_downloaded_file_is_never_stored_even_without_a_session(rf):
    def download(request):
        response = HttpResponse("nom;prenom")
        response["Content-Disposition"] = 'attachment; filename="liste.csv"'
        return response

    request = rf.get("/")
    request.user = AnonymousUser()

    assert_not_stored(SansCacheMiddleware(download)(request))


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_stay_cacheable_for_a_signed_in_user(staff_user):
    # A new client, so that WhiteNoise is set up with the settings above.
    client = Client()
    client.force_login(staff_user)

    response = client.get("/static/css/portail.css")

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


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
