"""What the events brought: from the event to the candidate, the pre-selection, the
enrollment and the exit in employment, by event type and by school; events and
participants per year.

The population: the events of the period (by their date; cancelled ones left out), of the
chosen school or of a school of the chosen job family. A candidate comes from one of
them when they took part in it (whatever their attendance) or when it is their source
(`Candidat.evenement_source`); a candidate who came from several counts once in each of
their rows, and once in the total. What became of them is counted today, whenever it
happened. Four queries, each aggregated by the database: the total and the types
(conditional counts), the events per type, the schools (one correlated count per
step), the years.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear

from candidats.models import Candidat
from ecoles.models import Ecole
from evenements.models import Evenement, Participation, StatutParticipation, TypeEvenement
from parcours.models import Categorie, Inscription, Sortie

from .stats import taux

ETAPES = [
    ("candidats", "Candidats venus d'un événement"),
    ("preselectionnes", "Présélectionnés"),
    ("inscrits", "Inscrits en cohorte"),
    ("en_emploi", "Sortis en emploi"),
]
EN_EMPLOI = [Categorie.EMPLOI_DURABLE, Categorie.EMPLOI_TRANSITION]


def conditions_des_etapes():
    """Each step as a condition on a candidate, without a join: a subquery per step."""
    inscrit = Exists(Inscription.objects.filter(candidat=OuterRef("pk")))
    return {
        "candidats": Q(),
        # As in the sourcing funnel: pre-selected or kept, or already enrolled.
        "preselectionnes": Q(statut__in=[Candidat.Statut.PRESELECTIONNE, Candidat.Statut.RETENU])
        | Q(inscrit),
        "inscrits": Q(inscrit),
        "en_emploi": Q(
            Exists(
                Sortie.objects.filter(inscription__candidat=OuterRef("pk"), categorie__in=EN_EMPLOI)
            )
        ),
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


def venus_de(evenements):
    """Candidates who came from one of `evenements`: took part, or have it as source."""
    participants = Participation.objects.filter(evenement__in=evenements).values("candidat")
    return Q(pk__in=participants) | Q(evenement_source__in=evenements)


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


def par_type(periode, user, evenements):
    """The total and one row per event type that had events: two queries."""
    conditions = conditions_des_etapes()
    candidats = Candidat.objects.visibles_par(user)
    comptes = {
        f"{nom}__tous": Count("pk", filter=condition) for nom, condition in conditions.items()
    }
    for type_evenement in TypeEvenement:
        du_type = venus_de(evenements.filter(type=type_evenement))
        comptes |= {
            f"{nom}__{type_evenement}": Count("pk", filter=du_type & condition)
            for nom, condition in conditions.items()
        }
    resultats = candidats.filter(venus_de(evenements)).aggregate(**comptes)
    nombres = dict(evenements.values_list("type").annotate(nombre=Count("pk")).order_by())

    def comptes_de(cle):
        return {nom: resultats[f"{nom}__{cle}"] for nom in conditions}

    total = _ligne("Tous les événements", sum(nombres.values()), comptes_de("tous"))
    lignes = [
        _ligne(type_evenement.label, nombres[type_evenement], comptes_de(type_evenement))
        for type_evenement in TypeEvenement
        if type_evenement in nombres
    ]
    return total, lignes


class CompteDistinct(Func):
    """COUNT(DISTINCT …) as a plain expression, for a one-row subquery without GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def par_ecole(periode, user, evenements):
    """One row per school of the period's events: one query, a correlated count per step.

    A candidate counts for a school when one of the events they came from is the school's.
    """
    venus = Q(
        participations__evenement__in=evenements,
        participations__evenement__ecoles=OuterRef("pk"),
    ) | Q(evenement_source__in=evenements, evenement_source__ecoles=OuterRef("pk"))
    candidats = Candidat.objects.visibles_par(user).filter(venus).order_by()
    # Prefixed: `candidats` is already the name of the schools' aimed-at candidates.
    sous_requetes = {
        f"etape_{nom}": Subquery(
            candidats.filter(condition).annotate(nombre=CompteDistinct("pk")).values("nombre")
        )
        for nom, condition in conditions_des_etapes().items()
    }
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
        **sous_requetes,
    ).order_by("ville", "nom", "pk")
    return [
        _ligne(
            str(ecole),
            ecole.nombre_evenements,
            {nom: getattr(ecole, f"etape_{nom}") for nom, _ in ETAPES},
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
    total, types = par_type(periode, user, evenements)
    return EntonnoirDesEvenements(
        total=total,
        par_type=types,
        par_ecole=par_ecole(periode, user, evenements),
        par_annee=par_annee(evenements),
    )
