"""HTML templates to PDF with WeasyPrint, offline.

The only resources a document may load are the fonts shipped in `documents/fonts/` and
the project's own static files: any other address (a network URL, a file elsewhere on
the server) stops the rendering, so that no template, nor any text typed by a user,
makes the server fetch anything.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

POLICES = Path(__file__).resolve().parent / "fonts"
TYPES_DE_CONTENU = {".ttf": "font/ttf", ".css": "text/css", ".png": "image/png"}


class AdresseRefusee(FatalURLFetchingError):
    """A document asked for a resource outside the shipped fonts and static files."""


def dossiers_autorises():
    return [POLICES, *(Path(dossier).resolve() for dossier in settings.STATICFILES_DIRS)]


class RecuperateurLocal(URLFetcher):
    """Serves `file:` URLs inside the allowed folders; refuses everything else."""

    def fetch(self, url, headers=None):
        adresse = urlsplit(url)
        if adresse.scheme != "file" or adresse.netloc not in ("", "localhost"):
            raise AdresseRefusee(f"Adresse refusée dans un document : {url}")
        chemin = Path(unquote(adresse.path)).resolve()
        if not any(chemin.is_relative_to(dossier) for dossier in dossiers_autorises()):
            raise AdresseRefusee(f"Fichier refusé dans un document : {url}")
        if not chemin.is_file() or chemin.suffix not in TYPES_DE_CONTENU:
            raise AdresseRefusee(f"Fichier introuvable pour un document : {url}")
        return URLFetcherResponse(
            chemin.as_uri(),
            chemin.read_bytes(),
            headers={"Content-Type": TYPES_DE_CONTENU[chemin.suffix]},
        )


def pdf_depuis_html(html):
    """The PDF bytes of `html`, its relative URLs read from the shipped fonts."""
    document = HTML(
        string=html,
        base_url=POLICES.as_uri() + "/",
        url_fetcher=RecuperateurLocal(),
    )
    return document.write_pdf()


def rendre_pdf(gabarit, contexte):
    """Render `templates/documents/pdf/<gabarit>` in French and return the PDF bytes."""
    with translation.override("fr"):
        html = render_to_string(f"documents/pdf/{gabarit}", contexte)
    return pdf_depuis_html(html)
