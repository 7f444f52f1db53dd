"""The access log of the partner cohort page: read-only in the admin, purged after a year."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partenaires.models import Consultation


@pytest.fixture
def consultation(partenaire_a, cohorte_a):
    return Consultation.objects.create(user=partenaire_a, cohorte=cohorte_a, ip="192.0.2.1")


def purger():
    stdout = StringIO()
    call_command("purger_consultations", stdout=stdout)
    return stdout.getvalue()


def test_purge_deletes_only_records_older_than_a_year(partenaire_a, cohorte_a):
    now = timezone.now()
    ancienne = Consultation.objects.create(
        user=partenaire_a, cohorte=cohorte_a, viewed_at=now - datetime.timedelta(days=366)
    )
    recente = Consultation.objects.create(
        user=partenaire_a, cohorte=cohorte_a, viewed_at=now - datetime.timedelta(days=364)
    )

    output = purger()

    assert "1 consultation(s) de plus de 365 jours supprimée(s)" in output
    assert not Consultation.objects.filter(pk=ancienne.pk).exists()
    assert Consultation.objects.filter(pk=recente.pk).exists()


def test_purge_twice_deletes_nothing_the_second_time(partenaire_a, cohorte_a):
    Consultation.objects.create(
        user=partenaire_a,
        cohorte=cohorte_a,
        viewed_at=timezone.now() - datetime.timedelta(days=400),
    )
    purger()

    output = purger()

    assert "0 consultation(s)" in output
    assert not Consultation.objects.exists()


def test_admin_lists_consultations_filtered_by_school(client, admin_user, consultation, ecole_a):
    client.force_login(admin_user)
    url = reverse("admin:partenaires_consultation_changelist")

    response = client.get(url, {"cohorte__parcours__ecole__id__exact": ecole_a.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Promotion Béthune 2025" in html
    assert "École de la conduite de ligne" in html


def test_admin_changelist_has_a_date_hierarchy(client, admin_user, consultation):
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:partenaires_consultation_changelist"),
        {"viewed_at__year": consultation.viewed_at.year},
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_cannot_add_change_or_delete_a_consultation(client, admin_user, consultation):
    client.force_login(admin_user)
    change_url = reverse("admin:partenaires_consultation_change", args=[consultation.pk])

    add = client.get(reverse("admin:partenaires_consultation_add"))
    view = client.get(change_url)
    change = client.post(change_url, {"ip": "198.51.100.1"})
    delete = client.post(
        reverse("admin:partenaires_consultation_delete", args=[consultation.pk]), {"post": "yes"}
    )

    assert add.status_code == 403
    assert view.status_code == 200
    assert change.status_code == 403
    assert delete.status_code == 403
    consultation.refresh_from_db()
    assert consultation.ip == "192.0.2.1"
