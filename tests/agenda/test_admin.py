"""The admin reads the feeds and revokes them through the service; it creates none."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from agenda.models import JetonCalendrier
from tests.factories import EcoleFactory

from .helpers import nouveau_calendrier

pytestmark = pytest.mark.django_db


def test_the_admin_revokes_feeds_through_the_service(client, admin_user):
    ecole = EcoleFactory()
    calendrier, chemin = nouveau_calendrier(ecole)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:agenda_jetoncalendrier_changelist"),
        {"action": "revoquer", helpers.ACTION_CHECKBOX_NAME: [calendrier.pk]},
        follow=True,
    )

    assert "1 calendrier(s) révoqué(s)." in response.text
    calendrier.refresh_from_db()
    assert calendrier.revoque_par == admin_user
    assert client.get(chemin).status_code == 404


def test_the_admin_cannot_add_a_feed_nor_see_its_hash(client, admin_user):
    calendrier, _ = nouveau_calendrier(EcoleFactory())
    client.force_login(admin_user)

    assert client.get(reverse("admin:agenda_jetoncalendrier_add")).status_code == 403
    page = client.get(reverse("admin:agenda_jetoncalendrier_change", args=[calendrier.pk]))
    assert page.status_code == 200
    assert JetonCalendrier.objects.get().empreinte not in page.text
