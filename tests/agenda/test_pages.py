"""The staff's pages of the calendar feeds: create one (its address shown once), revoke it."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from agenda.models import JetonCalendrier
from tests.factories import EcoleFactory, PartenaireFactory

from .helpers import nouveau_calendrier

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecole():
    return EcoleFactory(nom="École de la Maintenance", ville="Cambrai")


def formulaire(client, ecole):
    """The creation form's hidden key, as the browser would send it back."""
    page = client.get(reverse("agenda:ecole", args=[ecole.pk])).text
    return re.search(r'name="jeton_creation" value="([0-9a-f]{32})"', page)[1]


def test_staff_create_a_feed_and_see_its_address_once(client_staff, staff_user, ecole):
    url = reverse("agenda:ecole", args=[ecole.pk])
    cle = formulaire(client_staff, ecole)

    response = client_staff.post(url, {"libelle": "Agenda de l'équipe", "jeton_creation": cle})

    assert response.status_code == 200
    adresse = re.search(r'id="adresse-du-calendrier" value="([^"]+)"', response.text)[1]
    assert re.fullmatch(r"https?://[^/]+/agenda/[A-Za-z0-9_-]{43}\.ics", adresse)
    calendrier = JetonCalendrier.objects.get()
    assert (calendrier.ecole, calendrier.libelle, calendrier.cree_par) == (
        ecole,
        "Agenda de l'équipe",
        staff_user,
    )
    jeton = adresse.rsplit("/", 1)[1].removesuffix(".ics")
    assert jeton not in client_staff.get(url).text
    assert client_staff.get(urlsplit(adresse).path).status_code == 200


def test_a_double_submit_creates_one_feed(client_staff, ecole):
    url = reverse("agenda:ecole", args=[ecole.pk])
    donnees = {"libelle": "Agenda de l'équipe", "jeton_creation": formulaire(client_staff, ecole)}

    client_staff.post(url, donnees)
    response = client_staff.post(url, donnees, follow=True)

    assert JetonCalendrier.objects.count() == 1
    assert "Ce calendrier a déjà été créé" in response.text


def test_an_empty_label_is_refused_and_nothing_is_created(client_staff, ecole):
    url = reverse("agenda:ecole", args=[ecole.pk])

    response = client_staff.post(
        url, {"libelle": "   ", "jeton_creation": formulaire(client_staff, ecole)}
    )

    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in response.text
    assert not JetonCalendrier.objects.exists()


def test_a_tampered_form_key_is_refused_with_a_message(client_staff, ecole):
    url = reverse("agenda:ecole", args=[ecole.pk])

    response = client_staff.post(url, {"libelle": "Agenda", "jeton_creation": "pas-une-cle"})

    assert "Le formulaire a expiré" in response.text
    assert 'value="Agenda"' in response.text
    assert not JetonCalendrier.objects.exists()


def test_revoking_asks_for_confirmation_then_revokes(client_staff, staff_user, ecole):
    calendrier, chemin = nouveau_calendrier(ecole, libelle="Agenda du GRETA")
    url = reverse("agenda:revoquer", args=[calendrier.pk])

    confirmation = client_staff.get(url)
    calendrier.refresh_from_db()
    assert calendrier.revoque_le is None
    assert "ne recevront plus aucune mise à jour" in confirmation.text

    response = client_staff.post(url, follow=True)

    calendrier.refresh_from_db()
    assert calendrier.revoque_par == staff_user
    assert "Le calendrier « Agenda du GRETA » est révoqué." in response.text
    assert "Révoqué le" in response.text
    assert client_staff.get(chemin).status_code == 404


def test_revoking_twice_says_it_already_was(client_staff, ecole):
    calendrier, _ = nouveau_calendrier(ecole)
    url = reverse("agenda:revoquer", args=[calendrier.pk])
    client_staff.post(url)
    premiere = JetonCalendrier.objects.get().revoque_le

    response = client_staff.post(url, follow=True)

    assert "était déjà révoqué" in response.text
    assert JetonCalendrier.objects.get().revoque_le == premiere


def test_partners_cannot_manage_feeds(client, ecole):
    partenaire = PartenaireFactory()
    ecole.entreprises_adherentes.add(partenaire.appartenances.get().entreprise)
    calendrier, _ = nouveau_calendrier(ecole)
    client.force_login(partenaire)

    for url in (
        reverse("agenda:ecoles"),
        reverse("agenda:ecole", args=[ecole.pk]),
        reverse("agenda:revoquer", args=[calendrier.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("agenda:revoquer", args=[calendrier.pk])).status_code == 403
    calendrier.refresh_from_db()
    assert calendrier.revoque_le is None


def test_schools_list_counts_active_feeds_and_searches(client_staff, ecole):
    EcoleFactory(nom="École de la Logistique", ville="Douai")
    nouveau_calendrier(ecole)
    revoque, _ = nouveau_calendrier(ecole)
    revoque.revoque_le = revoque.cree_le
    revoque.save()

    response = client_staff.get(reverse("agenda:ecoles"), {"q": "cambrai"})

    assert "École de la Logistique" not in response.text
    assert re.search(
        r"École de la Maintenance</a></td>\s*<td>Cambrai</td>\s*<td>1</td>", response.text
    )


def test_schools_list_empty_search_says_so(client_staff, ecole):
    response = client_staff.get(reverse("agenda:ecoles"), {"q": "Atlantide"})

    assert "Aucune école ne correspond à cette recherche." in response.text


def test_school_without_feed_says_how_to_create_one(client_staff, ecole):
    response = client_staff.get(reverse("agenda:ecole", args=[ecole.pk]))

    assert "Aucun calendrier partagé pour cette école" in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_feed_pages_run_a_fixed_number_of_queries(
    client_staff, django_assert_num_queries, ecole, rows
):
    for numero in range(rows):
        nouveau_calendrier(EcoleFactory(), libelle=f"Agenda {numero}")
        nouveau_calendrier(ecole, libelle=f"Agenda {numero}")

    # The request's savepoint, the session, the user; the number of schools for the
    # pagination, the page's schools with their count of active feeds; release; the
    # session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        client_staff.get(reverse("agenda:ecoles"))
    # The same around the school, the number of its feeds, and the page of its feeds with
    # who created and revoked them.
    with django_assert_num_queries(10):
        client_staff.get(reverse("agenda:ecole", args=[ecole.pk]))


def test_school_and_feed_labels_are_shown_as_text(client_staff):
    ecole = EcoleFactory(nom="<a href=javascript:alert(5)>École</a>")
    calendrier, _ = nouveau_calendrier(ecole, libelle="<script>alert(1)</script>")

    pages = [
        client_staff.get(reverse("agenda:ecole", args=[ecole.pk])).text,
        client_staff.get(reverse("agenda:revoquer", args=[calendrier.pk])).text,
    ]

    for texte in pages:
        assert "<script>alert(1)</script>" not in texte
        assert "<a href=javascript" not in texte
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texte


def test_the_planning_page_of_a_school_leads_staff_to_its_feeds(client_staff, ecole):
    response = client_staff.get(reverse("besoins:planification", args=[ecole.pk]))

    assert reverse("agenda:ecole", args=[ecole.pk]) in response.text
