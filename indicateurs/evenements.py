"""What the events brought: from the event to the candidate, the pre-selection, the
enrollment and the exit in employment, by event type and by school; events and
participants per year.

The population: the events of the period (by their date; cancelled ones left out), of the
chosen school or of a school of the chosen job family. A candidate comes from one of
them when they took part in it (whatever their attendance) or when it is their source
(`Candidat.evenement_source`); a candidate who came from several counts once in each of
their rows, and once in the total. What became of them is counted today, whenever it
happened. Five queries: the period's participations and sources with their events' type
and schools and the steps their candidates reached are read once and counted in sets
(a correlated count per school and step cost seconds at the design scale); the events
per type, the schools with their events, the years. What became of an enrolled
candidate is read from `ParcoursDuCandidat`, kept by the services that write
enrollments and exits (`agregats.recalculer`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear

from candidats.models import Candidat
from ecoles.models import Ecole
from evenements.models import Evenement, Participation, StatutParticipation, TypeEvenement

from .stats import STATUTS_PRESELECTIONNES, taux

ETAPES = [
    ("candidats", "Candidats venus d'un événement"),
    ("preselectionnes", "Présélectionnés"),
    ("inscrits", "Inscrits en cohorte"),
    ("en_emploi", "Sortis en emploi"),
]


def etapes_atteintes(statut, en_emploi):
    """The steps a candidate reached, from their status and their `ParcoursDuCandidat`'s
    `en_emploi` (None without one: never enrolled)."""
    inscrit = en_emploi is not None
    return {
        # As in the sourcing funnel: pre-selected or kept, or already enrolled.
        "preselectionnes": statut in STATUTS_PRESELECTIONNES or inscrit,
        "inscrits": inscrit,
        "en_emploi": bool(en_emploi),
    }


def evenements_de_la_periode(periode, user):
    evenements = Evenement.objects.des_ecoles_visibles_par(user).filter(
        date__range=(periode.debut, periode.fin), annule_le__isnull=True
    )
    if periode.ecole:
        evenements = evenements.filter(ecoles=periode.ecole)
    if periode.filiere:
        evenements = evenements.filter(ecoles__filiere=periode.filiere)
    # Once each, whatever the joins of the filters above.
    return Evenement.objects.filter(pk__in=evenements.values("pk"))


@dataclass
class Etape:
    libelle: str
    nombre: int
    taux_depuis_precedente: Decimal | None = None


@dataclass
class LigneEvenements:
    libelle: str
    evenements: int
    etapes: list = field(default_factory=list)


def _ligne(libelle, evenements, comptes):
    etapes = []
    for nom, libelle_etape in ETAPES:
        etape = Etape(libelle=libelle_etape, nombre=comptes[nom] or 0)
        if etapes:
            etape.taux_depuis_precedente = taux(etape.nombre, etapes[-1].nombre)
        etapes.append(etape)
    return LigneEvenements(libelle=libelle, evenements=evenements, etapes=etapes)


@dataclass
class Venus:
    """Who came from the period's events, read once for the type and school rows: the
    events' type and schools each candidate came through, and the steps they reached."""

    par_type: dict
    par_ecole: dict
    etapes: dict

    @classmethod
    def lire(cls, user, evenements):
        """Two queries, whose rows are the period's participations and sources, each with
        its event's type and schools, its candidate's status and what became of them
        (`ParcoursDuCandidat`, by primary key: no look through enrollments and exits)."""
        visibles = Candidat.objects.visibles_par(user)
        par_type, par_ecole = defaultdict(set), defaultdict(set)
        etapes = {nom: set() for nom, _ in ETAPES[1:]}
        chemins = [
            Participation.objects.filter(evenement__in=evenements, candidat__in=visibles)
            .order_by()
            .values_list(
                "candidat_id",
                "evenement__type",
                "evenement__ecoles",
                "candidat__statut",
                "candidat__parcours_agrege__en_emploi",
            ),
            visibles.filter(evenement_source__in=evenements)
            .order_by()
            .values_list(
                "pk",
                "evenement_source__type",
                "evenement_source__ecoles",
                "statut",
                "parcours_agrege__en_emploi",
            ),
        ]
        for chemin in chemins:
            for candidat_id, type_evenement, ecole_id, statut, en_emploi in chemin.iterator(
                chunk_size=5_000
            ):
                par_type[type_evenement].add(candidat_id)
                if ecole_id is not None:
                    par_ecole[ecole_id].add(candidat_id)
                for nom, atteinte in etapes_atteintes(statut, en_emploi).items():
                    if atteinte:
                        etapes[nom].add(candidat_id)
        return cls(par_type=par_type, par_ecole=par_ecole, etapes=etapes)

    def comptes(self, candidats):
        """Each step's count among `candidats`, a set of pks."""
        return {
            "candidats": len(candidats),
            **{nom: len(candidats & atteints) for nom, atteints in self.etapes.items()},
        }


