"""The likely-duplicate rule, and the form and the import that both apply it."""

import datetime
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from candidats.doublons import (
    MEME_EMAIL,
    MEME_IDENTIFIANT,
    NOMS_PROCHES,
    doublons_existants,
    doublons_internes,
    doublons_probables,
    motifs_de_doublon,
)
from candidats.forms import CandidatForm
from candidats.models import CanalSourcing, Candidat
from candidats.retention import anonymiser
from echanges.imports import analyser
from tests.echanges.fichiers import csv_bytes, ligne
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db

NE_LE = datetime.date(1990, 5, 12)


def identite(**valeurs):
    """What the rule reads of a person, as a form's cleaned data holds it."""
    return {
        "nom": "Martin",
        "prenom": "Paul",
        "date_naissance": None,
        "email": "",
        "identifiant_france_travail": "",
        **valeurs,
    }


def doublons(**valeurs):
    return list(doublons_probables(Candidat.objects.all(), identite(**valeurs)))


@pytest.fixture
def helene():
    return CandidatFactory(
        prenom="Hélène",
        nom="Lefèvre",
        date_naissance=NE_LE,
        email="helene.lefevre@exemple.fr",
        identifiant_france_travail="1234567A",
    )


# Signs other than names


@pytest.mark.parametrize("identifiant", ["1234567a", "1234 567A"], ids=["case", "space"])
def test_same_france_travail_identifier(helene, identifiant):
    assert doublons(identifiant_france_travail=identifiant) == [helene]


def test_same_email_in_another_case(helene):
    assert doublons(email="Helene.Lefevre@Exemple.FR") == [helene]


def test_every_reason_is_given_in_the_same_order_both_ways():
    une = identite(
        nom="Lefèvre",
        prenom="Hélène",
        date_naissance=NE_LE,
        email="helene.lefevre@exemple.fr",
        identifiant_france_travail="1234567A",
    )
    autre = identite(
        nom="LEFEVRE",
        prenom="helene",
        date_naissance=NE_LE,
        email="Helene.Lefevre@exemple.fr",
        identifiant_france_travail="1234567a",
    )

    assert motifs_de_doublon(une, autre) == [MEME_IDENTIFIANT, MEME_EMAIL, NOMS_PROCHES]
    assert motifs_de_doublon(autre, une) == [MEME_IDENTIFIANT, MEME_EMAIL, NOMS_PROCHES]


# Close names, with the same birth date


@pytest.mark.parametrize(
    ("enregistre", "saisi"),
    [
        (("Lefèvre", "Hélène"), ("LEFEVRE", "helene")),
        (("Chevallier", "Marthe"), ("CHEVALIER", "marthe")),
        (("De Oliveira", "Ana"), ("d'Oliveira", "Ana")),
        (("Oliveira", "Ana"), ("D'OLIVEIRA", "Ana")),
        (("Da Silva", "Rui"), ("Silva", "Rui")),
        (("Le Gall", "Yann"), ("Legall", "Yann")),
        (("Dubœuf", "Léa"), ("Duboeuf", "Lea")),
        (("Dupont", "Jean Marie"), ("Dupont", "Jean")),
        (("Dupont", "Jean"), ("Dupont", "Jean-Marie")),
        (("Dupont", "Jean-Marie"), ("Dupont", "JEAN MARIE")),
        (("Martin", "Isabelle"), ("Martin", "Isabele")),
    ],
    ids=[
        "case-and-accents",
        "doubled-letter",
        "de-and-d-apostrophe",
        "particle-left-out",
        "portuguese-particle",
        "space-in-the-name",
        "ligature",
        "shorter-first-name",
        "longer-first-name",
        "hyphen-or-space",
        "doubled-letter-in-the-first-name",
    ],
)
def test_close_names_with_the_same_birth_date_in_both_directions(enregistre, saisi):
    une = CandidatFactory(nom=enregistre[0], prenom=enregistre[1], date_naissance=NE_LE)
    autre = identite(nom=saisi[0], prenom=saisi[1], date_naissance=NE_LE)

    assert list(doublons_probables(Candidat.objects.all(), autre)) == [une]
    Candidat.objects.all().delete()
    deux = CandidatFactory(nom=saisi[0], prenom=saisi[1], date_naissance=NE_LE)
    assert doublons(nom=enregistre[0], prenom=enregistre[1], date_naissance=NE_LE) == [deux]


