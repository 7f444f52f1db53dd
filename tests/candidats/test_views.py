"""Who may open the candidate pages, and what the list shows."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from candidats.models import CanalSourcing, Candidat
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    ParcoursFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PAGES = ["liste", "creer", "detail", "modifier"]


def url_of(name, candidat):
    if name in ("detail", "modifier"):
        return reverse(f"candidats:{name}", kwargs={"pk": candidat.pk})
    return reverse(f"candidats:{name}")


def listed_names(response):
    """The names in the list's table, in the order shown."""
    html = response.content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.DOTALL)
    if body is None:
        return []
    return re.findall(r'<a href="/candidats/\d+/">([^<]+)</a>', body.group(1))


def liste(client, **params):
    return client.get(reverse("candidats:liste"), params)


@pytest.fixture
def candidat():
    return CandidatFactory(prenom="Hélène", nom="Lefèvre")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_user_is_sent_to_the_login_page(client, candidat, name):
    url = url_of(name, candidat)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", PAGES)
def test_partner_gets_403(client, partner_user, candidat, name):
    client.force_login(partner_user)

    response = client.get(url_of(name, candidat))

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["creer", "modifier"])
def test_partner_cannot_write_a_candidate(client, partner_user, candidat, name):
    client.force_login(partner_user)

    response = client.post(url_of(name, candidat), {"nom": "Pirate", "prenom": "Jean"})

    assert response.status_code == 403
    assert list(Candidat.objects.values_list("nom", flat=True)) == ["Lefèvre"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("user_fixture", ["staff_user", "admin_user"])
def test_staff_opens_every_page(request, client, candidat, name, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    response = client.get(url_of(name, candidat))

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["detail", "modifier"])
def test_unknown_candidate_is_a_404(client_staff, name):
    response = client_staff.get(reverse(f"candidats:{name}", kwargs={"pk": 999}))

    assert response.status_code == 404


# The list


def test_list_shows_the_count_the_columns_and_a_create_button(client_staff):
    ecole = EcoleFactory(nom="École de la Logistique", ville="Douai")
    CandidatFactory(
        prenom="Hélène",
        nom="Lefèvre",
        identifiant_france_travail="1234567A",
        statut=Candidat.Statut.RETENU,
        canal=CanalSourcing.MISSION_LOCALE,
        ecole_visee=ecole,
        cree_le=datetime.datetime(2025, 3, 15, 10, tzinfo=PARIS),
    )
    CandidatFactory(prenom="Marc", nom="Dupont")

    response = liste(client_staff)

    html = response.content.decode()
    assert "2 candidats" in html
    assert listed_names(response) == ["Dupont Marc", "Lefèvre Hélène"]
    row = re.search(r"<tr>\s*<td><a[^>]*>Lefèvre Hélène</a>.*?</tr>", html, re.DOTALL).group(0)
    for shown in ["1234567A", "Retenu", "Mission locale", "École de la Logistique — Douai"]:
        assert shown in row
    assert "15/03/2025" in row
    assert f'href="{reverse("candidats:creer")}"' in html
    assert "Nouveau candidat" in html


@pytest.mark.parametrize("terms", ["helene", "HÉLÈNE", "lefevre"])
def test_search_ignores_accents_and_case(client_staff, terms):
    CandidatFactory(prenom="Hélène", nom="Lefèvre")
    CandidatFactory(prenom="Marc", nom="Dupont")

    response = liste(client_staff, q=terms)

    assert listed_names(response) == ["Lefèvre Hélène"]
    assert "1 candidat correspond aux critères" in response.content.decode()


def test_search_finds_an_email(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre", email="h.lefevre@exemple.fr")
    CandidatFactory(prenom="Marc", nom="Dupont", email="marc@exemple.fr")

    response = liste(client_staff, q="H.Lefevre@exemple.fr")

    assert listed_names(response) == ["Lefèvre Hélène"]


def test_search_finds_a_france_travail_identifier(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre", identifiant_france_travail="1234567A")
    CandidatFactory(prenom="Marc", nom="Dupont", identifiant_france_travail="7654321B")

    response = liste(client_staff, q="1234567a")

    assert listed_names(response) == ["Lefèvre Hélène"]


def test_search_box_keeps_the_typed_terms(client_staff):
    CandidatFactory()

    response = liste(client_staff, q="hélène")

    assert 'name="q" value="hélène"' in response.content.decode()


def test_status_filter_narrows_the_list(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre", statut=Candidat.Statut.RETENU)
    CandidatFactory(prenom="Marc", nom="Dupont", statut=Candidat.Statut.NON_RETENU)

    response = liste(client_staff, statut="retenu")

    assert listed_names(response) == ["Lefèvre Hélène"]


def test_channel_filter_narrows_the_list(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre", canal=CanalSourcing.CAP_EMPLOI)
    CandidatFactory(prenom="Marc", nom="Dupont", canal=CanalSourcing.FRANCE_TRAVAIL)

    response = liste(client_staff, canal="cap_emploi")

    assert listed_names(response) == ["Lefèvre Hélène"]


def test_school_filter_takes_the_school_aimed_at_or_an_enrollment_once(client_staff):
    douai = EcoleFactory(ville="Douai")
    CandidatFactory(prenom="Hélène", nom="Lefèvre", ecole_visee=douai)
    # Enrolled twice in Douai, through two tracks, and aiming at another school:
    # listed once.
    stagiaire = CandidatFactory(prenom="Marc", nom="Dupont", ecole_visee=EcoleFactory())
    for parcours in ParcoursFactory.create_batch(2, ecole=douai):
        InscriptionFactory(candidat=stagiaire, cohorte=CohorteFactory(parcours=parcours))
    ailleurs = CandidatFactory(prenom="Zoé", nom="Martin")
    InscriptionFactory(candidat=ailleurs)

    response = liste(client_staff, ecole=douai.pk)

    assert listed_names(response) == ["Dupont Marc", "Lefèvre Hélène"]
    assert "2 candidats correspondent aux critères" in response.content.decode()


def test_school_filter_offers_every_school(client_staff):
    EcoleFactory(nom="École du Monteur électricien", ville="Dunkerque", active=False)

    response = liste(client_staff)

    assert "École du Monteur électricien — Dunkerque" in response.content.decode()


def test_date_filters_are_date_inputs(client_staff):
    html = liste(client_staff).content.decode()

    assert re.search(r'<input type="date" name="ajoute_du"', html)
    assert re.search(r'<input type="date" name="ajoute_au"', html)


def test_date_range_includes_both_days_in_paris_time(client_staff):
    def added_on(name, *moment):
        CandidatFactory(nom=name, prenom="X", cree_le=datetime.datetime(*moment, tzinfo=PARIS))

    added_on("Avant", 2025, 2, 28, 23, 59)
    added_on("Premier", 2025, 3, 1, 0, 0)
    added_on("Dernier", 2025, 3, 31, 23, 59)
    added_on("Apres", 2025, 4, 1, 0, 0)

    response = liste(client_staff, ajoute_du="2025-03-01", ajoute_au="2025-03-31")

    assert listed_names(response) == ["Dernier X", "Premier X"]


def test_an_invalid_filter_is_reported_and_ignored(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre")

    response = liste(client_staff, statut="inconnu")

    assert listed_names(response) == ["Lefèvre Hélène"]
    assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.parametrize(
    ("tri", "expected"),
    [("nom", ["Bernard", "Dupont", "Martin"]), ("-nom", ["Martin", "Dupont", "Bernard"])],
)
def test_sorting_by_name(client_staff, tri, expected):
    for nom in ["Dupont", "Martin", "Bernard"]:
        CandidatFactory(nom=nom, prenom="Léa")

    response = liste(client_staff, tri=tri)

    assert listed_names(response) == [f"{nom} Léa" for nom in expected]


def test_sorting_by_date_added_newest_first(client_staff):
    for day, nom in [(1, "Ancien"), (3, "Recent"), (2, "Moyen")]:
        CandidatFactory(nom=nom, prenom="X", cree_le=datetime.datetime(2025, 3, day, tzinfo=PARIS))

    response = liste(client_staff, tri="-ajoute_le")

    assert listed_names(response) == ["Recent X", "Moyen X", "Ancien X"]


def test_sort_links_keep_the_filters(client_staff):
    CandidatFactory(statut=Candidat.Statut.RETENU)

    html = liste(client_staff, statut="retenu", tri="nom").content.decode()

    # The "Nom" header now offers the descending order, with the status filter kept.
    assert 'href="?statut=retenu&amp;tri=-nom"' in html


def test_second_page(client_staff):
    for number in range(30):
        CandidatFactory(nom=f"Nom{number:02d}", prenom="X")

    first = liste(client_staff)
    second = liste(client_staff, page=2)

    assert len(listed_names(first)) == 25
    assert listed_names(second) == [f"Nom{number} X" for number in range(25, 30)]
    assert "Page 2 sur 2" in second.content.decode()
    assert "30 candidats" in second.content.decode()


def test_empty_database_invites_to_create_the_first_candidate(client_staff):
    html = liste(client_staff).content.decode()

    assert "Aucun candidat n'est encore enregistré" in html
    assert f'<a href="{reverse("candidats:creer")}" role="button">Ajouter le premier' in html
    assert "<table" not in html


def test_no_match_offers_to_reset_the_filters(client_staff):
    CandidatFactory(prenom="Hélène", nom="Lefèvre")

    html = liste(client_staff, q="introuvable").content.decode()

    assert "Aucun candidat ne correspond à ces critères" in html
    assert f'<a href="{reverse("candidats:liste")}">Réinitialiser les filtres</a>' in html
    assert "<table" not in html


@pytest.mark.parametrize("rows", [1, 50])
def test_list_queries_do_not_grow_with_the_rows(client_staff, django_assert_num_queries, rows):
    for _ in range(rows):
        CandidatFactory(ecole_visee=EcoleFactory())

    # 1. savepoint of ATOMIC_REQUESTS, 2. the session, 3. the user, 4. the count,
    # 5. the schools of the filter, 6. the page's candidates with their school,
    # 7. release; 8.-10. the session saved again (SESSION_SAVE_EVERY_REQUEST) in its
    # own savepoint.
    with django_assert_num_queries(10):
        response = liste(client_staff)

    assert len(listed_names(response)) == min(rows, 25)
