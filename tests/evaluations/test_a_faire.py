"""The "À faire" page: each section with its count, its first rows and its full list."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from a_faire.sections import APERCU, RELANCE_JOURS, sections_de
from a_faire.synthese import mettre_en_file_la_synthese
from comptes.models import User
from messagerie.models import Message
from parcours.models import PhaseCohorte
from portail import pagination
from tests.factories import InscriptionFactory

from .conftest import LUNDI

pytestmark = pytest.mark.django_db
URL = reverse("a_faire:a_faire")


def text_of(response):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_each_section_shows_its_count_and_links(client_staff, semaine_chargee):
    helene, louis, marc = (semaine_chargee[name] for name in ("helene", "louis", "marc"))
    stage = semaine_chargee["stage"]

    response = client_staff.get(URL)

    text, html = text_of(response), response.content.decode()
    assert "6 actions en attente" in text
    assert "Suivis en retard 3" in text
    assert "Sorties à enregistrer 1" in text
    assert "Stages sans entreprise d'accueil 1" in text
    assert "Évaluations de stage sans réponse 1" in text
    for link in [
        reverse("parcours:suivi_creer", kwargs={"pk": helene.pk}) + "?mois=2025-03",
        reverse("portail:accueil") + "#suivis-en-retard",
        reverse("parcours:sortie", kwargs={"pk": marc.pk}),
        reverse("a_faire:sorties"),
        reverse("parcours:stages", kwargs={"pk": louis.pk}),
        reverse("parcours:stages_sans_entreprise"),
        reverse("entreprises:detail", kwargs={"pk": stage.entreprise_id}),
        reverse("evaluations:en_attente"),
    ]:
        assert f'href="{link}"' in html, link
    assert "Hélène Lefèvre Béthune mars 2025 — mars 2025 Saisir le suivi" in text
    assert "Marc Petit Béthune 2023 — terminée le" in text
    assert "Louis Martin Béthune juin 2025 — Stage en entreprise à partir du 14/07/2025" in text
    assert "Hélène Lefèvre Ampere — stage jusqu'au 18/05/2025 Relancer l'entreprise" in text


def test_a_section_shows_its_first_rows_and_how_many_more(staff_user, semaine_chargee):
    marc = semaine_chargee["marc"]
    for _ in range(APERCU + 2):
        InscriptionFactory(cohorte=marc.cohorte)

    sorties = sections_de(staff_user, LUNDI)[1]

    assert sorties.nombre == APERCU + 3
    assert len(sorties.lignes) == APERCU
    assert sorties.lignes_cachees == 3


def test_an_empty_week_says_there_is_nothing_to_do(client_staff):
    text = text_of(client_staff.get(URL))

    assert "rien en attente" in text
    assert text.count("Rien en attente.") == 5


def test_the_exits_page_lists_every_exit_to_record(client_staff, semaine_chargee):
    marc = semaine_chargee["marc"]

    response = client_staff.get(reverse("a_faire:sorties"))

    assert [inscription.pk for inscription in response.context["page_obj"]] == [marc.pk]
    assert f'href="{reverse("parcours:sortie", kwargs={"pk": marc.pk})}"' in (
        response.content.decode()
    )


def test_a_staff_member_switches_the_digest_off_and_on(client_staff, staff_user):
    page = client_staff.get(URL).content.decode()
    assert "Ne plus recevoir la synthèse" in page

    response = client_staff.post(reverse("a_faire:synthese"), follow=True)

    assert User.objects.get(pk=staff_user.pk).recoit_synthese is False
    assert "Vous ne recevrez plus la synthèse hebdomadaire." in text_of(response)
    assert "Recevoir la synthèse chaque lundi" in text_of(response)

    client_staff.post(reverse("a_faire:synthese"), {"recoit_synthese": "on"})

    assert User.objects.get(pk=staff_user.pk).recoit_synthese is True


def test_switching_the_digest_is_a_post(client_staff, staff_user):
    assert client_staff.get(reverse("a_faire:synthese")).status_code == 405
    assert User.objects.get(pk=staff_user.pk).recoit_synthese is True


def test_the_navigation_links_to_the_page_for_staff_only(client, staff_user, partner_user):
    client.force_login(staff_user)
    assert f'href="{URL}"' in client.get(reverse("portail:accueil")).content.decode()

    client.force_login(partner_user)
    assert f'href="{URL}"' not in client.get(reverse("partenaires:ecoles")).content.decode()


def test_an_evaluation_is_no_longer_asked_for_three_months_after_the_internship(
    staff_user, semaine_chargee
):
    phases = PhaseCohorte.objects.filter(pk=semaine_chargee["stage"].phase_id)

    def finie_le(fin):
        phases.update(date_debut=fin - datetime.timedelta(weeks=4), date_fin=fin)
        return sections_de(staff_user, LUNDI)[3]

    evaluations = finie_le(LUNDI - datetime.timedelta(days=RELANCE_JOURS))
    assert evaluations.cle == "evaluations-de-stage"
    assert evaluations.nombre == 1

    assert finie_le(LUNDI - datetime.timedelta(days=RELANCE_JOURS + 1)).nombre == 0


# Issue 16: the counts stop at the bound, as on the home page.


def test_past_the_bound_a_section_says_plus_de(
    client_staff, staff_user, semaine_chargee, monkeypatch
):
    monkeypatch.setattr(pagination, "LIGNES_PARCOURUES", APERCU + 3)
    marc = semaine_chargee["marc"]
    for _ in range(APERCU + 5):
        InscriptionFactory(cohorte=marc.cohorte)
    # Hélène's three months and three months of five more trainees of her cohort.
    for _ in range(5):
        InscriptionFactory(cohorte=semaine_chargee["helene"].cohorte)

    text = text_of(client_staff.get(URL))
    suivis, sorties = sections_de(User.objects.get(pk=staff_user.pk), LUNDI)[:2]

    assert f"plus de {APERCU + 3} actions en attente" in text
    assert f"Suivis en retard plus de {APERCU + 3}" in text
    assert f"Sorties à enregistrer plus de {APERCU + 3}" in text
    assert "Stages sans entreprise d'accueil 1" in text
    assert "Voir toutes les sorties à enregistrer (plus de 3 autres)" in text
    assert (suivis.nombre, sorties.nombre) == (APERCU + 4, APERCU + 4)
    # The first rows still come from the oldest month, March, Hélène's among them.
    assert len(suivis.lignes) == APERCU
    assert all("mars 2025" in ligne.detail for ligne in suivis.lignes)
    assert any(ligne.titre == "Hélène Lefèvre" for ligne in suivis.lignes)


def test_past_the_bound_the_digest_says_plus_de(staff_user, semaine_chargee, monkeypatch):
    monkeypatch.setattr(pagination, "LIGNES_PARCOURUES", APERCU + 3)
    marc = semaine_chargee["marc"]
    for _ in range(APERCU + 5):
        InscriptionFactory(cohorte=marc.cohorte)

    mettre_en_file_la_synthese(
        User.objects.get(pk=staff_user.pk), site_url="https://portail.example.org", day=LUNDI
    )

    message = Message.objects.get()
    assert message.sujet.endswith(
        f"à faire cette semaine : plus de {APERCU + 3} actions en attente"
    )
    assert f"Sorties à enregistrer : plus de {APERCU + 3}" in message.texte
    assert "Suivis en retard : 3" in message.texte
