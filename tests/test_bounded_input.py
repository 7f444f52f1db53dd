"""Inputs that made a page answer 500, now refused with a message or ignored.

tests/test_hostile_input.py sends such inputs to every page; these are the ones seen.
"""

import datetime
import html
import io
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from messagerie.models import Message
from parcours.dates import DATE_MAX, add_months, lasts_at_least_months
from parcours.models import Categorie, Cohorte, Situation, Sortie, categorie_de_sortie
from portail.forms import PageForm
from tests.echanges.test_exports import exporter
from tests.factories import (
    AppartenanceFactory,
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    StageFactory,
    UserFactory,
)
from tests.test_hostile_input import refuser_les_nul

HORS_BORNES = "Choisissez une date entre le 01/01/2000 et le 31/12/2099."


def today():
    return timezone.localdate()


@pytest.fixture
def nul_refuse_comme_postgresql(db):
    with connection.execute_wrapper(refuser_les_nul):
        yield


# Sign-in


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_username_longer_than_the_user_model_allows_is_refused_before_it_is_stored(client):
    response = client.post(reverse("login"), {"username": "a" * 10_000, "password": "secret"})

    assert response.status_code == 200
    assert "au plus 150 caractères (actuellement 10000)" in response.text
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_username_of_the_user_model_length_is_still_checked_and_throttled(client):
    response = client.post(reverse("login"), {"username": "a" * 150, "password": "secret"})

    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text
    assert AccessAttempt.objects.get().username == "a" * 150


# Dates far from the programme's


def test_a_far_fetched_date_in_the_candidate_list_filter_is_refused_and_ignored(client_staff):
    CandidatFactory(nom="Delattre")

    response = client_staff.get(reverse("candidats:liste"), {"ajoute_au": "9999-12-31"})

    assert response.status_code == 200
    assert HORS_BORNES in response.text
    assert "Delattre" in response.text


def test_the_candidate_export_ignores_a_far_fetched_date_as_the_list_does(client_staff):
    CandidatFactory(nom="Delattre")

    response = exporter(
        client_staff,
        reverse("echanges:export_candidats", args=["csv"]),
        {"ajoute_du": "0001-01-01", "ajoute_au": "9999-12-31"},
    )

    assert response.status_code == 200
    assert "Delattre" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_candidate_list_filter_still_keeps_the_last_day_of_its_bounds(client_staff):
    CandidatFactory(nom="Delattre")

    response = client_staff.get(
        reverse("candidats:liste"), {"ajoute_du": "2000-01-01", "ajoute_au": "2099-12-31"}
    )

    assert HORS_BORNES not in response.text
    assert "Delattre" in response.text


def candidate_form(**fields):
    return {
        "nom": "Delattre",
        "prenom": "Rose",
        "canal": "france_travail",
        "statut": Candidat.Statut.A_CONTACTER,
        **fields,
    }


def test_a_candidate_born_long_before_the_programme_may_be_recorded(client_staff):
    response = client_staff.post(
        reverse("candidats:creer"), candidate_form(date_naissance="1951-04-02")
    )

    assert response.status_code == 302
    assert Candidat.objects.get().date_naissance == datetime.date(1951, 4, 2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_naissance", "1899-12-31", "Choisissez une date entre le 01/01/1900 et le"),
        ("date_consentement", "1999-12-31", HORS_BORNES),
        ("date_dernier_contact", "0001-01-01", HORS_BORNES),
    ],
)
def test_a_candidate_date_outside_the_bounds_is_a_form_error(client_staff, field, value, message):
    response = client_staff.post(reverse("candidats:creer"), candidate_form(**{field: value}))

    assert response.status_code == 200
    assert message in response.text
    assert not Candidat.objects.exists()


def exit_form(**fields):
    return {
        "date_sortie": today().isoformat(),
        "motif": Sortie.Motif.EMBAUCHE_ANTICIPEE,
        "situation": Situation.CDD_LONG,
        "employeur": "Ampere",
        "date_debut_contrat": (today() + datetime.timedelta(days=1)).isoformat(),
        **fields,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("date_fin_contrat", "9999-12-31"), ("date_debut_contrat", "9999-12-01")],
)
def test_an_exit_with_a_contract_date_in_year_9999_is_refused_with_a_form_error(
    client_staff, field, value
):
    inscription = InscriptionFactory(
        cohorte=CohorteFactory(date_debut=today() - datetime.timedelta(weeks=10))
    )
    form = exit_form(date_fin_contrat=add_months(today(), 12).isoformat()) | {field: value}

    response = client_staff.post(reverse("parcours:sortie", args=[inscription.pk]), form)

    assert response.status_code == 200
    assert HORS_BORNES in response.text
    assert not Sortie.objects.exists()


def test_a_cohort_starting_in_year_9999_is_refused_with_a_form_error(client_staff):
    parcours = ParcoursFactory()

    response = client_staff.post(
        reverse("parcours:cohorte_creer"),
        {"parcours": parcours.pk, "date_debut": "9999-12-31", "places": 12, "creer": ""},
    )

    assert response.status_code == 200
    assert HORS_BORNES in response.text
    assert not Cohorte.objects.exists()


