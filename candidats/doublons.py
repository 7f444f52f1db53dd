"""The likely-duplicate rule: when a new candidate is probably someone already on file.

Two people are likely the same when they share a sign: the same France Travail
identifier, the same e-mail address (case aside), or close names with the same birth
date. Each person's signs are computed from that person alone (`signes`), so the rule
reads the same in both directions, and a file of 10,000 rows is compared by set lookups
after a few queries (`doublons_existants`), each sign read from an index: a record keeps
its sign of names in `Candidat.cle_nom_naissance`. The form's check of one candidate is
that same search over a list of one (`doublons_probables`): the two cannot disagree.

A person is a mapping of `CHAMPS`: a form's `cleaned_data`, a row of the import,
`.values()` of a record, or `identite_de(candidat)`. A missing or empty value is no sign.
"""

import itertools
import re
from collections import defaultdict

from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace, Upper

from .text import normalize_for_search

MEME_IDENTIFIANT = "même identifiant France Travail"
MEME_EMAIL = "même courriel"
NOMS_PROCHES = "noms proches et même date de naissance"

IDENTIFIANT = "identifiant_france_travail"
EMAIL = "email"
NOMS = "noms"
MOTIFS = {IDENTIFIANT: MEME_IDENTIFIANT, EMAIL: MEME_EMAIL, NOMS: NOMS_PROCHES}

CHAMPS = ("nom", "prenom", "date_naissance", "email", "identifiant_france_travail")

# Written or left out from one list to the next: "d'Oliveira", "De Oliveira", "Oliveira",
# "Da Silva" and "Silva". "Le" and "La" stay: "Le Gall" is not "Gall".
PARTICULES = frozenset({"d", "de", "du", "des", "da", "das", "do", "dos"})
MOTS = re.compile(r"[^\W_]+")
LETTRE_REDOUBLEE = re.compile(r"([^\W\d_])\1+")
# Values per IN (...) query: SQLite from 3.32 accepts 32,766 parameters, PostgreSQL more.
LOT_DE_RECHERCHE = 2000


def identifiant_majuscules():
    """The identifier as `signes` compares it, in SQL: also the expression of an index."""
    return Replace(Upper(IDENTIFIANT), Value(" "))


def email_minuscules():
    """The e-mail address as `signes` compares it, in SQL: also the expression of an index."""
    return Lower(EMAIL)


def identite_de(candidat):
    return {champ: getattr(candidat, champ) for champ in CHAMPS}


def cle_de_nom(nom, prenom):
    """What close names have in common, or None when a name has no letter.

    Accents, case, spaces, hyphens and apostrophes aside; particles before the last word
    of the last name dropped; doubled letters written once ("Chevallier" is "Chevalier",
    the commonest slip); and only the first first name, since lists write "Jean",
    "Jean Marie" or "Jean-Marie" for the same person.
    """
    mots_du_nom = MOTS.findall(normalize_for_search(nom))
    mots_du_prenom = MOTS.findall(normalize_for_search(prenom))
    if not mots_du_nom or not mots_du_prenom:
        return None
    # Joined, so that "Le Gall" and "Legall" are one name.
    nom = "".join([mot for mot in mots_du_nom[:-1] if mot not in PARTICULES] + mots_du_nom[-1:])
    return (LETTRE_REDOUBLEE.sub(r"\1", nom), LETTRE_REDOUBLEE.sub(r"\1", mots_du_prenom[0]))


def cle_nom_naissance(nom, prenom, naissance):
    """The sign of close names born the same day as one text, "1990-05-12 lefevre helene",
    or "" when there is none: what `Candidat.cle_nom_naissance` stores.

    One column rather than the date and a name key side by side: the search is then an
    IN (...) of single values, which both databases serve from one index, where an OR
    of 2,000 (date, name) pairs goes past SQLite's limit on expression depth. No space
    is left inside either part of `cle_de_nom`, so the two spaces cannot make two names
    one key. A change of `cle_de_nom` needs a data migration that computes it again.
    """
    cle = cle_de_nom(nom, prenom)
    if not naissance or not cle:
        return ""
    return " ".join([naissance.isoformat(), *cle])


