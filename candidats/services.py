"""Rules about candidates that read several records at once."""

import functools
import operator

from django.db.models import Q

from .text import normalize_for_search

MEME_IDENTIFIANT = "même identifiant France Travail"
MEME_EMAIL = "même adresse e-mail"
MEME_IDENTITE = "mêmes nom, prénom et date de naissance"


def prefixe_nom_prenom(candidat):
    """The start of `Candidat.recherche` for this last and first name.

    `recherche` begins with the normalized "nom prenom ", so comparing prefixes compares
    names with accents and case aside, in SQL, on SQLite and PostgreSQL alike.
    """
    return normalize_for_search(f"{candidat.nom} {candidat.prenom} ")


def doublons_probables(candidats, candidat):
    """The records of `candidats` that are likely the same person as `candidat`.

    `candidat` may be unsaved (a form's data) or saved, in which case it is not its own
    duplicate. Likely means: same France Travail identifier, same e-mail (case aside), or
    same last name, first name (accents and case aside) and birth date.
    """
    signes = []
    if candidat.identifiant_france_travail:
        signes.append(Q(identifiant_france_travail__iexact=candidat.identifiant_france_travail))
    if candidat.email:
        signes.append(Q(email__iexact=candidat.email))
    if candidat.nom and candidat.prenom and candidat.date_naissance:
        signes.append(
            Q(
                date_naissance=candidat.date_naissance,
                recherche__startswith=prefixe_nom_prenom(candidat),
            )
        )
    if not signes:
        return candidats.none()
    doublons = candidats.filter(functools.reduce(operator.or_, signes))
    if candidat.pk is not None:
        doublons = doublons.exclude(pk=candidat.pk)
    return doublons


def motifs_de_doublon(existant, candidat):
    """Why `existant` was found by `doublons_probables(..., candidat)`, in words."""
    motifs = []
    identifiant = candidat.identifiant_france_travail
    if identifiant and existant.identifiant_france_travail.casefold() == identifiant.casefold():
        motifs.append(MEME_IDENTIFIANT)
    if candidat.email and existant.email.casefold() == candidat.email.casefold():
        motifs.append(MEME_EMAIL)
    if (
        candidat.date_naissance
        and existant.date_naissance == candidat.date_naissance
        and existant.recherche.startswith(prefixe_nom_prenom(candidat))
    ):
        motifs.append(MEME_IDENTITE)
    return motifs