def test_a_contract_ending_on_the_last_day_of_the_calendar_is_categorised():
    debut = datetime.date(2025, 1, 6)

    assert categorie_de_sortie(Situation.CDD, debut, datetime.date.max) == Categorie.EMPLOI_DURABLE
    assert lasts_at_least_months(datetime.date(9999, 12, 1), datetime.date.max, 6) is False
    assert lasts_at_least_months(debut, DATE_MAX, 6) is True


def test_a_month_past_year_9999_is_an_overflow_like_any_date_arithmetic():
    with pytest.raises(OverflowError):
        add_months(datetime.date(9999, 12, 1), 1)
    with pytest.raises(OverflowError):
        add_months(datetime.date(1, 1, 31), -1)


# Values PostgreSQL refuses: a NUL reaches no query


def test_a_nul_in_the_creation_token_is_a_form_error(client_staff, nul_refuse_comme_postgresql):
    response = client_staff.post(reverse("candidats:creer"), candidate_form(jeton="a\x00b"))

    assert response.status_code == 200
    assert not Candidat.objects.exists()


def test_a_valid_creation_token_still_recognises_a_form_sent_twice(client_staff):
    form = candidate_form(jeton="0123456789abcdef")
    client_staff.post(reverse("candidats:creer"), form)

    response = client_staff.post(reverse("candidats:creer"), form)

    assert response.url == reverse("candidats:detail", args=[Candidat.objects.get().pk])


def test_a_nul_in_the_enrollment_search_is_ignored(client_staff, nul_refuse_comme_postgresql):
    cohorte = CohorteFactory()
    # Aiming at the cohort's school: the picker's list without a search.
    CandidatFactory(nom="Delattre", ecole_visee=cohorte.parcours.ecole)

    response = client_staff.get(
        reverse("parcours:choisir_candidat", args=[cohorte.pk]), {"q": "Dupont\x00"}
    )

    assert response.status_code == 200
    assert "Delattre" in response.text


def test_the_enrollment_search_still_searches(client_staff):
    cohorte = CohorteFactory()
    # A town of their own: a random one is sometimes named after a family ("Delattre").
    CandidatFactory(nom="Delattre", commune="Lens")
    CandidatFactory(nom="Wattez", commune="Lens")

    response = client_staff.get(
        reverse("parcours:choisir_candidat", args=[cohorte.pk]), {"q": " wattez "}
    )

    assert "Wattez" in response.text
    assert "Delattre" not in response.text


@pytest.mark.parametrize("suivante", ["Dupont", "/\x00", "/" + "x" * 3000, "//evil.example/"])
def test_a_next_page_that_is_no_local_path_sends_back_to_the_cohort(client_staff, suivante):
    inscription = StageFactory().inscription

    response = client_staff.post(
        reverse("parcours:stages", args=[inscription.pk]), {"next": suivante}
    )

    assert response.status_code == 302
    assert response.url == reverse("parcours:cohorte", args=[inscription.cohorte_id])


def test_a_local_next_page_is_still_followed(client_staff):
    inscription = StageFactory().inscription

    response = client_staff.post(
        reverse("parcours:stages", args=[inscription.pk]), {"next": "/suivis/?mois=2025-01"}
    )

    assert response.url == "/suivis/?mois=2025-01"


@pytest.mark.parametrize(
    ("mois", "titre"), [("2099-12", "décembre 2099"), ("2000-01", "janvier 2000")]
)
def test_the_months_at_the_bounds_are_shown(client_staff, mois, titre):
    response = client_staff.get(reverse("parcours:suivis_du_mois"), {"mois": mois})

    assert f"<h1>Suivis de {titre}</h1>" in response.text


@pytest.mark.parametrize("mois", ["2100-01", "1999-12", "2025-01\x00", "9999-12"])
def test_a_month_past_the_bounds_is_the_current_one(client_staff, mois):
    response = client_staff.get(reverse("parcours:suivis_du_mois"), {"mois": mois})

    assert f'name="mois" value="{today():%Y-%m}"' in response.text


# Page numbers and sort orders


@pytest.fixture
def vingt_six_candidats(db):
    """One page of 25 and one of 1, in the list's default order (by name)."""
    return [CandidatFactory(nom=f"Delattre{numero:02d}") for numero in range(26)]


