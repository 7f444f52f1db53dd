"""The programme's indicators, every figure counted by the database.

Entries are enrollments whose entry date falls in the period; exits are outcomes
whose exit date falls in it. One grouped query counts the entries per cohort and year,
one counts the exits per cohort and year; every breakdown (school, job family, cohort,
year) and the headline figures add up those aggregated groups by key.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.http import urlencode

from candidats.models import CanalSourcing, Candidat
from ecoles.models import Ecole, Filiere
from parcours.models import Categorie, Inscription, Sortie

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

    def inscriptions(self, user):
        return Inscription.objects.visibles_par(user).filter(
            self._filtre("cohorte__parcours__ecole", "cohorte__parcours__filiere"),
            date_entree__range=(self.debut, self.fin),
        )

    def sorties(self, user):
        return Sortie.objects.visibles_par(user).filter(
            self._filtre(
                "inscription__cohorte__parcours__ecole", "inscription__cohorte__parcours__filiere"
            ),
            date_sortie__range=(self.debut, self.fin),
        )

    def candidats(self, user):
        """Candidates added during the period, for the chosen school and job family.

        A candidate belongs to a school when it is the one they aim for or when they
        enrolled in one of its cohorts.
        """
        debut = timezone.make_aware(datetime.datetime.combine(self.debut, datetime.time.min))
        fin = timezone.make_aware(datetime.datetime.combine(self.fin, datetime.time.max))
        candidats = Candidat.objects.visibles_par(user).filter(cree_le__range=(debut, fin))
        if self.ecole or self.filiere:
            inscrits = Inscription.objects.filter(
                self._filtre("cohorte__parcours__ecole", "cohorte__parcours__filiere")
            )
            candidats = candidats.filter(
                self._filtre("ecole_visee", "ecole_visee__filiere")
                | Q(pk__in=inscrits.values("candidat"))
            )
        return candidats

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


def groupes(periode, user):
    """Entries, then exits, counted by the database per cohort and year: two grouped queries.

    Each result row is one group (a cohort in a year, at most a few per cohort), never one
    enrollment or one exit.
    """
    entrees = (
        periode.inscriptions(user)
        .values(
            **{nom: F(chemin) for nom, chemin in CLES_DES_GROUPES.items()},
            annee=ExtractYear("date_entree"),
        )
        .annotate(entrees=Count("pk"))
        .order_by()
    )
    sorties = (
        periode.sorties(user)
        .values(
            **{nom: F(f"inscription__{chemin}") for nom, chemin in CLES_DES_GROUPES.items()},
            annee=ExtractYear("date_sortie"),
        )
        .annotate(**COMPTES_DES_SORTIES)
        .order_by()
    )
    return [*entrees, *sorties]


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

# A candidate enrolled in two cohorts appears twice in the joined rows: count them once.
COMPTES_DE_L_ENTONNOIR = {
    "sources": Count("pk", distinct=True),
    "preselectionnes": Count(
        "pk",
        distinct=True,
        filter=Q(statut__in=[Candidat.Statut.PRESELECTIONNE, Candidat.Statut.RETENU])
        | Q(inscriptions__isnull=False),
    ),
    "inscrits": Count("pk", distinct=True, filter=Q(inscriptions__isnull=False)),
    "sortis": Count("pk", distinct=True, filter=Q(inscriptions__sortie__isnull=False)),
    "emploi_durable": Count(
        "pk", distinct=True, filter=Q(inscriptions__sortie__categorie=Categorie.EMPLOI_DURABLE)
    ),
}


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
    so the overall counts are the sums of the channels'."""
    par_canal = list(
        periode.candidats(user).values("canal").annotate(**COMPTES_DE_L_ENTONNOIR).order_by()
    )
    comptes = {nom: sum(ligne[nom] for ligne in par_canal) for nom in COMPTES_DE_L_ENTONNOIR}
    par_canal = [_entonnoir(CanalSourcing(ligne["canal"]).label, ligne) for ligne in par_canal]
    return (
        _entonnoir("Tous canaux", comptes),
        sorted(par_canal, key=lambda entonnoir: entonnoir.libelle),
    )
