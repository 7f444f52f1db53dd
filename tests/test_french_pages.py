"""Pages write "d'" before a vowel: "Suivis d'octobre", "la sortie d'Anaïs"."""

import datetime
from html import unescape

from django.urls import reverse

from tests.factories import CohorteFactory, InscriptionFactory


def test_monthly_check_ins_page_elides_before_october(client_staff):
    response = client_staff.get(reverse("parcours:suivis_du_mois"), {"mois": "2025-10"})

    page = unescape(response.text)
    assert "Suivis d'octobre 2025" in page
    assert "de octobre" not in page


def test_monthly_check_ins_page_keeps_de_before_november(client_staff):
    response = client_staff.get(reverse("parcours:suivis_du_mois"), {"mois": "2025-11"})

    assert "Suivis de novembre 2025" in unescape(response.text)


def test_exit_form_elides_before_a_first_name_with_a_vowel(client_staff):
    cohorte = CohorteFactory(date_debut=datetime.date(2025, 1, 6))
    inscription = InscriptionFactory(cohorte=cohorte, candidat__prenom="Anaïs")

    response = client_staff.get(reverse("parcours:sortie", args=[inscription.pk]))

    page = unescape(response.text)
    assert f"Enregistrer la sortie d'Anaïs {inscription.candidat.nom}" in page
    assert "de Anaïs" not in page
