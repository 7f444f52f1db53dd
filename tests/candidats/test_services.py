import datetime

import pytest

from candidats.models import Candidat
from candidats.services import (
    MEME_EMAIL,
    MEME_IDENTIFIANT,
    MEME_IDENTITE,
    doublons_probables,
    motifs_de_doublon,
)
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db

NE_LE = datetime.date(1990, 5, 12)


@pytest.fixture
def helene():
    return CandidatFactory(
        prenom="Hélène",
        nom="Lefèvre",
        date_naissance=NE_LE,
        email="helene.lefevre@exemple.fr",
        identifiant_france_travail="1234567A",
    )


def nouveau(**identite):
    return Candidat(
        nom=identite.get("nom", "Martin"),
        prenom=identite.get("prenom", "Paul"),
        date_naissance=identite.get("date_naissance"),
        email=identite.get("email", ""),
        identifiant_france_travail=identite.get("identifiant_france_travail", ""),
    )


def doublons(candidat):
    return list(doublons_probables(Candidat.objects.all(), candidat))


def test_same_france_travail_identifier(helene):
    candidat = nouveau(identifiant_france_travail="1234567a")

    assert doublons(candidat) == [helene]
    assert motifs_de_doublon(helene, candidat) == [MEME_IDENTIFIANT]


def test_same_email_in_another_case(helene):
    candidat = nouveau(email="Helene.Lefevre@Exemple.FR")

    assert doublons(candidat) == [helene]
    assert motifs_de_doublon(helene, candidat) == [MEME_EMAIL]


def test_same_names_without_accents_and_same_birth_date(helene):
    candidat = nouveau(nom="LEFEVRE", prenom="helene", date_naissance=NE_LE)

    assert doublons(candidat) == [helene]
    assert motifs_de_doublon(helene, candidat) == [MEME_IDENTITE]


def test_every_reason_is_given(helene):
    candidat = nouveau(
        nom="Lefèvre",
        prenom="Hélène",
        date_naissance=NE_LE,
        email="helene.lefevre@exemple.fr",
        identifiant_france_travail="1234567A",
    )

    assert motifs_de_doublon(helene, candidat) == [MEME_IDENTIFIANT, MEME_EMAIL, MEME_IDENTITE]


@pytest.mark.parametrize(
    "identite",
    [
        {"nom": "Lefèvre", "prenom": "Hélène", "date_naissance": datetime.date(1991, 5, 12)},
        {"nom": "Lefèvre", "prenom": "Hélène"},
        {"nom": "Lefèvre", "prenom": "Hélène-Marie", "date_naissance": NE_LE},
        {"nom": "Lefèvre-Roux", "prenom": "Hélène", "date_naissance": NE_LE},
        {"email": "helene@exemple.fr", "identifiant_france_travail": "1234567"},
        {},
    ],
    ids=[
        "other-birth-date",
        "no-birth-date",
        "longer-first-name",
        "longer-last-name",
        "other-email-and-identifier",
        "nothing-in-common",
    ],
)
def test_not_a_duplicate(helene, identite):
    assert doublons(nouveau(**identite)) == []


def test_a_saved_candidate_is_not_its_own_duplicate(helene):
    jumeau = CandidatFactory(email="HELENE.LEFEVRE@exemple.fr")

    assert doublons(helene) == [jumeau]


def test_only_the_candidates_given_are_searched(helene):
    candidat = nouveau(identifiant_france_travail="1234567A")

    assert list(doublons_probables(Candidat.objects.none(), candidat)) == []
