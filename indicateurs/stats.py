"""The programme's indicators, summed from the summary tables of `models.py`.

Entries are enrollments whose entry date falls in the period; exits are outcomes
whose exit date falls in it. One grouped query sums the day rows of each cohort per
year; every breakdown (school, job family, cohort, year) and the headline figures add up
those groups by key. The funnel sums the day rows of the candidates added in the period.
`agregats` keeps the rows true to the facts.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.db.models.query import EmptyQuerySet
from django.template.defaultfilters import floatformat
from django.utils.http import urlencode

from candidats.models import CanalSourcing, Candidat
from ecoles.models import Ecole, Filiere, ecoles_visibles_filter
from parcours.models import Categorie, Sortie

from .models import AgregatCandidatsJour, AgregatCohorteJour

COMPTES_DES_SORTIES = {
    "sorties": Count("pk"),
    "abandons": Count("pk", filter=Q(motif=Sortie.Motif.ABANDON)),
    "emploi_durable": Count("pk", filter=Q(categorie=Categorie.EMPLOI_DURABLE)),
    "emploi_transition": Count("pk", filter=Q(categorie=Categorie.EMPLOI_TRANSITION)),
    "sortie_positive": Count("pk", filter=Q(categorie=Categorie.SORTIE_POSITIVE)),
}


def taux(numerateur, denominateur):
    """`numerateur` as a percentage of `denominateur`, or None when there is nothing to divide."""
    if not denominateur:
        return None
    return Decimal(numerateur * 100) / Decimal(denominateur)


def pourcentage(valeur):
    """A percentage as French readers write it ("87,5 %"), or a dash when there is none."""
    if valeur is None:
        return "—"
    arrondi = valeur.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{floatformat(arrondi, -1)} %"


@dataclass
class Periode:
    """The filters of the indicators page: dates (both included), school and job family."""

    debut: datetime.date
    fin: datetime.date
    ecole: Ecole | None = None
    filiere: str = ""

    @property
    def libelle_filiere(self):
        return Filiere(self.filiere).label if self.filiere else ""

    def en_parametres(self):
        """Every filter as a query string, for the links that must select the same rows (the
        exports): the names are those of the page's form."""
        parametres = {"debut": self.debut.isoformat(), "fin": self.fin.isoformat()}
        if self.ecole:
            parametres["ecole"] = self.ecole.pk
        if self.filiere:
            parametres["filiere"] = self.filiere
        return urlencode(parametres)

    def agregats(self, user):
        """The day rows of the cohorts of the chosen school and job family in the period."""
        return AgregatCohorteJour.objects.filter(
            ecoles_visibles_filter(user, "cohorte__parcours__ecole__"),
            self._filtre("cohorte__parcours__ecole", "cohorte__parcours__filiere"),
            jour__range=(self.debut, self.fin),
        )

    def sorties(self, user):
        return Sortie.objects.visibles_par(user).filter(
            self._filtre(
                "inscription__cohorte__parcours__ecole", "inscription__cohorte__parcours__filiere"
            ),
            date_sortie__range=(self.debut, self.fin),
        )

    def _filtre(self, chemin_ecole, chemin_filiere):
        filtre = Q()
        if self.ecole:
            filtre &= Q(**{chemin_ecole: self.ecole})
        if self.filiere:
            filtre &= Q(**{chemin_filiere: self.filiere})
        return filtre


@dataclass
class Ligne:
    """Entries, exits and outcomes of one group (a school, a year…) or of the whole period."""

    libelle: str = ""
    precision: str = ""
    entrees: int = 0
    sorties: int = 0
    abandons: int = 0
    emploi_durable: int = 0
    emploi_transition: int = 0
    sortie_positive: int = 0

    @property
    def taux_insertion(self):
        return taux(self.emploi_durable, self.sorties)

    @property
    def taux_sorties_dynamiques(self):
        dynamiques = self.emploi_durable + self.emploi_transition + self.sortie_positive
        return taux(dynamiques, self.sorties)

    @property
    def cellules(self):
        """The row's figures as the tables show them, formatted here in one go rather than
        cell by cell in the template (a count needs no localising: no thousands separator)."""
        return (
            *(str(getattr(self, nom)) for nom in COMPTES_DES_LIGNES),
            pourcentage(self.taux_insertion),
            pourcentage(self.taux_sorties_dynamiques),
        )


def total(lignes):
    """The sum of a breakdown's rows: each entry and exit falls in exactly one group, so
    the headline figures need no query of their own."""
    somme = Ligne()
    for ligne in lignes:
        for nom in COMPTES_DES_LIGNES:
            setattr(somme, nom, getattr(somme, nom) + getattr(ligne, nom))
    return somme


COMPTES_DES_LIGNES = ["entrees", *COMPTES_DES_SORTIES]


# What identifies an entry's or an exit's group: its cohort (and so its school and job
# family, a cohort belonging to one track) and the year it happened.
CLES_DES_GROUPES = {
    "cohorte_pk": "cohorte",
    "cohorte_nom": "cohorte__nom",
    "date_debut": "cohorte__date_debut",
    "ecole_pk": "cohorte__parcours__ecole",
    "ecole_nom": "cohorte__parcours__ecole__nom",
    "ville": "cohorte__parcours__ecole__ville",
    "filiere": "cohorte__parcours__filiere",
}


@dataclass(frozen=True)
class Axe:
    """A breakdown: the group keys that make one of its rows, and how to show and sort a row."""

    champs: tuple
    libelle: Callable
    tri: Callable
    precision: Callable = lambda cle: ""


