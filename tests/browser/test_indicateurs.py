import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidats.models import CanalSourcing, Candidat
from parcours.models import Situation, Sortie
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    SortieFactory,
    UserFactory,
)

PASSWORD = "indicateurs-mot-de-passe-42"
MARS_2025 = timezone.make_aware(datetime.datetime(2025, 3, 1, 10, 0))


def an_exit(cohorte, situation, motif=Sortie.Motif.FIN_PARCOURS):
    inscription = InscriptionFactory(cohorte=cohorte, candidat__cree_le=MARS_2025)
    return SortieFactory(
        inscription=inscription,
        date_sortie=datetime.date(2025, 6, 30),
        situation=situation,
        motif=motif,
    )


@pytest.fixture
def two_schools(transactional_db):
    lille = CohorteFactory(
        parcours__ecole=EcoleFactory(nom="École de la Maintenance", ville="Lille"),
        date_debut=datetime.date(2025, 1, 6),
    )
    douai = CohorteFactory(
        parcours__ecole=EcoleFactory(nom="École de la Logistique", ville="Douai"),
        date_debut=datetime.date(2025, 1, 6),
    )
    for situation in [Situation.CDI, Situation.CDI, Situation.CDI, Situation.INACTIF]:
        an_exit(lille, situation)
    an_exit(douai, Situation.CDI)
    an_exit(douai, Situation.RECHERCHE_EMPLOI, motif=Sortie.Motif.ABANDON)
    CandidatFactory.create_batch(2, cree_le=MARS_2025, statut=Candidat.Statut.PRESELECTIONNE)
    CandidatFactory.create_batch(2, cree_le=MARS_2025, canal=CanalSourcing.MISSION_LOCALE)


@pytest.fixture
def staff_login(transactional_db):
    return UserFactory(username="camille.indicateurs", password=PASSWORD)


def test_staff_sees_the_insertion_chart_and_its_table(page, screenshot, two_schools, staff_login):
    page.goto(reverse("login"))
    page.fill("#id_username", staff_login.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto(reverse("indicateurs:tableau") + "?debut=2025-01-01&fin=2025-12-31")

    chart = page.locator("#par-ecole svg[role=img]")
    expect(chart).to_be_visible()
    assert "Lille 75 %" in chart.get_attribute("aria-label")
    assert chart.locator("rect.barre").count() == 2
    rows = page.locator("#table-par-ecole tbody tr")
    assert rows.count() == 2
    assert "50 %" in rows.nth(0).inner_text()
    funnel = page.locator("#entonnoir svg[role=img]")
    expect(funnel).to_be_visible()
    assert "Candidats sourcés 10" in funnel.get_attribute("aria-label")
    assert page.locator("#table-entonnoir-par-canal tbody tr").count() == 2
    screenshot("indicateurs-tableau")

    page.emulate_media(media="print")
    assert page.locator("form.indicateurs-filtres").is_hidden()
    expect(chart).to_be_visible()
    screenshot("indicateurs-tableau-impression")
