"""A session ends after a working day without activity; passwords have 12 characters or more."""

import datetime
import html

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Ancien-mot-de-passe-2026"
JOURNEE = datetime.timedelta(hours=10)


def test_a_session_lasts_a_working_day_renewed_by_each_request():
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.fixture
def connecte(client):
    """A staff member signed in through the login form, as in the browser."""
    user = UserFactory(password=MOT_DE_PASSE)
    response = client.post(reverse("login"), {"username": user.username, "password": MOT_DE_PASSE})
    assert response.status_code == 302
    return user


def session_en_base(client):
    return Session.objects.get(session_key=client.session.session_key)


def expire_dans(client, delai):
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + delai
    )


def test_each_request_pushes_the_end_of_the_session_a_working_day_away(client, connecte):
    # Nine hours without a request: the session is still open, with one hour left.
    expire_dans(client, datetime.timedelta(hours=1))

    response = client.get(reverse("portail:accueil"))

    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 10 * 60 * 60
    reste = session_en_base(client).expire_date - timezone.now()
    assert JOURNEE - datetime.timedelta(minutes=1) < reste <= JOURNEE


def test_a_session_idle_for_a_working_day_sends_back_to_the_login_page(client, connecte):
    expire_dans(client, -datetime.timedelta(seconds=1))

    response = client.get(reverse("candidats:liste"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('candidats:liste')}"
    assert "_auth_user_id" not in client.session


def test_a_session_with_a_minute_left_still_opens_the_page(client, connecte):
    expire_dans(client, datetime.timedelta(minutes=1))

    response = client.get(reverse("candidats:liste"))

    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == connecte.pk


def changer_de_mot_de_passe(client, nouveau):
    return client.post(
        reverse("password_change"),
        {"old_password": MOT_DE_PASSE, "new_password1": nouveau, "new_password2": nouveau},
    )


@pytest.mark.parametrize(
    ("nouveau", "erreur"),
    [
        # Eleven characters.
        (
            "Kq7vLm2pXzR",
            "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères.",
        ),
        ("password1234", "Ce mot de passe est trop courant."),
        ("202611280135", "Ce mot de passe est entièrement numérique."),
    ],
)
def test_the_password_change_form_refuses_a_weak_password_in_french(
    client, connecte, nouveau, erreur
):
    response = changer_de_mot_de_passe(client, nouveau)

    assert response.status_code == 200
    assert erreur in html.unescape(response.text)
    connecte.refresh_from_db()
    assert connecte.check_password(MOT_DE_PASSE)


def test_the_password_change_form_accepts_twelve_characters(client, connecte):
    response = changer_de_mot_de_passe(client, "Kq7vLm2pXzR4")

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    connecte.refresh_from_db()
    assert connecte.check_password("Kq7vLm2pXzR4")
    # The session that changed the password stays open.
    assert client.get(reverse("portail:accueil")).status_code == 200
