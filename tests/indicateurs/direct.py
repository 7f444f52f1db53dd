"""The indicators counted straight from the facts, as the page counted them before the
summary tables: the reference the tables are checked against."""

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from candidats.models import Candidat
from ecoles.models import Ecole
from evenements.models import TypeEvenement
from indicateurs.agregats import EN_EMPLOI
from indicateurs.evenements import evenements_de_la_periode
from indicateurs.stats import (
    AXES,
    CLES_DES_GROUPES,
    COMPTES_DES_SORTIES,
    STATUTS_PRESELECTIONNES,
    _cumuler,
)
from parcours.models import Categorie, Inscription

COMPTES_DE_L_ENTONNOIR = {
    "sources": Count("pk", distinct=True),
    "preselectionnes": Count(
        "pk",
        distinct=True,
        filter=Q(statut__in=STATUTS_PRESELECTIONNES) | Q(inscriptions__isnull=False),
    ),
    "inscrits": Count("pk", distinct=True, filter=Q(inscriptions__isnull=False)),
    "sortis": Count("pk", distinct=True, filter=Q(inscriptions__sortie__isnull=False)),
    "emploi_durable": Count(
        "pk", distinct=True, filter=Q(inscriptions__sortie__categorie=Categorie.EMPLOI_DURABLE)
    ),
}


def inscriptions(periode, user):
    return Inscription.objects.visibles_par(user).filter(
        periode._filtre("cohorte__parcours__ecole", "cohorte__parcours__filiere"),
        date_entree__range=(periode.debut, periode.fin),
    )


def candidats(periode, user):
    debut = timezone.make_aware(datetime.datetime.combine(periode.debut, datetime.time.min))
    fin = timezone.make_aware(datetime.datetime.combine(periode.fin, datetime.time.max))
    ajoutes = Candidat.objects.visibles_par(user).filter(cree_le__range=(debut, fin))
    if periode.ecole or periode.filiere:
        inscrits = Inscription.objects.filter(
            periode._filtre("cohorte__parcours__ecole", "cohorte__parcours__filiere")
        )
        ajoutes = ajoutes.filter(
            periode._filtre("ecole_visee", "ecole_visee__filiere")
            | Q(pk__in=inscrits.values("candidat"))
        )
    return ajoutes


def repartitions(periode, user):
    entrees = (
        inscriptions(periode, user)
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
    resultats = [*entrees, *sorties]
    return {nom: _cumuler(resultats, axe) for nom, axe in AXES.items()}


def entonnoir_par_canal(periode, user):
    """The funnel's counts per channel, channel → step → number."""
    return {
        ligne.pop("canal"): ligne
        for ligne in candidats(periode, user)
        .values("canal")
        .annotate(**COMPTES_DE_L_ENTONNOIR)
        .order_by()
    }


def entonnoir_des_evenements(periode, user):
    """The events' funnel (total, then one row per event type and per school) as
    (label, events, [candidates, pre-selected, enrolled, in employment]), each candidate
    looked up in their enrollments and exits."""
    evenements = evenements_de_la_periode(periode, user)
    visibles = Candidat.objects.visibles_par(user)

    def ligne(libelle, ces_evenements):
        venus = visibles.filter(
            Q(participations__evenement__in=ces_evenements) | Q(evenement_source__in=ces_evenements)
        ).distinct()
        inscrits = Q(inscriptions__isnull=False)
        etapes = [
            venus,
            venus.filter(Q(statut__in=STATUTS_PRESELECTIONNES) | inscrits),
            venus.filter(inscrits),
            venus.filter(inscriptions__sortie__categorie__in=EN_EMPLOI),
        ]
        return (libelle, ces_evenements.count(), [etape.distinct().count() for etape in etapes])

    lignes = [ligne("Tous les événements", evenements)]
    for type_evenement in TypeEvenement:
        if evenements.filter(type=type_evenement).exists():
            lignes.append(ligne(type_evenement.label, evenements.filter(type=type_evenement)))
    ecoles = Ecole.objects.visibles_par(user).filter(pk__in=evenements.values("ecoles"))
    if periode.ecole:
        ecoles = ecoles.filter(pk=periode.ecole.pk)
    if periode.filiere:
        ecoles = ecoles.filter(filiere=periode.filiere)
    for ecole in ecoles.order_by("ville", "nom", "pk"):
        lignes.append(ligne(str(ecole), evenements.filter(ecoles=ecole)))
    return lignes
