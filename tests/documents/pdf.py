"""Reading a kept PDF back, as a funder's auditor would."""

import io
from pathlib import Path

import pypdf
import pypdfium2

from documents.services import lire

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def texte(document):
    """(text of every page joined, number of pages)."""
    lecteur = pypdf.PdfReader(io.BytesIO(lire(document)))
    return "\n".join(page.extract_text() for page in lecteur.pages), len(lecteur.pages)


def en_png(document, nom):
    """Each page as a PNG under test-artifacts/documents/; the paths."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pypdfium2.PdfDocument(lire(document))
    chemins = []
    for numero, page in enumerate(pdf, start=1):
        chemin = ARTEFACTS / f"{nom}-page-{numero}.png"
        page.render(scale=1.5).to_pil().save(chemin)
        chemins.append(chemin)
    pdf.close()
    return chemins
