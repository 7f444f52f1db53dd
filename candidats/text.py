import re
import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
# The pieces of a name that each take a capital: "jean-marie" is "Jean-Marie", "d'oliveira"
# is "D'Oliveira".
SEPARATEURS_DE_NOM = re.compile(r"([ '-])")
# "d'" or "l'" before a word: "d'oliveira" searches "oliveira", found as "De Oliveira" too.
ELISION = re.compile(r"^[a-z]'")
RECHERCHE_MINIMUM = 2


def normalize_for_search(text):
    """Lower-case text without accents, so that "Hélène" and "helene" match on every database."""
    # Ligatures have no Unicode decomposition: "Dubœuf" must match "duboeuf".
    text = (text or "").translate(LIGATURES).translate(APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def mots_de_recherche(terms):
    """The words a search looks for, each to be found somewhere in the search column."""
    mots = []
    for mot in normalize_for_search(terms).split():
        mot = ELISION.sub("", mot).strip("'-")
        if mot:
            mots.append(mot)
    return mots


def normaliser_nom(text):
    """A name as it is written on an identity card: "marthe" is "Marthe", "CHEVALIER" is
    "Chevalier", "DE OLIVEIRA" is "De Oliveira".

    A piece written in mixed case ("McBride", "LeBlanc") was typed with care: it is kept.
    """
    text = " ".join((text or "").translate(APOSTROPHES).split())
    text = re.sub(r" ?- ?", "-", text)
    return "".join(
        piece[0].upper() + piece[1:].lower() if piece.islower() or piece.isupper() else piece
        for piece in SEPARATEURS_DE_NOM.split(text)
        if piece
    )


SEPARATEURS_DE_TELEPHONE = re.compile(r"[\s.\-/()\u00a0\u202f]+")
TELEPHONE_FRANCAIS = re.compile(r"^0[1-9]\d{8}$")
TELEPHONE_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")


def normaliser_telephone(text):
    """The stored form of a phone number, or None when `text` is not one.

    A French number is kept as its 10 digits ("0612345678"), however it was written
    (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033 (0)6…); another country's
    as + and its digits.
    """
    text = (text or "").strip()
    if not text:
        return ""
    # "+33 (0)6 12…": the zero in brackets is the one dialled from France only.
    text = re.sub(r"^(\+|00)33\s*\(0\)", "+33", text)
    chiffres = SEPARATEURS_DE_TELEPHONE.sub("", text)
    if chiffres.startswith("00"):
        chiffres = "+" + chiffres[2:]
    if chiffres.startswith("+33"):
        chiffres = "0" + chiffres[3:]
    if TELEPHONE_FRANCAIS.match(chiffres) or TELEPHONE_INTERNATIONAL.match(chiffres):
        return chiffres
    return None


def afficher_telephone(telephone):
    """A French number grouped by pairs, "06 12 34 56 78"; anything else as stored."""
    if telephone and TELEPHONE_FRANCAIS.match(telephone):
        return " ".join(telephone[index : index + 2] for index in range(0, 10, 2))
    return telephone or ""
