"""The second factor: staff and administrators give a TOTP code after signing in before
any page with personal data; partners once they have chosen to enrol."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from candidats.models import TelechargementDonnees
from comptes.double_facteur import renouveler_codes_secours
from tests.factories import CandidatFactory, PartenaireFactory, UserFactory
from tests.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "mot-de-passe-de-test"
ACTIVER = reverse("double_facteur:activer")
VERIFIER = reverse("double_facteur:verifier")
CODES = reverse("double_facteur:codes_secours")
SECURITE = reverse("double_facteur:securite")


@pytest.fixture(autouse=True)
def otp_equipe(settings):
    settings.PORTAIL_OTP_EQUIPE = True


def code_de(appareil):
    """The code the user's phone shows now."""
    return f"{totp(appareil.bin_key, appareil.step, appareil.t0, appareil.digits):06d}"


def code_faux(appareil):
    return f"{(int(code_de(appareil)) + 500_000) % 1_000_000:06d}"


def application_de(user):
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def se_connecter(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": MOT_DE_PASSE})
    assert response.status_code == 302
    return client


def fiche(candidat):
    return reverse("candidats:detail", args=[candidat.pk])


def test_staff_without_an_app_is_sent_to_enrolment_and_opens_no_candidate_page():
    candidat = CandidatFactory()
    client = se_connecter(UserFactory())

    pages = [
        fiche(candidat),
        reverse("candidats:donnees", args=[candidat.pk]),
        reverse("candidats:liste"),
        reverse("portail:accueil"),
        reverse("password_change"),
        reverse("admin:index"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{ACTIVER}?next={url}", url
    assert not TelechargementDonnees.objects.exists()


def test_enrolment_with_the_right_code_confirms_the_app_and_shows_the_recovery_codes_once():
    user = UserFactory()
    candidat = CandidatFactory()
    client = se_connecter(user)

    page = client.get(ACTIVER, {"next": fiche(candidat)})
    appareil = TOTPDevice.objects.get(user=user, confirmed=False)
    envoi = client.post(ACTIVER, {"code": code_de(appareil), "next": fiche(candidat)})
    codes = client.get(envoi.url)
    encore = client.get(CODES)

    assert page.status_code == 200
    assert '<svg width="' in page.text
    assert "style=" not in page.text
    assert page.headers["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    assert envoi.status_code == 302
    assert envoi.url.startswith(CODES)
    appareil.refresh_from_db()
    assert appareil.confirmed
    jetons = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(jetons) == 10
    assert all(f"<code>{jeton}</code>" in codes.text for jeton in jetons)
    assert f'href="{fiche(candidat)}"' in codes.text
    assert encore.status_code == 302
    assert not any(jeton in client.get(SECURITE).text for jeton in jetons)
    assert client.get(fiche(candidat)).status_code == 200


def test_enrolment_with_a_wrong_code_is_refused():
    user = UserFactory()
    client = se_connecter(user)
    client.get(ACTIVER)
    appareil = TOTPDevice.objects.get(user=user)

    response = client.post(ACTIVER, {"code": code_faux(appareil)})

    assert response.status_code == 200
    assert "Ce code n&#x27;est pas valable" in response.text
    appareil.refresh_from_db()
    assert not appareil.confirmed
    assert not StaticDevice.objects.exists()
    assert client.get(reverse("candidats:liste")).status_code == 302


def test_reloading_the_enrolment_page_keeps_the_same_qr_code():
    user = UserFactory()
    client = se_connecter(user)

    premier = client.get(ACTIVER)
    second = client.get(ACTIVER)

    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert premier.context["cle"] == second.context["cle"]


def test_a_later_sign_in_asks_for_the_code_and_the_right_one_opens_the_page_asked_for():
    user = UserFactory()
    appareil = application_de(user)
    candidat = CandidatFactory()
    client = se_connecter(user)

    refus = client.get(fiche(candidat))
    page = client.get(refus.url)
    envoi = client.post(VERIFIER, {"code": code_de(appareil), "next": fiche(candidat)})

    assert refus.status_code == 302
    assert refus.url.startswith(VERIFIER + "?next=")
    assert page.status_code == 200
    assert 'name="code"' in page.text
    assert envoi.status_code == 302
    assert envoi.url == fiche(candidat)
    assert client.get(fiche(candidat)).status_code == 200


def test_an_app_code_is_accepted_once():
    user = UserFactory()
    appareil = application_de(user)
    code = code_de(appareil)
    se_connecter(user).post(VERIFIER, {"code": code})
    client = se_connecter(user)

    response = client.post(VERIFIER, {"code": code})

    assert response.status_code == 200
    assert client.get(reverse("candidats:liste")).status_code == 302


def test_a_wrong_code_is_refused():
    user = UserFactory()
    appareil = application_de(user)
    client = se_connecter(user)

    response = client.post(VERIFIER, {"code": code_faux(appareil)})

    assert response.status_code == 200
    assert "Ce code n&#x27;est pas valable" in response.text
    assert client.get(reverse("candidats:liste")).status_code == 302


def test_after_a_wrong_code_even_the_right_one_waits():
    user = UserFactory()
    appareil = application_de(user)
    client = se_connecter(user)
    client.post(VERIFIER, {"code": code_faux(appareil)})

    trop_tot = client.post(VERIFIER, {"code": code_de(appareil)})
    TOTPDevice.objects.filter(pk=appareil.pk).update(
        throttling_failure_timestamp=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    plus_tard = client.post(VERIFIER, {"code": code_de(appareil)})

    assert trop_tot.status_code == 200
    assert "Trop de codes erronés" in trop_tot.text
    assert plus_tard.status_code == 302


def test_the_code_page_does_not_send_to_another_site():
    user = UserFactory()
    appareil = application_de(user)
    client = se_connecter(user)

    response = client.post(
        VERIFIER, {"code": code_de(appareil), "next": "https://ailleurs.example"}
    )

    assert response.url == "/"


def test_a_recovery_code_works_once():
    user = UserFactory()
    application_de(user)
    code = renouveler_codes_secours(user=user)[0]
    client = se_connecter(user)

    premier = client.post(VERIFIER, {"code": code.upper()}, follow=True)
    client = se_connecter(user)
    second = client.post(VERIFIER, {"code": code})

    assert premier.status_code == 200
    assert "il vous en reste 9" in premier.text
    assert second.status_code == 200
    assert "Ce code n&#x27;est pas valable" in second.text
    assert client.get(reverse("candidats:liste")).status_code == 302


def test_an_unverified_user_with_an_app_cannot_enrol_another_phone():
    user = UserFactory()
    application_de(user)
    client = se_connecter(user)

    response = client.get(ACTIVER)

    assert response.status_code == 302
    assert response.url.startswith(VERIFIER)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_verified_user_replaces_their_phone_and_recovery_codes():
    user = UserFactory()
    ancien = application_de(user)
    anciens_codes = renouveler_codes_secours(user=user)
    client = se_connecter(user)
    client.post(VERIFIER, {"code": code_de(ancien)})

    client.get(ACTIVER)
    nouveau = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ACTIVER, {"code": code_de(nouveau)})

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [nouveau]
    assert not StaticToken.objects.filter(token__in=anciens_codes).exists()
    assert client.get(reverse("candidats:liste")).status_code == 200


def test_a_partner_without_an_app_is_not_asked_for_a_code():
    client = se_connecter(PartenaireFactory())

    assert client.get(reverse("partenaires:ecoles")).status_code == 200
    assert client.get(SECURITE).status_code == 200


def test_a_partner_who_opted_in_is_asked_for_the_code():
    partenaire = PartenaireFactory()
    client = se_connecter(partenaire)
    securite = client.get(SECURITE)
    client.get(ACTIVER)
    appareil = TOTPDevice.objects.get(user=partenaire)
    client.post(ACTIVER, {"code": code_de(appareil)})

    ensuite = se_connecter(partenaire).get(reverse("partenaires:ecoles"))

    assert f'href="{ACTIVER}"' in securite.text
    assert ensuite.status_code == 302
    assert ensuite.url.startswith(VERIFIER)


def test_sign_out_works_without_the_code():
    user = UserFactory()
    application_de(user)
    client = se_connecter(user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_code_given_on_the_portal_opens_the_admin_too(settings):
    settings.PORTAIL_ADMIN_OTP = True
    admin = UserFactory(administrateur=True)
    appareil = application_de(admin)
    client = se_connecter(admin)

    refus = client.get(reverse("admin:index"))
    client.post(VERIFIER, {"code": code_de(appareil)})

    assert refus.url.startswith(VERIFIER)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_action_forgets_the_devices_and_the_user_enrols_again():
    user = UserFactory()
    appareil = application_de(user)
    renouveler_codes_secours(user=user)
    client_user = se_connecter(user)
    client_user.post(VERIFIER, {"code": code_de(appareil)})
    admin = UserFactory(administrateur=True)
    client_admin = se_connecter(admin)
    client_admin.get(ACTIVER)
    client_admin.post(ACTIVER, {"code": code_de(TOTPDevice.objects.get(user=admin))})

    response = client_admin.post(
        reverse("admin:comptes_user_changelist"),
        {"action": "reinitialiser_double_authentification", "_selected_action": [user.pk]},
        follow=True,
    )

    assert "Double authentification réinitialisée pour 1 utilisateur :" in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    ensuite = client_user.get(reverse("candidats:liste"))
    assert ensuite.status_code == 302
    assert ensuite.url.startswith(ACTIVER)


def test_switched_off_the_password_alone_opens_the_staff_pages(settings):
    settings.PORTAIL_OTP_EQUIPE = False
    user = UserFactory()
    application_de(user)

    assert se_connecter(user).get(reverse("candidats:liste")).status_code == 200


def test_a_code_made_on_the_server_lets_an_administrator_without_phone_in():
    admin = UserFactory(administrateur=True)
    application_de(admin)
    call_command("addstatictoken", admin.username, token="secours01", stdout=StringIO())
    client = se_connecter(admin)

    response = client.post(VERIFIER, {"code": "secours01"})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_giving_the_code_changes_the_session_key():
    user = UserFactory()
    appareil = application_de(user)
    client = se_connecter(user)
    avant = client.session.session_key

    client.post(VERIFIER, {"code": code_de(appareil)})

    assert client.session.session_key != avant


def test_production_asks_staff_for_the_code():
    result = run_manage("diffsettings", **PRODUCTION)

    assert "PORTAIL_OTP_EQUIPE = True" in result.stdout, result.stderr
