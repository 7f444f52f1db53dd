"""The programme's indicators, every figure counted by the database.

Entries are enrollments whose entry date falls in the period; exits are outcomes
whose exit date falls in it. Each breakdown runs one grouped query on the
enrollments and one on the exits, then merges their few result rows by key.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.template.defaultfilters import floatformat
from django.utils import timezone

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


def chiffres_cles(periode, user):
    """The headline figures of the period: one aggregate on the entries, one on the exits."""
    entrees = periode.inscriptions(user).aggregate(entrees=Count("pk"))
    sorties = periode.sorties(user).aggregate(**COMPTES_DES_SORTIES)
    return Ligne(**entrees, **sorties)


def total(lignes):
    """The sum of a breakdown's rows: each entry and exit falls in exactly one group, so
    the headline figures need no query of their own."""
    somme = Ligne()
    for ligne in lignes:
        for nom in COMPTES_DES_LIGNES:
            setattr(somme, nom, getattr(somme, nom) + getattr(ligne, nom))
    return somme


COMPTES_DES_LIGNES = ["entrees", *COMPTES_DES_SORTIES]


@dataclass(frozen=True)
class Axe:
    """A breakdown: its group key seen from an enrollment and from an exit, and how to show it."""

    cles_inscription: dict
    cles_sortie: dict
    libelle: Callable
    tri: Callable
    precision: Callable = lambda cle: ""

    @classmethod
    def par_chemins(cls, chemins, **affichage):
        """An axis whose key fields are reached from the enrollment (and so from its exit)."""
        return cls(
            cles_inscription={nom: F(chemin) for nom, chemin in chemins.items()},
            cles_sortie={nom: F(f"inscription__{chemin}") for nom, chemin in chemins.items()},
            **affichage,
        )


AXES = {
    "ecole": Axe.par_chemins(
        {
            "ecole_pk": "cohorte__parcours__ecole",
            "nom": "cohorte__parcours__ecole__nom",
            "ville": "cohorte__parcours__ecole__ville",
        },
        libelle=lambda cle: f"{cle['nom']} — {cle['ville']}",
        tri=lambda cle: (cle["ville"], cle["nom"], cle["ecole_pk"]),
    ),
    "filiere": Axe.par_chemins(
        {"filiere": "cohorte__parcours__filiere"},
        libelle=lambda cle: Filiere(cle["filiere"]).label,
        tri=lambda cle: Filiere(cle["filiere"]).label,
    ),
    "cohorte": Axe.par_chemins(
        {
            "cohorte_pk": "cohorte",
            "nom": "cohorte__nom",
            "date_debut": "cohorte__date_debut",
            "ville": "cohorte__parcours__ecole__ville",
        },
        libelle=lambda cle: cle["nom"],
        tri=lambda cle: (cle["date_debut"], cle["nom"], cle["cohorte_pk"]),
        precision=lambda cle: f"{cle['ville']}, début le {cle['date_debut']:%d/%m/%Y}",
    ),
    # An entry counts in the year it happened, an exit in the year it happened.
    "annee": Axe(
        cles_inscription={"annee": ExtractYear("date_entree")},
        cles_sortie={"annee": ExtractYear("date_sortie")},
        libelle=lambda cle: str(cle["annee"]),
        tri=lambda cle: cle["annee"],
    ),
}


def repartition(periode, user, axe):
    """The rows of one breakdown, in display order: two grouped queries, merged by key."""
    axe = AXES[axe]
    entrees = (
        periode.inscriptions(user)
        .values(**axe.cles_inscription)
        .annotate(entrees=Count("pk"))
        .order_by()
    )
    sorties = (
        periode.sorties(user).values(**axe.cles_sortie).annotate(**COMPTES_DES_SORTIES).order_by()
    )
    noms_des_cles = list(axe.cles_inscription)
    lignes = {}
    for resultat in [*entrees, *sorties]:
        cle = {nom: resultat.pop(nom) for nom in noms_des_cles}
        identifiant = tuple(cle.values())
        if identifiant not in lignes:
            lignes[identifiant] = (
                cle,
                Ligne(libelle=axe.libelle(cle), precision=axe.precision(cle)),
            )
        ligne = lignes[identifiant][1]
        for nom, valeur in resultat.items():
            setattr(ligne, nom, valeur)
    return [ligne for _, ligne in sorted(lignes.values(), key=lambda paire: axe.tri(paire[0]))]


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


def entonnoir(periode, user):
    """From sourcing to durable employment, for the candidates added during the period."""
    comptes = periode.candidats(user).aggregate(**COMPTES_DE_L_ENTONNOIR)
    return _entonnoir("Tous canaux", comptes)


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


def entonnoirs_par_canal(periode, user):
    """The same funnel for each sourcing channel that brought candidates in the period."""
    par_canal = (
        periode.candidats(user).values("canal").annotate(**COMPTES_DE_L_ENTONNOIR).order_by()
    )
    entonnoirs = [_entonnoir(CanalSourcing(ligne["canal"]).label, ligne) for ligne in par_canal]
    return sorted(entonnoirs, key=lambda entonnoir: entonnoir.libelle)
