"""French grammar for text built around a value: elision before a vowel, plural agreement.

Python code (messages, the admin's page titles) and templates (through the `francais`
template library) write the same French with these functions.
"""

import unicodedata

VOYELLES = "aeiouh"


def _lettres(texte):
    return unicodedata.normalize("NFD", texte.lstrip()[:2]).encode("ascii", "ignore").lower()


def commence_par_une_voyelle(texte):
    """True before a vowel or an h, accents ignored ("École", "Hénin", "Anaïs"); a y only
    when it sounds as a vowel, before a consonant ("Yves", but "Yanis").

    Every h is taken as mute: the portal's names ("Hénin-Beaumont", "Hugo") rarely
    carry an aspirated h, and a list of exceptions would be wrong more often than not.
    """
    lettres = _lettres(texte).decode()
    if not lettres:
        return False
    if lettres[0] == "y":
        return len(lettres) > 1 and lettres[1] not in VOYELLES + "y"
    return lettres[0] in VOYELLES


def de(texte):
    """ "de Béthune", "d'Ampere", "d'octobre 2025"; a school's name, which begins with
    the common noun "École", takes its article: "de l'École de la Maintenance"."""
    texte = str(texte).strip()
    if not texte:
        return ""
    premier_mot = texte.split(maxsplit=1)[0]
    if premier_mot in ("École", "Ecole"):
        return f"de l'{texte}"
    if commence_par_une_voyelle(texte):
        return f"d'{texte}"
    return f"de {texte}"


def pluriel(nombre, marque="s"):
    """The plural mark where 0 and 1 are singular in French (Django's `pluralize` writes
    "0 places")."""
    return marque if abs(nombre) >= 2 else ""


def quantite(nombre, singulier, pluriel_, aucun=""):
    """ "aucune place libre", "1 place libre", "12 places libres"."""
    if nombre == 0 and aucun:
        return aucun
    return f"{nombre} {singulier if abs(nombre) < 2 else pluriel_}"


# The gender of a model's name is not in its verbose_name: the first word of each name the
# admin shows, one set per gender, so that a new model whose gender nobody chose fails a test.
NOMS_FEMININS = frozenset(
    {
        "affectation",
        "appartenance",
        "application",
        "cohorte",
        "connexion",
        "consultation",
        "demi-journée",
        "école",
        "enquête",
        "entreprise",
        "évaluation",
        "immersion",
        "inscription",
        "organisation",
        "permission",
        "phase",
        "présence",
        "semaine",
        "session",
        "situation",
        "sortie",
        "tentative",
        "version",
    }
)
NOMS_MASCULINS = frozenset(
    {
        "besoin",
        "calendrier",
        "candidat",
        "contact",
        "dispositif",
        "document",
        "échec",
        "événement",
        "groupe",
        "jeu",
        "lien",
        "message",
        "parcours",
        "résultat",
        "stage",
        "suivi",
        "téléchargement",
        "utilisateur",
    }
)


def _premier_mot(nom):
    return str(nom).strip().split(maxsplit=1)[0].lower() if str(nom).strip() else ""


def est_feminin(nom):
    return _premier_mot(nom) in NOMS_FEMININS


def un(nom):
    """ "une école", "un candidat": the indefinite article, masculine unless the name's
    first word is a feminine noun."""
    nom = str(nom).strip()
    return f"une {nom}" if est_feminin(nom) else f"un {nom}"


def du(nom):
    """ "de l'école", "de la cohorte", "du candidat": "de" with the definite article."""
    nom = str(nom).strip()
    if commence_par_une_voyelle(nom):
        return f"de l'{nom}"
    return f"de la {nom}" if est_feminin(nom) else f"du {nom}"
