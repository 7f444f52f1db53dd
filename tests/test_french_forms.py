"""Selects never show Django's "---------": the empty choice is named in French."""

from django import forms
from django.urls import reverse

from ecoles.models import Ecole


class EcoleForm(forms.Form):
    ecole = forms.ModelChoiceField(queryset=Ecole.objects.all(), required=False)


def test_a_form_that_does_not_name_its_empty_choice_shows_choisir(db):
    rendu = str(EcoleForm()["ecole"])

    assert "---------" not in rendu
    assert '<option value="" selected>— Choisir —</option>' in rendu


def test_admin_select_shows_a_french_empty_choice(admin_client):
    response = admin_client.get(reverse("admin:parcours_cohorte_add"))

    assert "---------" not in response.text
    assert "— Choisir —" in response.text


def test_a_filter_that_names_its_empty_choice_keeps_it(client_staff):
    response = client_staff.get(reverse("parcours:cohortes"))

    assert "---------" not in response.text
    assert ">Toutes</option>" in response.text