def signes(identite):
    """The keys under which `identite` may meet another person: one shared key is enough.

    Case is folded with upper() and lower(), as the queries of `doublons_existants` fold
    it with `Upper` and `Lower`: a file and the database compare alike (SQLite folds
    ASCII letters only, a difference French e-mails and identifiers never reach).
    """
    keys = []
    identifiant = identite.get("identifiant_france_travail")
    if identifiant:
        # The import drops the spaces the form keeps: "1234 567A" is "1234567A".
        keys.append((IDENTIFIANT, identifiant.replace(" ", "").upper()))
    email = identite.get("email")
    if email:
        keys.append((EMAIL, email.lower()))
    cle = cle_nom_naissance(
        identite.get("nom"), identite.get("prenom"), identite.get("date_naissance")
    )
    if cle:
        keys.append((NOMS, cle))
    return keys


def motifs_de_doublon(une, autre):
    """Why `une` and `autre` are likely the same person, in words; empty if they are not."""
    communs = set(signes(autre))
    return [MOTIFS[signe[0]] for signe in signes(une) if signe in communs]


def doublons_probables(candidats, identite):
    """The records of `candidats` that are likely the same person as `identite`.

    To check a saved record, leave it out of `candidats`: it is its own duplicate.
    """
    (doublons,) = doublons_existants([identite], candidats)
    return candidats.filter(pk__in=list(doublons))


def doublons_existants(identites, candidats):
    """For each of `identites`, the records of `candidats` likely the same person.

    A list in the order of `identites`, of {pk: (record, criteria)} by pk, where a
    record is a dict of "pk" and `CHAMPS` and criteria are keys of `MOTIFS`.
    """
    signes_des_identites = [signes(identite) for identite in identites]
    cherches = defaultdict(set)
    for critere, valeur in itertools.chain.from_iterable(signes_des_identites):
        cherches[critere].add(valeur)
    fiches_par_signe = defaultdict(list)
    for fiche in _fiches_a_comparer(candidats, cherches):
        for signe in signes(fiche):
            fiches_par_signe[signe].append(fiche)
    resultats = []
    for signes_de_l_identite in signes_des_identites:
        doublons = {}
        for signe in signes_de_l_identite:
            for fiche in fiches_par_signe.get(signe, ()):
                doublons.setdefault(fiche["pk"], (fiche, []))[1].append(signe[0])
        resultats.append(dict(sorted(doublons.items())))
    return resultats


def doublons_internes(identites):
    """For each of `identites`, the earlier ones it shares a sign with: [(index, criterion)]."""
    premieres = {}
    resultats = []
    for index, identite in enumerate(identites):
        precedentes = []
        for signe in signes(identite):
            premiere = premieres.setdefault(signe, index)
            if premiere != index:
                precedentes.append((premiere, signe[0]))
        resultats.append(precedentes)
    return resultats


def _fiches_a_comparer(candidats, cherches):
    """Every record whose stored keys share one of the signs `cherches`.

    One query per lot, each of its three lists served by an index of `Candidat`
    (`identifiant_majuscules`, `email_minuscules`, the stored `cle_nom_naissance`): its
    cost grows with the file, not with the table. `signes` then computes the signs of
    the records read from their fields again: a stored key alone makes no duplicate.
    """
    candidats = candidats.order_by().annotate(
        identifiant_majuscules=identifiant_majuscules(), email_minuscules=email_minuscules()
    )
    lots = itertools.zip_longest(
        _par_lots(cherches[IDENTIFIANT]),
        _par_lots(cherches[EMAIL]),
        _par_lots(cherches[NOMS]),
        fillvalue=[],
    )
    fiches = {}
    for identifiants, emails, noms in lots:
        query = candidats.filter(
            Q(identifiant_majuscules__in=identifiants)
            | Q(email_minuscules__in=emails)
            | Q(cle_nom_naissance__in=noms)
        )
        for fiche in query.values("pk", *CHAMPS):
            fiches[fiche["pk"]] = fiche
    return fiches.values()


def _par_lots(values):
    values = sorted(values)
    for start in range(0, len(values), LOT_DE_RECHERCHE):
        yield values[start : start + LOT_DE_RECHERCHE]
