"""Recording an exit schedules its surveys; a wave already due leaves at once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from enquetes.models import Enquete
from parcours.dates import add_months
from parcours.services import enregistrer_sortie
from tests.factories import CohorteFactory, InscriptionFactory

from .helpers import DEBUT_MAI_2025, FIN_AOUT_2025, sortie_du_jour, sortie_tardive

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def exit_data(date_sortie):
    return {
        "date_sortie": date_sortie.isoformat(),
        "motif": "fin_parcours",
        "situation": "cdi",
        "employeur": "Ampere",
        "date_debut_contrat": (date_sortie + datetime.timedelta(days=1)).isoformat(),
    }


def vagues(sortie):
    return {
        enquete.vague_mois: (enquete.date_prevue, enquete.envoyee_le is not None)
        for enquete in sortie.enquetes.all()
    }


def test_an_exit_is_surveyed_at_once_and_6_months_later():
    sortie = sortie_du_jour()

    assert vagues(sortie) == {0: (today(), True), 6: (add_months(today(), 6), False)}
    [courriel] = mail.outbox
    assert courriel.to == [sortie.inscription.candidat.email]


def test_an_exit_on_31_august_is_surveyed_on_28_february():
    sortie = sortie_tardive()

    assert sortie.enquetes.get(vague_mois=6).date_prevue == datetime.date(2026, 2, 28)


def test_a_late_exit_sends_its_6_month_survey_at_once_and_the_page_says_so(client_staff):
    cohorte = CohorteFactory(date_debut=DEBUT_MAI_2025)
    inscription = InscriptionFactory(cohorte=cohorte, candidat__prenom="Lina")

    response = client_staff.post(
        reverse("parcours:sortie", args=[inscription.pk]), exit_data(FIN_AOUT_2025), follow=True
    )

    assert "L&#x27;enquête à 6 mois part aujourd&#x27;hui." in response.text
    [courriel] = mail.outbox
    assert courriel.to == [inscription.candidat.email]
    assert courriel.subject == "Où en êtes-vous 6 mois après votre formation ?"
    assert "Bonjour Lina," in courriel.body
    # The survey at exit is overtaken: the person is asked about today only.
    assert vagues(inscription.sortie) == {
        0: (FIN_AOUT_2025, False),
        6: (datetime.date(2026, 2, 28), True),
    }


def test_an_exit_of_today_announces_the_6_month_survey(client_staff):
    inscription = InscriptionFactory()

    response = client_staff.post(
        reverse("parcours:sortie", args=[inscription.pk]), exit_data(today()), follow=True
    )

    dans_6_mois = add_months(today(), 6)
    assert (
        f"L&#x27;enquête à la sortie part aujourd&#x27;hui ; l&#x27;enquête à 6 mois partira "
        f"le {dans_6_mois:%d/%m/%Y}." in response.text
    )


def test_correcting_the_exit_date_moves_the_waves_not_sent_yet():
    sortie = sortie_du_jour(date_sortie=today() - datetime.timedelta(days=10))
    envoyee_le = sortie.enquetes.get(vague_mois=0).envoyee_le

    enregistrer_sortie(
        inscription=sortie.inscription, date_sortie=today() - datetime.timedelta(days=3)
    )

    nouvelle = today() - datetime.timedelta(days=3)
    assert sortie.enquetes.get(vague_mois=6).date_prevue == add_months(nouvelle, 6)
    # The survey at exit has left: it keeps its date, and is not sent again.
    assert sortie.enquetes.get(vague_mois=0).date_prevue == today() - datetime.timedelta(days=10)
    assert sortie.enquetes.get(vague_mois=0).envoyee_le == envoyee_le
    assert len(mail.outbox) == 1


def test_the_waves_at_3_and_12_months_follow_the_setting(settings):
    settings.PORTAIL_ENQUETES_VAGUES_MOIS = [0, 3, 6, 12]

    sortie = sortie_du_jour()

    assert {vague: date for vague, (date, _) in vagues(sortie).items()} == {
        mois: add_months(today(), mois) for mois in (0, 3, 6, 12)
    }


def test_an_unknown_wave_in_the_setting_stops_the_checks(settings):
    settings.PORTAIL_ENQUETES_VAGUES_MOIS = [0, 5]

    with pytest.raises(SystemCheckError, match="enquetes.E001"):
        call_command("check")


def test_a_person_without_email_goes_to_the_call_list_and_the_page_says_so(client_staff):
    inscription = InscriptionFactory(candidat__email="")

    response = client_staff.post(
        reverse("parcours:sortie", args=[inscription.pk]), exit_data(today()), follow=True
    )

    assert mail.outbox == []
    assert (
        "Sans adresse de courriel, l&#x27;enquête à la sortie est sur la liste « À appeler »"
        in (response.text)
    )
    assert list(Enquete.objects.a_appeler(today())) == [
        inscription.sortie.enquetes.get(vague_mois=0)
    ]


def test_a_later_exit_of_a_person_who_asked_for_no_more_surveys_sends_nothing():
    from enquetes.services import refuser_les_enquetes

    premiere = sortie_tardive()
    refuser_les_enquetes(enquete=premiere.enquetes.get(vague_mois=6))
    mail.outbox.clear()

    nouvelle = sortie_du_jour(
        inscription=InscriptionFactory(candidat=premiere.inscription.candidat)
    )

    assert mail.outbox == []
    assert not Enquete.objects.ouvertes(today()).filter(sortie=nouvelle).exists()
