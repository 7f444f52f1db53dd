"""The likely-duplicate rule, and the form and the import that both apply it."""

import datetime
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from candidats.doublons import (
    MEME_EMAIL,
    MEME_IDENTIFIANT,
    NOMS_PROCHES,
    cle_nom_naissance,
    doublons_existants,
    doublons_internes,
    doublons_probables,
    motifs_de_doublon,
    signes,
)
from candidats.doublons import NOMS as CRITERE_DES_NOMS
from candidats.forms import CandidatForm
from candidats.models import CanalSourcing, Candidat
from candidats.retention import anonymiser
from echanges.imports import analyser
from echanges.services import importer_candidats
from tests.candidats.test_forms import CREER, donnees, donnees_de
from tests.candidats.test_normalisation import admin_data
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

    # The stored sign is a copy of the name: it goes with it.
    assert Candidat.objects.get().cle_nom_naissance == ""

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


# The stored sign of names, which the search reads


def test_the_sign_of_names_is_the_birth_date_and_the_name_key_as_one_text():
    assert cle_nom_naissance("Le Gall", "Yann-Érwan", NE_LE) == "1990-05-12 legal yan"
    assert cle_nom_naissance("d'Oliveira", "Ana", NE_LE) == "1990-05-12 oliveira ana"
    assert cle_nom_naissance("Le Gall", "Yann", None) == ""
    assert cle_nom_naissance("-", "Yann", NE_LE) == ""


def test_a_file_created_with_the_form_is_found_by_its_names(client_staff):
    client_staff.post(CREER, donnees(nom="CHEVALLIER", prenom="marthe"))

    assert doublons(nom="Chevalier", prenom="Marthe-Rose", date_naissance=NE_LE) == [
        Candidat.objects.get()
    ]


def test_a_file_edited_with_the_form_is_found_by_its_new_names_only(client_staff, helene):
    lendemain = NE_LE + datetime.timedelta(days=1)
    client_staff.post(
        reverse("candidats:modifier", args=[helene.pk]),
        donnees_de(helene, nom="Lefèvre-Roux", date_naissance=f"{lendemain:%Y-%m-%d}"),
    )

    assert doublons(nom="Lefèvre", prenom="Hélène", date_naissance=NE_LE) == []
    assert doublons(nom="LEFEVRE ROUX", prenom="Hélène", date_naissance=lendemain) == [helene]


def test_a_file_created_in_the_admin_is_found_by_its_names(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("admin:candidats_candidat_add"), admin_data(date_naissance="12/05/1990"))

    assert doublons(nom="Chevallier", prenom="Marthe", date_naissance=NE_LE) == [
        Candidat.objects.get()
    ]


def test_an_imported_file_is_found_by_its_names(staff_user):
    rangees = [
        ligne(1, Nom="DE OLIVEIRA", Prénom="ana", **{"Date de naissance": ""}),
        ligne(2, Nom="d'Oliveira", Prénom="Ana"),
    ]
    analyse = analyser(csv_bytes(rangees), candidats=Candidat.objects.all())

    sans_date, importee = importer_candidats(candidats=analyse.candidats, auteur=staff_user)

    assert doublons(nom="Oliveira", prenom="ANA", date_naissance=datetime.date(1998, 3, 14)) == [
        importee
    ]
    assert sans_date.cle_nom_naissance == ""


def test_the_migration_writes_the_sign_of_the_files_already_on_record(helene):
    migration = importlib.import_module("candidats.migrations.0015_cle_nom_naissance")
    Candidat.objects.update(cle_nom_naissance="")

    migration.calculer_les_cles(django_apps, None)

    assert doublons(nom="LEFEVRE", prenom="helene", date_naissance=NE_LE) == [helene]


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


# Any letter a name may hold, for the stored key: ligatures, ß, capitals with accents.
NOM_ACCENTUE = st.text(alphabet="aAàÀeÉèêÊçÇœŒæßiïlLnoOrt'’- ", min_size=1, max_size=12).filter(
    str.strip
)


@PROPRIETE
@given(
    paire=paires(),
    noms=st.lists(NOM_ACCENTUE, min_size=2, max_size=2),
    autres_noms=st.booleans(),
)
def test_the_stored_sign_finds_the_records_the_rule_names(paire, noms, autres_noms):
    """What the index compares, a record's stored key with a person's sign, is the rule:
    on every write path, through `save` or the import's bulk insert."""
    une, autre = paire
    if autres_noms:
        une = {**une, "nom": noms[0], "prenom": noms[1]}

    def trouves():
        saisie = CandidatFactory(**une)
        (importee,) = importer_candidats(candidats=[Candidat(**une)], auteur=None)
        cherches = [valeur for critere, valeur in signes(autre) if critere == CRITERE_DES_NOMS]
        lues = Candidat.objects.filter(cle_nom_naissance__in=cherches)
        return sorted(lues.values_list("pk", flat=True)) == [saisie.pk, importee.pk]

    attendu = NOMS_PROCHES in motifs_de_doublon(une, autre)
    event("noms proches" if attendu else "noms éloignés")
    assert sans_rien_garder(trouves) == attendu
