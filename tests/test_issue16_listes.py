"""Issue 16: the home page's counts and the candidate list read a bounded number of rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import portail.views
from candidats.models import Candidat
from portail import pagination
from tests.factories import CandidatFactory
from tests.pages import texte

pytestmark = pytest.mark.django_db
LISTE = reverse("candidats:liste")
ACCUEIL = reverse("portail:accueil")


@pytest.fixture
def borne(borne, monkeypatch):
    """The bounded lists' bound of 5 rows, a home page that shows 3 of each block."""
    monkeypatch.setattr(portail.views, "APERCU", 3)
    return borne


def noms(response):
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.DOTALL)
    return re.findall(r'<a href="/candidats/\d+/">([^<]+)</a>', body.group(1)) if body else []


def test_list_past_the_bound_says_plus_de_and_stops_at_the_last_bounded_page(client_staff, borne):
    for number in range(7):
        CandidatFactory(nom=f"Nom{number}", prenom="X")

    premiere = client_staff.get(LISTE, {"tri": "nom"})
    # Page 9 does not exist: the last page of the bounded range (3, rows 5 and 6 of 7
    # would be past the bound) is shown.
    profonde = client_staff.get(LISTE, {"tri": "nom", "page": 9})

    assert "plus de 5 candidats" in texte(premiere)
    assert "Page 1 sur 3" in texte(premiere)
    assert "précisez la recherche ou les filtres" in texte(premiere)
    assert noms(profonde) == ["Nom4 X"]
    assert "Page 3 sur 3" in texte(profonde)


def test_list_within_the_bound_shows_the_exact_count(client_staff, borne):
    for number in range(5):
        CandidatFactory(nom=f"Nom{number}", prenom="X")

    page = texte(client_staff.get(LISTE))

    assert "5 candidats" in page
    assert "plus de" not in page
    assert "précisez la recherche" not in page


def test_filtered_list_past_the_bound_says_they_match(client_staff, borne):
    for _ in range(6):
        CandidatFactory(statut=Candidat.Statut.RETENU)
    CandidatFactory(statut=Candidat.Statut.A_CONTACTER)

    assert "plus de 5 candidats correspondent aux critères" in texte(
        client_staff.get(LISTE, {"statut": "retenu"})
    )
    assert "1 candidat correspond aux critères" in texte(
        client_staff.get(LISTE, {"statut": "a_contacter"})
    )


@pytest.mark.parametrize("tri", ["nom", "-nom", "statut", "-statut", "canal", "ajoute_le"])
def test_every_sort_breaks_ties_in_its_own_direction(client_staff, tri):
    premier = CandidatFactory(nom="Dupont", prenom="Anne", statut=Candidat.Statut.RETENU)
    second = CandidatFactory(nom="Dupont", prenom="Anne", statut=Candidat.Statut.RETENU)
    second.canal, second.cree_le = premier.canal, premier.cree_le
    second.save()

    liens = re.findall(
        r'<a href="/candidats/(\d+)/">', client_staff.get(LISTE, {"tri": tri}).content.decode()
    )

    attendus = [str(premier.pk), str(second.pk)]
    assert liens == (attendus[::-1] if tri.startswith("-") else attendus)


@pytest.mark.parametrize("rows", [1, 50])
def test_bounded_list_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, borne, rows
):
    CandidatFactory.create_batch(rows)

    # The same queries as the unbounded list (tests/candidats/test_views.py): the bounded
    # COUNT replaces the full one.
    with django_assert_num_queries(10):
        response = client_staff.get(LISTE)

    assert response.status_code == 200


def test_home_counts_past_the_bound_say_plus_de(client_staff, borne):
    for _ in range(6):
        CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE)

    page = texte(client_staff.get(ACCUEIL))

    assert "Présélectionnés à inscrire plus de 5" in page
    assert "Voir les plus de 5 candidats présélectionnés" in page


def test_home_counts_within_the_bound_are_exact(client_staff, borne):
    for _ in range(5):
        CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE)

    page = texte(client_staff.get(ACCUEIL))

    assert "Présélectionnés à inscrire 5" in page
    assert "Voir les 5 candidats présélectionnés" in page


def test_bounded_count_stops_one_row_past_the_bound(borne):
    CandidatFactory.create_batch(8)

    assert pagination.compte_borne(Candidat.objects.all()) == 6
    assert pagination.PaginatorBorne(Candidat.objects.order_by("pk"), 2).lignes_lues == 6


def test_list_and_home_never_count_the_whole_table(client_staff, borne):
    CandidatFactory.create_batch(8, statut=Candidat.Statut.PRESELECTIONNE)

    with CaptureQueriesContext(connection) as liste_ctx:
        client_staff.get(LISTE)
    with CaptureQueriesContext(connection) as accueil_ctx:
        client_staff.get(ACCUEIL)

    comptes = [
        query["sql"]
        for query in liste_ctx.captured_queries + accueil_ctx.captured_queries
        if query["sql"].startswith("SELECT COUNT(") and "candidats_candidat" in query["sql"]
    ]
    # At least the list's length and the home page's pre-selected candidates.
    assert len(comptes) >= 2
    assert all("LIMIT 6" in sql for sql in comptes)