@pytest.mark.parametrize("page", ["\x00", "2\x00", str(10**20), "9" * 400, "-1", "0", "abc"])
def test_a_garbled_or_absurd_page_number_is_the_first_page(
    client_staff, vingt_six_candidats, nul_refuse_comme_postgresql, page
):
    response = client_staff.get(reverse("candidats:liste"), {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "Delattre00" in response.text
    assert "Delattre25" not in response.text


@pytest.mark.parametrize(("page", "numero"), [("2", 2), ("99", 2), ("1", 1)])
def test_a_page_number_still_leads_to_its_page_or_the_last_one(
    client_staff, vingt_six_candidats, page, numero
):
    response = client_staff.get(reverse("candidats:liste"), {"page": page})

    assert response.context["page_obj"].number == numero


@pytest.mark.parametrize("tri", ["\x00", "-nom\x00", "x" * 10_000, "--nom", "inconnu"])
def test_a_garbled_sort_order_is_the_default_one(
    client_staff, vingt_six_candidats, nul_refuse_comme_postgresql, tri
):
    response = client_staff.get(reverse("candidats:liste"), {"tri": tri})

    assert response.status_code == 200
    assert "Delattre00" in response.text
    assert "Delattre25" not in response.text


def test_a_sort_order_of_the_list_still_sorts(client_staff, vingt_six_candidats):
    response = client_staff.get(reverse("candidats:liste"), {"tri": "-nom"})

    assert "Delattre25" in response.text
    assert "Delattre00" not in response.text


@pytest.mark.parametrize(
    ("donnees", "numero"),
    [
        ({}, 1),
        ({"page_cohortes": "3"}, 3),
        ({"page_cohortes": "3\x00"}, 1),
        ({"page_cohortes": str(10**20)}, 1),
        ({"page": "3"}, 1),
    ],
)
def test_a_page_number_of_its_own_name_is_read_under_that_name(donnees, numero):
    assert PageForm(donnees, nom="page_cohortes").numero() == numero


def test_the_partner_cohort_page_takes_a_garbled_page_number(nul_refuse_comme_postgresql, client):
    appartenance = AppartenanceFactory()
    cohorte = CohorteFactory(parcours__ecole__entreprises_adherentes=[appartenance.entreprise])
    InscriptionFactory(cohorte=cohorte, candidat__nom="Delattre")
    client.force_login(appartenance.user)

    response = client.get(reverse("partenaires:cohorte", args=[cohorte.pk]), {"page": "\x00"})

    assert response.status_code == 200
    assert "Delattre" in response.text


def test_a_cohort_number_too_large_for_the_database_is_ignored(client_staff):
    InscriptionFactory(candidat__nom="Delattre")

    response = client_staff.get(
        reverse("parcours:stages_sans_entreprise"), {"cohorte": str(10**20)}
    )

    assert response.status_code == 200
    assert "Delattre" in response.text


def test_the_internships_without_host_are_still_narrowed_to_a_cohort(client_staff):
    inscription = InscriptionFactory(candidat__nom="Delattre")
    InscriptionFactory(candidat__nom="Wattez")

    response = client_staff.get(
        reverse("parcours:stages_sans_entreprise"), {"cohorte": inscription.cohorte_id}
    )

    assert "Delattre" in response.text
    assert "Wattez" not in response.text


# The mail server down


class MessagerieEnPanne(BaseEmailBackend):
    """A mail server that refuses the connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


PANNE = "tests.test_bounded_input.MessagerieEnPanne"


@pytest.mark.django_db(transaction=True)
def test_a_partner_account_is_kept_and_its_email_retried_when_the_mail_server_is_down(client):
    entreprise = EntrepriseFactory()
    client.force_login(UserFactory())

    with override_settings(EMAIL_BACKEND=PANNE):
        response = client.post(
            reverse("entreprises:creer_compte", args=[entreprise.pk]),
            {"prenom": "Rose", "nom": "Delattre", "email": "rose.delattre@example.org"},
            follow=True,
        )

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("entreprises:detail", args=[entreprise.pk]), 302)]
    assert entreprise.appartenances.get(active=True).user.email == "rose.delattre@example.org"
    assert (
        "Le compte de Rose Delattre est créé. Le courriel qui lui permet de choisir son mot de "
        "passe part dans quelques instants."
    ) in html.unescape(response.text)
    [message] = Message.objects.all()
    assert message.etat == Message.Etat.ECHEC
    assert message.destinataire == "rose.delattre@example.org"
    assert "Connection refused" in message.derniere_erreur
    assert mail.outbox == []

    call_command("relancer_messages", stdout=io.StringIO())

    message.refresh_from_db()
    assert message.etat == Message.Etat.ENVOYE
    [email] = mail.outbox
    assert email.to == ["rose.delattre@example.org"]
    [lien] = re.findall(r"http://testserver(/reset/\S+/)", email.body)
    client.logout()
    assert client.get(client.get(lien).url).context["validlink"]


def test_resending_an_invitation_with_the_mail_server_down_keeps_it_in_the_outbox(client_staff):
    appartenance = AppartenanceFactory(user__email="rose.delattre@example.org")

    with override_settings(EMAIL_BACKEND=PANNE):
        response = client_staff.post(
            reverse("entreprises:renvoyer_invitation", args=[appartenance.pk]), follow=True
        )

    assert response.status_code == 200
    assert (
        "Un nouveau courriel d'accès part dans quelques instants pour rose.delattre@example.org."
    ) in html.unescape(response.text)
    assert mail.outbox == []
    assert Message.objects.get().etat == Message.Etat.ECHEC

    call_command("relancer_messages", stdout=io.StringIO())

    [email] = mail.outbox
    assert email.to == ["rose.delattre@example.org"]