@pytest.mark.parametrize(
    "saisi",
    [
        {"nom": "Lefèvre", "prenom": "Hélène", "date_naissance": datetime.date(1991, 5, 12)},
        {"nom": "Lefèvre", "prenom": "Hélène"},
        {"nom": "Lefèvre", "prenom": "Marie-Hélène", "date_naissance": NE_LE},
        {"nom": "Lefèvre-Roux", "prenom": "Hélène", "date_naissance": NE_LE},
        {"nom": "Lefèvres", "prenom": "Hélène", "date_naissance": NE_LE},
        {"nom": "Fèvre", "prenom": "Hélène", "date_naissance": NE_LE},
        {"nom": "Lefèvre", "prenom": "Hélèna", "date_naissance": NE_LE},
        {"email": "helene@exemple.fr", "identifiant_france_travail": "1234567"},
        {},
    ],
    ids=[
        "other-birth-date",
        "no-birth-date",
        "other-first-first-name",
        "longer-last-name",
        "other-letter-in-the-last-name",
        "shorter-last-name",
        "other-letter-in-the-first-name",
        "other-email-and-identifier",
        "nothing-in-common",
    ],
)
def test_not_a_duplicate(helene, saisi):
    assert doublons(**saisi) == []


def test_le_is_part_of_the_name_not_a_particle():
    CandidatFactory(nom="Le Gall", prenom="Yann", date_naissance=NE_LE)

    assert doublons(nom="Gall", prenom="Yann", date_naissance=NE_LE) == []


def test_an_anonymised_record_is_nobodys_duplicate(helene):
    anonymiser(candidats=Candidat.objects.all())

    assert (
        doublons(
            nom="Lefèvre",
            prenom="Hélène",
            date_naissance=NE_LE,
            email="helene.lefevre@exemple.fr",
            identifiant_france_travail="1234567A",
        )
        == []
    )


def test_only_the_candidates_given_are_searched(helene):
    assert list(doublons_probables(Candidat.objects.none(), identite(email=helene.email))) == []


# The bulk check of the import


def test_a_whole_file_is_compared_in_one_query_per_two_thousand_values(
    django_assert_num_queries,
):
    CandidatFactory(nom="Chevallier", prenom="Marthe", date_naissance=NE_LE)
    identites = [
        identite(
            nom=f"Personne{numero}",
            date_naissance=NE_LE - datetime.timedelta(days=numero),
            email=f"personne{numero}@exemple.fr",
            identifiant_france_travail=f"{numero:07d}A",
        )
        for numero in range(1, 4500)
    ] + [identite(nom="CHEVALIER", prenom="marthe", date_naissance=NE_LE)]

    # Identifiers, e-mails and birth dates by batches of 2,000: 3 queries for 4,500 rows.
    with django_assert_num_queries(3):
        trouves = doublons_existants(identites, Candidat.objects.all())

    assert [len(doublons) for doublons in trouves].count(1) == 1
    ((fiche, criteres),) = trouves[-1].values()
    assert (fiche["nom"], criteres) == ("Chevallier", ["noms"])


def test_inside_a_file_each_row_names_the_first_one_it_repeats():
    identites = [
        identite(nom="Chevallier", prenom="Marthe", date_naissance=NE_LE),
        identite(email="paul.martin@exemple.fr"),
        identite(nom="CHEVALIER", prenom="marthe", date_naissance=NE_LE),
        identite(nom="Chevalier", prenom="Marthe-Rose", email="Paul.Martin@exemple.fr"),
    ]

    assert doublons_internes(identites) == [[], [], [(0, "noms")], [(1, "email")]]


# The form and the import cannot disagree

PROPRIETE = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Ways of writing one name, and names that are close but not the same.
FAMILLES_DE_NOMS = [
    ["Chevalier", "CHEVALLIER", "chevallier", "Chevalière"],
    ["d'Oliveira", "De Oliveira", "OLIVEIRA", "Da Oliveira"],
    ["Le Gall", "Legall", "LE GAL", "Gall"],
    ["Dubœuf", "DUBOEUF", "Du Bœuf"],
    ["Lefèvre", "LEFEVRE", "Lefèvre-Roux", "Lefebvre"],
]
FAMILLES_DE_PRENOMS = [
    ["Marthe", "marthe", "Marthe-Rose", "Marthé"],
    ["Jean", "Jean Marie", "JEAN-MARIE", "Marie", "Jean-Pierre"],
    ["Hélène", "Helene", "Hélèna", "HELENE-MARIE"],
]
# Letters, accents, doubled letters and the punctuation of names, never blank.
NOM_QUELCONQUE = st.text(alphabet="aAàeéÉèlLnoOœrt'- ", min_size=1, max_size=10).filter(str.strip)
# Mostly without an e-mail or an identifier, so that names decide often enough.
EMAILS = ["", "", "", "", "marthe@exemple.fr", "Marthe@EXEMPLE.fr", "jean.dupont@exemple.fr"]
IDENTIFIANTS = ["", "", "", "", "1234567A", "1234567a", "1234 567A", "7654321B"]
NAISSANCES = [None, NE_LE, datetime.date(1990, 5, 13)]


