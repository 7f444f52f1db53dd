import pytest
from django.urls import reverse

from parcours.models import Inscription, Sortie
from tests.factories import SortieFactory

pytestmark = pytest.mark.django_db


def test_deleting_an_exit_in_the_admin_puts_the_trainee_back_in_training(client, admin_user):
    sortie = SortieFactory()
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:parcours_sortie_delete", args=[sortie.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Sortie.objects.exists()
    assert Inscription.objects.get().statut == Inscription.Statut.EN_FORMATION
    assert Sortie.history.filter(history_type="-").count() == 1


def test_deleting_exits_in_bulk_puts_every_trainee_back_in_training(client, admin_user):
    sorties = SortieFactory.create_batch(2)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:parcours_sortie_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in sorties], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Sortie.objects.exists()
    assert set(Inscription.objects.values_list("statut", flat=True)) == {
        Inscription.Statut.EN_FORMATION
    }
