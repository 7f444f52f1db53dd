import pytest
from django.urls import reverse

from tests.factories import PartenaireFactory
from tests.urls import argument_free_url_names

# Views that only accept POST answer a GET with 405; the admin's autocomplete refuses
# a request that does not name the field it completes; a signed-in administrator
# is sent on from the admin's login page.
EXPECTED_STATUS = {
    "logout": 405,
    "admin:logout": 405,
    "admin:autocomplete": 403,
    "admin:login": 302,
    # Read-only logs: nobody adds a sign-in attempt or a partner's consultation by hand.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:partenaires_consultation_add": 403,
    "admin:candidats_telechargementdonnees_add": 403,
    # Documents are kept by `documents.services`; their downloads are logged by the portal.
    "admin:documents_document_add": 403,
    "admin:documents_telechargementdocument_add": 403,
    # The tutor writes the evaluation, from the partner pages.
    "admin:evaluations_evaluationdestage_add": 403,
    # The outbox and the task queue are written by the services and the workers.
    "admin:messagerie_message_add": 403,
    "admin:django_tasks_database_dbtaskresult_add": 403,
    # A cohort's phases move with its whole calendar, on the staff's calendar page.
    "admin:parcours_phasecohorte_add": 403,
    # Without an app the code page sends to enrolment; recovery codes are shown once,
    # right after enrolling.
    "double_facteur:verifier": 302,
    "double_facteur:codes_secours": 302,
    # Surveys, their links and their answers are written by the services only.
    "admin:enquetes_enquete_add": 403,
    "admin:enquetes_jetonenquete_add": 403,
    "admin:enquetes_situationapressortie_add": 403,
    # A feed is created on its school's page, which shows its address once; its versions
    # are written by the feed itself.
    "admin:agenda_jetoncalendrier_add": 403,
    "admin:agenda_versionpubliee_add": 403,
    # Partner pages are for partners only.
    "partenaires:ecoles": 403,
    "besoins:mes_besoins": 403,
    "evenements:accueillis": 403,
    "evaluations:a_evaluer": 403,
    # Switching the digest on or off is a POST.
    "a_faire:synthese": 405,
    # Half-days come from the calendar, attendance from the grid, locks from signed sheets.
    "admin:presences_creneau_add": 403,
    "admin:presences_presence_add": 403,
    "admin:presences_semaineverrouillee_add": 403,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", argument_free_url_names())
def test_every_argument_free_url_opens_for_an_administrator(client, admin_user, name):
    client.force_login(admin_user)

    response = client.get(reverse(name))

    expected = EXPECTED_STATUS.get(name, 200)
    assert response.status_code == expected, f"{name} answered {response.status_code}"


def test_the_smoke_test_covers_the_admin_and_the_login():
    names = argument_free_url_names()

    assert "login" in names
    assert "admin:candidats_candidat_changelist" in names


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_partner_trainee_download_opens_for_a_partner_only(client, admin_user, format):
    """A URL with an argument, outside the argument-free sweep above."""
    url = reverse("partenaires:export_stagiaires", args=[format])
    client.force_login(admin_user)
    assert client.get(url).status_code == 403

    client.force_login(PartenaireFactory())
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