def par_type(venus, evenements):
    """The total and one row per event type that had events."""
    nombres = dict(evenements.values_list("type").annotate(nombre=Count("pk")).order_by())
    tous = set().union(*venus.par_type.values())
    total = _ligne("Tous les événements", sum(nombres.values()), venus.comptes(tous))
    lignes = [
        _ligne(
            type_evenement.label,
            nombres[type_evenement],
            venus.comptes(venus.par_type.get(type_evenement, set())),
        )
        for type_evenement in TypeEvenement
        if type_evenement in nombres
    ]
    return total, lignes


class CompteDistinct(Func):
    """COUNT(DISTINCT …) as a plain expression, for a one-row subquery without GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def par_ecole(periode, user, venus, evenements):
    """One row per school of the period's events, with its number of events.

    A candidate counts for a school when one of the events they came from is the school's.
    """
    ecoles = Ecole.objects.visibles_par(user).filter(pk__in=evenements.values("ecoles"))
    if periode.ecole:
        ecoles = ecoles.filter(pk=periode.ecole.pk)
    if periode.filiere:
        ecoles = ecoles.filter(filiere=periode.filiere)
    ecoles = ecoles.annotate(
        nombre_evenements=Subquery(
            evenements.filter(ecoles=OuterRef("pk"))
            .order_by()
            .annotate(nombre=CompteDistinct("pk"))
            .values("nombre")
        ),
    ).order_by("ville", "nom", "pk")
    return [
        _ligne(
            str(ecole), ecole.nombre_evenements, venus.comptes(venus.par_ecole.get(ecole.pk, set()))
        )
        for ecole in ecoles
    ]


@dataclass
class Annee:
    annee: int
    evenements: int
    participants: int
    presents: int


def par_annee(evenements):
    """Events and participants (registrations, and those present) per year: one query."""
    lignes = (
        evenements.annotate(annee=ExtractYear("date"))
        .values("annee")
        .annotate(
            nombre_evenements=Count("pk", distinct=True),
            participants=Count("participations", distinct=True),
            presents=Count(
                "participations",
                filter=Q(participations__statut=StatutParticipation.PRESENT),
                distinct=True,
            ),
        )
        .order_by("annee")
    )
    return [
        Annee(
            annee=ligne["annee"],
            evenements=ligne["nombre_evenements"],
            participants=ligne["participants"],
            presents=ligne["presents"],
        )
        for ligne in lignes
    ]


@dataclass
class EntonnoirDesEvenements:
    total: LigneEvenements
    par_type: list
    par_ecole: list
    par_annee: list
    etapes: list = field(default_factory=lambda: [libelle for _, libelle in ETAPES])


def entonnoir_des_evenements(periode, user):
    evenements = evenements_de_la_periode(periode, user)
    venus = Venus.lire(user, evenements)
    total, types = par_type(venus, evenements)
    return EntonnoirDesEvenements(
        total=total,
        par_type=types,
        par_ecole=par_ecole(periode, user, venus, evenements),
        par_annee=par_annee(evenements),
    )
