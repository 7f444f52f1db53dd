"""What the events brought: from the event to the candidate, the pre-selection, the
enrollment and the exit in employment, by event type and by school; events and
participants per year.

The population: the events of the period (by their date; cancelled ones left out), of the
chosen school or of a school of the chosen job family. A candidate comes from one of
them when they took part in it (whatever their attendance) or when it is their source
(`Candidat.evenement_source`); a candidate who came from several counts once in each of
their rows, and once in the total. What became of them is counted today, whenever it
happened. Four queries: the period's participations and sources with their events' type
and schools and the steps their candidates reached, counted by distinct candidate for the
total, each type and each school in one query (a correlated count per school and step
cost seconds at the design scale, reading the rows into Python most of a second); the
events per type, the schools with their events, the years. What became of an enrolled
candidate is read from `ParcoursDuCandidat`, kept by the services that write
enrollments and exits (`agregats.recalculer`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractYear

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


def _etapes_en_sql(prefixe):
    """The steps a candidate reached, as columns: their status, and whether they have a
    `ParcoursDuCandidat` (enrolled) and it says `en_emploi`. `prefixe` leads to the
    candidate from the rows read."""
    inscrit = Q(**{f"{prefixe}parcours_agrege__isnull": False})
    return {
        # As in the sourcing funnel: pre-selected or kept, or already enrolled.
        "preselectionnes": ExpressionWrapper(
            Q(**{f"{prefixe}statut__in": STATUTS_PRESELECTIONNES}) | inscrit,
            output_field=BooleanField(),
        ),
        "inscrits": ExpressionWrapper(inscrit, output_field=BooleanField()),
        "en_emploi": Coalesce(f"{prefixe}parcours_agrege__en_emploi", False),
    }


@dataclass
class Venus:
    """Who came from the period's events, counted once for the total, each event type and
    each school: for each, the candidates and how many reached each step."""

    total: dict
    par_type: dict
    par_ecole: dict

    @classmethod
    def lire(cls, user, evenements, periode):
        """One query. Its rows are the period's participations and sources, each with its
        event's type and schools and the steps its candidate reached (what became of them
        from `ParcoursDuCandidat`, by primary key: no look through enrollments and exits);
        they are counted by distinct candidate in the database, for the total, per type
        and per school."""
        visibles = Candidat.objects.visibles_par(user)
        colonnes = ["candidat_id", "type_evenement", "ecole_id", *[nom for nom, _ in ETAPES[1:]]]

        def de_la_periode(evenement):
            # The period's dates on the joined event itself, beside `evenements`: the
            # planner then starts from the period's events and reaches their rows by
            # index, instead of joining every participation of ten years before keeping
            # those of the period.
            return Q(
                **{
                    f"{evenement}__date__range": (periode.debut, periode.fin),
                    f"{evenement}__annule_le__isnull": True,
                    f"{evenement}__in": evenements,
                }
            )

        chemins = [
            Participation.objects.filter(de_la_periode("evenement"), candidat__in=visibles)
            .annotate(
                type_evenement=F("evenement__type"),
                ecole_id=F("evenement__ecoles"),
                **_etapes_en_sql("candidat__"),
            )
            .order_by()
            .values_list(*colonnes),
            visibles.filter(de_la_periode("evenement_source"))
            .annotate(
                candidat_id=F("pk"),
                type_evenement=F("evenement_source__type"),
                ecole_id=F("evenement_source__ecoles"),
                **_etapes_en_sql(""),
            )
            .order_by()
            .values_list(*colonnes),
        ]
        requetes, parametres = zip(
            *(chemin.query.sql_with_params() for chemin in chemins), strict=True
        )
        comptes = ", ".join(
            [
                "COUNT(DISTINCT candidat_id)",
                *(f"COUNT(DISTINCT CASE WHEN {nom} THEN candidat_id END)" for nom, _ in ETAPES[1:]),
            ]
        )
        groupes = [
            f"SELECT 'total', NULL, {comptes} FROM venus",
            f"SELECT 'type', type_evenement, {comptes} FROM venus GROUP BY type_evenement",
            # The key column holds the types' text: the schools' ids are cast to it.
            f"SELECT 'ecole', CAST(ecole_id AS TEXT), {comptes} FROM venus "
            "WHERE ecole_id IS NOT NULL GROUP BY ecole_id",
        ]
        sql = (
            f"WITH venus ({', '.join(colonnes)}) AS ({requetes[0]} UNION ALL {requetes[1]}) "
            + " UNION ALL ".join(groupes)
        )
        venus = cls(total={}, par_type={}, par_ecole={})
        with connection.cursor() as cursor:
            cursor.execute(sql, [*parametres[0], *parametres[1]])
            for groupe, cle, *nombres in cursor.fetchall():
                ligne = dict(zip([nom for nom, _ in ETAPES], nombres, strict=True))
                if groupe == "total":
                    venus.total = ligne
                elif groupe == "type":
                    venus.par_type[cle] = ligne
                else:
                    venus.par_ecole[int(cle)] = ligne
        return venus


AUCUN = {nom: 0 for nom, _ in ETAPES}


def par_type(venus, evenements):
    """The total and one row per event type that had events."""
    nombres = dict(evenements.values_list("type").annotate(nombre=Count("pk")).order_by())
    total = _ligne("Tous les événements", sum(nombres.values()), venus.total or AUCUN)
    lignes = [
        _ligne(
            type_evenement.label,
            nombres[type_evenement],
            venus.par_type.get(type_evenement, AUCUN),
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
        _ligne(str(ecole), ecole.nombre_evenements, venus.par_ecole.get(ecole.pk, AUCUN))
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
    venus = Venus.lire(user, evenements, periode)
    total, types = par_type(venus, evenements)
    return EntonnoirDesEvenements(
        total=total,
        par_type=types,
        par_ecole=par_ecole(periode, user, venus, evenements),
        par_annee=par_annee(evenements),
    )