NOMS = st.sampled_from([n for famille in FAMILLES_DE_NOMS for n in famille]) | NOM_QUELCONQUE
PRENOMS = st.sampled_from([p for famille in FAMILLES_DE_PRENOMS for p in famille]) | NOM_QUELCONQUE


@st.composite
def personnes(draw, noms=NOMS, prenoms=PRENOMS):
    return identite(
        nom=draw(noms),
        prenom=draw(prenoms),
        date_naissance=draw(st.sampled_from(NAISSANCES)),
        email=draw(st.sampled_from(EMAILS)),
        identifiant_france_travail=draw(st.sampled_from(IDENTIFIANTS)),
    )


@st.composite
def paires(draw):
    """Two people, often born the same day with names written two ways: the hard cases."""
    if draw(st.booleans()):
        return draw(personnes()), draw(personnes())
    noms = st.sampled_from(draw(st.sampled_from(FAMILLES_DE_NOMS)))
    prenoms = st.sampled_from(draw(st.sampled_from(FAMILLES_DE_PRENOMS)))
    une = draw(personnes(noms, prenoms))
    autre = draw(personnes(noms, prenoms))
    return une, {**autre, "date_naissance": une["date_naissance"]}


def rangee(personne):
    """`personne` as a row of an import file."""
    naissance = personne["date_naissance"]
    return ligne(
        1,
        Nom=personne["nom"],
        Prénom=personne["prenom"],
        **{
            "Date de naissance": f"{naissance:%d/%m/%Y}" if naissance else "",
            "E-mail": personne["email"],
            "Identifiant France Travail": personne["identifiant_france_travail"],
        },
    )


def motifs_du_formulaire(existante, saisie):
    """The reasons the form lists when `saisie` is typed while `existante` is on file."""
    fiche = CandidatFactory(**existante)
    form = CandidatForm(
        data={
            **saisie,
            "date_naissance": f"{naissance:%Y-%m-%d}"
            if (naissance := saisie["date_naissance"])
            else "",
            "canal": CanalSourcing.FRANCE_TRAVAIL,
            "statut": Candidat.Statut.A_CONTACTER,
        },
        candidats=Candidat.objects.all(),
    )
    form.is_valid()
    assert [doublon for doublon, _ in form.doublons] in ([], [fiche])
    return [motif for _, motifs in form.doublons for motif in motifs]


def motifs_de_l_import(existante, importee):
    """The reasons the import preview gives when `importee` is uploaded, `existante` on file."""
    fiche = CandidatFactory(**existante)
    analyse = analyser(csv_bytes([rangee(importee)]), candidats=Candidat.objects.all())
    motifs = []
    for erreur in analyse.erreurs:
        if trouve := re.fullmatch(r"Déjà enregistré : .* a une fiche \((.*)\)\.", erreur.message):
            assert (erreur.numero, erreur.candidat_id) == (2, fiche.pk)
            motifs += trouve.group(1).split(", ")
    return motifs


def motifs_dans_le_fichier(premiere, seconde):
    """The reasons the preview gives when both people are rows of one file."""
    contenu = csv_bytes([rangee(premiere), rangee(seconde)])
    analyse = analyser(contenu, candidats=Candidat.objects.all())
    motifs = []
    for erreur in analyse.erreurs:
        if trouve := re.fullmatch(
            r"Doublon dans le fichier : (.*) que la ligne 2 \(lignes 2 et 3\)\.", erreur.message
        ):
            assert erreur.numero == 3
            motifs.append(trouve.group(1))
    return motifs


def sans_rien_garder(verdict, *personnes):
    """`verdict` on an empty table, which is left empty: each example starts afresh."""
    with transaction.atomic():
        resultat = verdict(*personnes)
        transaction.set_rollback(True)
    return resultat


@PROPRIETE
@given(paire=paires())
def test_the_form_and_the_import_give_the_same_verdict_both_ways(paire):
    une, autre = paire
    verdicts = {
        "formulaire": sans_rien_garder(motifs_du_formulaire, une, autre),
        "formulaire inversé": sans_rien_garder(motifs_du_formulaire, autre, une),
        "import": sans_rien_garder(motifs_de_l_import, une, autre),
        "import inversé": sans_rien_garder(motifs_de_l_import, autre, une),
        "fichier": sans_rien_garder(motifs_dans_le_fichier, une, autre),
        "fichier inversé": sans_rien_garder(motifs_dans_le_fichier, autre, une),
    }

    attendus = motifs_de_doublon(une, autre)
    event(", ".join(attendus) or "pas un doublon")
    assert attendus == motifs_de_doublon(autre, une)
    assert verdicts == dict.fromkeys(verdicts, attendus)
