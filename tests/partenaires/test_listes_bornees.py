"""Issue 16: the partner's home pages its cohorts and interns over a bounded number of rows."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from partenaires import views
from tests.factories import CohorteFactory, InscriptionFactory, SortieFactory, StageFactory

TODAY = timezone.localdate()


@pytest.fixture
def borne(borne, monkeypatch):
    """The bounded lists' bound of 5 rows, pages of 2 for the partner's 20."""
    monkeypatch.setattr(views, "COHORTES_PAR_PAGE", 2)
    monkeypatch.setattr(views, "STAGES_PAR_PAGE", 2)


def section(client, user, ancre, **params):
    client.force_login(user)
    html = client.get(reverse("partenaires:ecoles"), params).content.decode()
    html = html.split(f'id="{ancre}"', 1)[1].split("</section>", 1)[0]
    return " ".join(unescape(strip_tags(html)).split())


def cohortes(ecole, nombre):
    for semaines in range(nombre):
        CohorteFactory(
            parcours__ecole=ecole,
            nom=f"Promotion {semaines:02d}",
            date_debut=TODAY - datetime.timedelta(weeks=semaines),
        )


def test_cohorts_past_the_bound_say_plus_de_and_stop_at_the_last_bounded_page(
    client, partenaire_a, ecole_a, borne
):
    cohortes(ecole_a, 7)

    premiere = section(client, partenaire_a, "cohortes")
    profonde = section(client, partenaire_a, "cohortes", page_cohortes=9)

    assert "plus de 5 cohortes, des plus récentes aux plus anciennes" in premiere
    assert "Page 1 sur 3" in premiere
    assert "Seules les 5 premières lignes sont parcourues" in premiere
    assert "Page 3 sur 3" in profonde
    assert "Promotion 04" in profonde


def test_cohorts_within_the_bound_show_the_exact_count(client, partenaire_a, ecole_a, borne):
    cohortes(ecole_a, 5)

    premiere = section(client, partenaire_a, "cohortes")

    assert "5 cohortes, des plus récentes" in premiere
    assert "premières lignes sont parcourues" not in premiere


def test_upcoming_interns_are_paged_over_the_bound(client, partenaire_a, cohorte_a, borne):
    for _ in range(7):
        StageFactory(inscription__cohorte=cohorte_a)

    a_venir = section(client, partenaire_a, "stages-a-venir")

    assert "Page 1 sur 3" in a_venir
    assert "Seules les 5 premières lignes sont parcourues" in a_venir


def nombre_de_stagiaires(client, user, nom):
    """The last column (trainees) of the row of cohort `nom` on the partner's home."""
    client.force_login(user)
    html = client.get(reverse("partenaires:ecoles")).content.decode()
    ligne = next(ligne for ligne in re.findall(r"<tr>.*?</tr>", html, re.S) if nom in ligne)
    return strip_tags(re.findall(r"<td>(.*?)</td>", ligne, re.S)[-1]).strip()


def test_each_cohort_counts_its_own_trainees_those_who_left_included(client, partenaire_a, ecole_a):
    trois = CohorteFactory(parcours__ecole=ecole_a, nom="Promotion à trois")
    InscriptionFactory.create_batch(2, cohorte=trois)
    SortieFactory(inscription__cohorte=trois)
    CohorteFactory(parcours__ecole=ecole_a, nom="Promotion vide")

    assert nombre_de_stagiaires(client, partenaire_a, "Promotion à trois") == "3"
    assert nombre_de_stagiaires(client, partenaire_a, "Promotion vide") == "0"
