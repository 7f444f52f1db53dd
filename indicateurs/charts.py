"""Server-side SVG charts: every length and position is computed here.

The template writes them as SVG attributes (the CSP forbids `style=`), so the charts
need no JavaScript and print as they are shown. Coordinates are whole numbers in the
viewBox: the template never localises a decimal comma into an attribute.
"""

from dataclasses import dataclass

from .stats import pourcentage

LARGEUR = 640
HAUTEUR_BARRE = 18
# A row: its label on one line, the bar under it, then a gap.
HAUTEUR_LIGNE = 48
DECALAGE_BARRE = 8
# Room left on the right of a full bar for its value.
LARGEUR_BARRE_MAX = 560
MARGE_BAS = 24


@dataclass(frozen=True)
class Barre:
    libelle: str
    valeur: str
    x: int
    y: int
    largeur: int
    y_libelle: int
    x_valeur: int
    y_valeur: int


@dataclass(frozen=True)
class Graduation:
    x: int
    libelle: str


@dataclass(frozen=True)
class Graphique:
    description: str
    hauteur: int
    barres: list
    graduations: list
    largeur: int = LARGEUR
    hauteur_barre: int = HAUTEUR_BARRE


def _position(index):
    """Vertical position of the label baseline and of the bar of the row `index`."""
    y_libelle = index * HAUTEUR_LIGNE + 16
    return y_libelle, y_libelle + DECALAGE_BARRE


def barres_de_taux(lignes, attribut, titre):
    """A horizontal bar per row, its length the rate `attribut` of the row (0 to 100 %)."""
    barres = []
    for index, ligne in enumerate(lignes):
        valeur = getattr(ligne, attribut)
        largeur = round(valeur * LARGEUR_BARRE_MAX / 100) if valeur is not None else 0
        y_libelle, y = _position(index)
        barres.append(
            Barre(
                libelle=ligne.libelle,
                valeur=pourcentage(valeur),
                x=0,
                y=y,
                largeur=largeur,
                y_libelle=y_libelle,
                x_valeur=largeur + 6,
                y_valeur=y + HAUTEUR_BARRE - 4,
            )
        )
    hauteur_des_barres = len(lignes) * HAUTEUR_LIGNE
    graduations = [
        Graduation(x=round(part * LARGEUR_BARRE_MAX / 100), libelle=f"{part} %")
        for part in (0, 50, 100)
    ]
    description = f"{titre} : " + ", ".join(f"{barre.libelle} {barre.valeur}" for barre in barres)
    return Graphique(
        description=description,
        hauteur=hauteur_des_barres + MARGE_BAS,
        barres=barres,
        graduations=graduations,
    )


def graphique_entonnoir(entonnoir, titre):
    """The funnel: one centred bar per step, its length the share of the sourced candidates."""
    sources = entonnoir.etapes[0].nombre
    barres = []
    for index, etape in enumerate(entonnoir.etapes):
        largeur = round(etape.nombre * LARGEUR / sources) if sources else 0
        y_libelle, y = _position(index)
        valeur = str(etape.nombre)
        if etape.taux_depuis_precedente is not None:
            valeur += f" ({pourcentage(etape.taux_depuis_precedente)} de l'étape précédente)"
        barres.append(
            Barre(
                libelle=etape.libelle,
                valeur=valeur,
                x=(LARGEUR - largeur) // 2,
                y=y,
                largeur=largeur,
                y_libelle=y_libelle,
                x_valeur=LARGEUR // 2,
                y_valeur=y_libelle,
            )
        )
    description = f"{titre} : " + ", ".join(f"{barre.libelle} {barre.valeur}" for barre in barres)
    return Graphique(
        description=description,
        hauteur=len(barres) * HAUTEUR_LIGNE,
        barres=barres,
        graduations=[],
    )