AXES = {
    "ecole": Axe(
        champs=("ecole_pk", "ecole_nom", "ville"),
        libelle=lambda cle: f"{cle['ecole_nom']} — {cle['ville']}",
        tri=lambda cle: (cle["ville"], cle["ecole_nom"], cle["ecole_pk"]),
    ),
    "filiere": Axe(
        champs=("filiere",),
        libelle=lambda cle: Filiere(cle["filiere"]).label,
        tri=lambda cle: Filiere(cle["filiere"]).label,
    ),
    "cohorte": Axe(
        champs=("cohorte_pk", "cohorte_nom", "date_debut", "ville"),
        libelle=lambda cle: cle["cohorte_nom"],
        tri=lambda cle: (cle["date_debut"], cle["cohorte_nom"], cle["cohorte_pk"]),
        precision=lambda cle: f"{cle['ville']}, début le {cle['date_debut']:%d/%m/%Y}",
    ),
    # An entry counts in the year it happened, an exit in the year it happened.
    "annee": Axe(
        champs=("annee",),
        libelle=lambda cle: str(cle["annee"]),
        tri=lambda cle: cle["annee"],
    ),
}


# A sum may not bear the name of the column it adds up.
PREFIXE_DES_SOMMES = "somme_"


def sommes(colonnes):
    return {f"{PREFIXE_DES_SOMMES}{colonne}": Sum(colonne) for colonne in colonnes}


def sans_prefixe(resultat):
    return {nom.removeprefix(PREFIXE_DES_SOMMES): valeur for nom, valeur in resultat.items()}


def groupes(periode, user):
    """Entries and exits summed by the database per cohort and year: one grouped query.

    Each result row is one group (a cohort in a year, at most a few per cohort), read from
    the few day rows of each cohort, never from the enrollments or the exits.
    """
    resultats = (
        periode.agregats(user)
        .values(
            **{nom: F(chemin) for nom, chemin in CLES_DES_GROUPES.items()},
            annee=ExtractYear("jour"),
        )
        .annotate(**sommes(COMPTES_DES_LIGNES))
        .order_by()
    )
    return [sans_prefixe(groupe) for groupe in resultats]


def _cumuler(resultats, axe):
    """The rows of the breakdown `axe`, in display order: the groups' counts added up by key.

    A cohort belongs to one school and one job family, and each group to one year, so each
    entry and exit counts in exactly one row of every breakdown.
    """
    identifiant_de = itemgetter(*axe.champs)
    cles, sommes = {}, {}
    for resultat in resultats:
        identifiant = identifiant_de(resultat)
        somme = sommes.get(identifiant)
        if somme is None:
            cles[identifiant] = resultat
            somme = sommes[identifiant] = dict.fromkeys(COMPTES_DES_LIGNES, 0)
        for nom in somme.keys() & resultat.keys():
            somme[nom] += resultat[nom]
    lignes = []
    for identifiant, somme in sommes.items():
        cle = {nom: cles[identifiant][nom] for nom in axe.champs}
        lignes.append(
            (axe.tri(cle), Ligne(libelle=axe.libelle(cle), precision=axe.precision(cle), **somme))
        )
    lignes.sort(key=itemgetter(0))
    return [ligne for _, ligne in lignes]


def repartitions(periode, user):
    """Every breakdown (by school, job family, cohort and year) from the same two queries."""
    resultats = groupes(periode, user)
    return {nom: _cumuler(resultats, axe) for nom, axe in AXES.items()}


@dataclass
class Etape:
    libelle: str
    nombre: int
    taux_depuis_precedente: Decimal | None = None
    taux_depuis_sourcing: Decimal | None = None


ETAPES_DE_L_ENTONNOIR = [
    ("sources", "Candidats sourcés"),
    ("preselectionnes", "Présélectionnés"),
    ("inscrits", "Inscrits en cohorte"),
    ("sortis", "Sortis de formation"),
    ("emploi_durable", "En emploi durable"),
]

# Pre-selected or kept, or already enrolled whatever their status.
STATUTS_PRESELECTIONNES = [Candidat.Statut.PRESELECTIONNE, Candidat.Statut.RETENU]


@dataclass
class Entonnoir:
    libelle: str
    etapes: list


def _entonnoir(libelle, comptes):
    etapes = []
    for nom, libelle_etape in ETAPES_DE_L_ENTONNOIR:
        nombre = comptes[nom]
        etape = Etape(libelle=libelle_etape, nombre=nombre)
        if etapes:
            etape.taux_depuis_precedente = taux(nombre, etapes[-1].nombre)
            etape.taux_depuis_sourcing = taux(nombre, etapes[0].nombre)
        etapes.append(etape)
    return Entonnoir(libelle=libelle, etapes=etapes)


def entonnoirs(periode, user):
    """The funnel overall and by channel in one grouped query: a candidate has one channel,
    so the overall counts are the sums of the channels'.

    The day rows of the chosen school and job family (or of none) count each candidate
    once, however many of their cohorts match.
    """
    par_canal = []
    if not isinstance(Candidat.objects.visibles_par(user), EmptyQuerySet):
        par_canal = list(
            AgregatCandidatsJour.objects.filter(
                jour__range=(periode.debut, periode.fin),
                ecole=periode.ecole,
                filiere=periode.filiere,
            )
            .values("canal")
            .annotate(**sommes(nom for nom, _ in ETAPES_DE_L_ENTONNOIR))
            .order_by()
        )
        par_canal = [sans_prefixe(ligne) for ligne in par_canal]
    comptes = {nom: sum(ligne[nom] for ligne in par_canal) for nom, _ in ETAPES_DE_L_ENTONNOIR}
    par_canal = [_entonnoir(CanalSourcing(ligne["canal"]).label, ligne) for ligne in par_canal]
    return (
        _entonnoir("Tous canaux", comptes),
        sorted(par_canal, key=lambda entonnoir: entonnoir.libelle),
    )
