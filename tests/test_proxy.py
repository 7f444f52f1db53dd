"""Behind the reverse proxy of the README, the portal reads the client's address from
X-Forwarded-For, as many entries from the right as there are trusted proxies."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from partenaires.models import Consultation
from portail.client import adresse_du_client
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    PartenaireFactory,
    UserFactory,
)

NGINX = "127.0.0.1"
MOT_DE_PASSE = "un-mot-de-passe-solide"


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "adresse"),
    [
        # No proxy: the header is the client's own word.
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # nginx appends the address it sees; the entries on its left came from the client.
        (1, NGINX, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (1, NGINX, "203.0.113.7", "203.0.113.7"),
        # A load balancer, then nginx, which appends the load balancer's address.
        (2, NGINX, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, NGINX, "2001:db8::7", "2001:db8::7"),
        # Not through every proxy, or not an address: REMOTE_ADDR.
        (1, "203.0.113.9", None, "203.0.113.9"),
        (2, NGINX, "203.0.113.7", NGINX),
        (1, NGINX, "203.0.113.7, inconnu", NGINX),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies(
    settings, proxies, remote_addr, forwarded_for, adresse
):
    settings.PORTAIL_PROXIES_DE_CONFIANCE = proxies
    en_tetes = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **en_tetes)

    assert adresse_du_client(request) == adresse


def connexion(client, username, password, adresse):
    """A sign-in through nginx, from `adresse`; the client may add its own header."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {adresse}",
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, PORTAIL_PROXIES_DE_CONFIANCE=1)
def test_behind_the_proxy_failures_from_elsewhere_do_not_lock_out_the_owner(client):
    user = UserFactory(username="camille", password=MOT_DE_PASSE)
    for _ in range(5):
        connexion(client, "camille", "mauvais", "203.0.113.7")

    pirate = connexion(client, "camille", MOT_DE_PASSE, "203.0.113.7")
    proprietaire = connexion(client, "camille", MOT_DE_PASSE, "198.51.100.20")

    assert pirate.status_code == 429
    assert proprietaire.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


@pytest.mark.django_db
@override_settings(PORTAIL_PROXIES_DE_CONFIANCE=1)
def test_behind_the_proxy_a_partner_consultation_logs_the_client_address(client):
    entreprise = EntrepriseFactory()
    cohorte = CohorteFactory(parcours__ecole=EcoleFactory(entreprises_adherentes=[entreprise]))
    client.force_login(PartenaireFactory(appartenance__entreprise=entreprise))

    response = client.get(
        reverse("partenaires:cohorte", args=[cohorte.pk]),
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )

    assert response.status_code == 200
    assert Consultation.objects.get().ip == "203.0.113.7"
