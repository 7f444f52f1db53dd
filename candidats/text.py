import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def normalize_for_search(text):
    """Lower-case text without accents, so that "Hélène" and "helene" match on every database."""
    # Ligatures have no Unicode decomposition: "Dubœuf" must match "duboeuf".
    text = (text or "").translate(LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
