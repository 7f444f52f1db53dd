import pytest

from candidats.models import Candidat
from tests.factories import CandidatFactory, InscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene():
    return CandidatFactory(prenom="Hélène", nom="Lefèvre", identifiant_france_travail="1234567A")


@pytest.mark.parametrize("terms", ["helene", "HÉLÈNE", "Helene", "lefevre helene", "héLÈne LEF"])
def test_search_ignores_accents_and_case(helene, terms):
    CandidatFactory(prenom="Marc", nom="Dupont")

    assert list(Candidat.objects.recherche(terms)) == [helene]


def test_search_needs_every_word(helene):
    assert not Candidat.objects.recherche("helene dupont").exists()


def test_search_finds_the_france_travail_identifier(helene):
    assert list(Candidat.objects.recherche("1234567a")) == [helene]


def test_search_follows_a_name_saved_with_update_fields(helene):
    helene.nom = "Dupré"
    helene.save(update_fields=["nom"])

    assert list(Candidat.objects.recherche("dupre")) == [helene]
    assert not Candidat.objects.recherche("lefevre").exists()


def test_never_enrolled_candidates_exclude_trainees(helene):
    trainee = InscriptionFactory().candidat

    assert list(Candidat.objects.jamais_inscrits()) == [helene]
    assert trainee.inscriptions.exists()


def test_search_unfolds_ligatures():
    duboeuf = CandidatFactory(prenom="Anne", nom="Dubœuf")

    assert list(Candidat.objects.recherche("duboeuf")) == [duboeuf]
