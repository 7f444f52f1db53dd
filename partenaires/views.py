"""Read-only pages for partners: the schools of their organisations and their cohorts.

What a partner may see is decided by the `visibles_par` querysets; the personal data
they may see (DESIGN.md) is decided here, by the columns each query fetches.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from comptes.access import partenaire_required
from ecoles.models import Ecole
from entreprises.models import Entreprise
from parcours.models import (
    Categorie,
    Cohorte,
    Inscription,
    Niveau,
    PhaseCohorte,
    Situation,
    Stage,
    Suivi,
)

from .models import Consultation

# The largest cohorts have a few hundred trainees: the partner page shows them by pages.
STAGIAIRES_PAR_PAGE = 50


@partenaire_required
@require_GET
def ecoles(request):
    today = timezone.localdate()
    organisations = list(
        Entreprise.objects.filter(
            appartenances__user=request.user, appartenances__active=True
        ).order_by("nom")
    )
    mes_organisations = Entreprise.objects.filter(pk__in=[o.pk for o in organisations])
    ecoles = list(
        Ecole.objects.visibles_par(request.user)
        .prefetch_related(
            Prefetch(
                "entreprises_adherentes",
                queryset=mes_organisations,
                to_attr="mes_entreprises_adherentes",
            ),
            Prefetch(
                "organismes_formation",
                queryset=mes_organisations,
                to_attr="mes_organismes_formation",
            ),
        )
        .order_by("ville", "nom")
    )
    cohortes_par_ecole = {ecole.pk: [] for ecole in ecoles}
    if ecoles:
        cohortes = (
            Cohorte.objects.visibles_par(request.user)
            .annotate(ecole_id=F("parcours__ecole"), nombre_stagiaires=Count("inscriptions"))
            .order_by("-date_debut", "nom")
        )
        for cohorte in cohortes:
            cohortes_par_ecole[cohorte.ecole_id].append(cohorte)
    for ecole in ecoles:
        ecole.cohortes_visibles = cohortes_par_ecole[ecole.pk]

    entreprises_adherentes = [o for o in organisations if o.type == Entreprise.Type.ADHERENTE]
    stages = None
    if entreprises_adherentes:
        stages = (
            Stage.objects.filter(
                entreprise__in=entreprises_adherentes,
                phase__date_fin__gte=today,
                inscription__statut=Inscription.Statut.EN_FORMATION,
                inscription__in=Inscription.objects.visibles_par(request.user),
            )
            .order_by("phase__date_debut", "inscription__candidat__nom", "pk")
            # values(): the trainee's name is all this page may know of the candidate.
            .values(
                "pk",
                "entreprise__nom",
                "phase__intitule",
                "phase__date_debut",
                "phase__date_fin",
                "inscription__cohorte_id",
                "inscription__cohorte__nom",
                "inscription__candidat__prenom",
                "inscription__candidat__nom",
            )
        )
    return render(
        request,
        "partenaires/ecoles.html",
        {
            "organisations": organisations,
            "ecoles": ecoles,
            "stages": stages,
        },
    )


@dataclass(frozen=True)
class Stagiaire:
    """What a partner may know of a trainee: no contact details, no staff notes."""

    prenom: str
    nom: str
    phase: str
    entreprise_accueil: str | None
    suivi_mois: datetime.date | None
    assiduite: str | None
    progression: str | None
    date_sortie: datetime.date | None
    situation: str | None
    categorie: str | None

    @property
    def assiduite_label(self):
        return Niveau(self.assiduite).label if self.assiduite else ""

    @property
    def progression_label(self):
        return Niveau(self.progression).label if self.progression else ""

    @property
    def situation_label(self):
        return Situation(self.situation).label if self.situation else ""

    @property
    def categorie_label(self):
        return Categorie(self.categorie).label if self.categorie else ""


def phase_du_stagiaire(ligne, cohorte, phase_du_jour, today):
    if ligne["sortie__date_sortie"]:
        return "Sorti·e du parcours"
    if today < ligne["date_entree"]:
        return "Pas encore entré·e"
    if today > cohorte.date_fin:
        return "Parcours terminé"
    return phase_du_jour.intitule if phase_du_jour else ""


def stagiaires_de(cohorte, user, phase_du_jour, today, page=None):
    """A page of the trainees of `cohorte` as partners see them, with the page itself.

    One query for the rows, one for the count of the pagination.
    """
    dernier_suivi = Suivi.objects.filter(inscription=OuterRef("pk")).order_by("-mois")
    stage_en_cours_ou_a_venir = Stage.objects.filter(
        inscription=OuterRef("pk"), phase__date_fin__gte=today
    ).order_by("phase__date_debut")
    dernier_stage = Stage.objects.filter(inscription=OuterRef("pk")).order_by("-phase__date_debut")
    lignes = (
        Inscription.objects.visibles_par(user)
        .filter(cohorte=cohorte)
        .annotate(
            suivi_mois=Subquery(dernier_suivi.values("mois")[:1]),
            suivi_assiduite=Subquery(dernier_suivi.values("assiduite")[:1]),
            suivi_progression=Subquery(dernier_suivi.values("progression")[:1]),
            entreprise_accueil=Coalesce(
                Subquery(stage_en_cours_ou_a_venir.values("entreprise__nom")[:1]),
                Subquery(dernier_stage.values("entreprise__nom")[:1]),
            ),
        )
        .order_by("candidat__nom", "candidat__prenom", "pk")
        # values(), not model instances: the candidate's contact details, birth date and
        # notes, the check-in comments and the exit comment are never even fetched.
        .values(
            "date_entree",
            "candidat__prenom",
            "candidat__nom",
            "suivi_mois",
            "suivi_assiduite",
            "suivi_progression",
            "entreprise_accueil",
            "sortie__date_sortie",
            "sortie__situation",
            "sortie__categorie",
        )
    )
    page_obj = Paginator(lignes, STAGIAIRES_PAR_PAGE).get_page(page)
    return page_obj, [
        Stagiaire(
            prenom=ligne["candidat__prenom"],
            nom=ligne["candidat__nom"],
            phase=phase_du_stagiaire(ligne, cohorte, phase_du_jour, today),
            entreprise_accueil=ligne["entreprise_accueil"],
            suivi_mois=ligne["suivi_mois"],
            assiduite=ligne["suivi_assiduite"],
            progression=ligne["suivi_progression"],
            date_sortie=ligne["sortie__date_sortie"],
            situation=ligne["sortie__situation"],
            categorie=ligne["sortie__categorie"],
        )
        for ligne in page_obj.object_list
    ]


@partenaire_required
@require_GET
def cohorte(request, pk):
    cohorte = get_object_or_404(
        Cohorte.objects.visibles_par(request.user)
        .select_related("parcours__ecole")
        .prefetch_related(Prefetch("phases", queryset=PhaseCohorte.objects.order_by("ordre"))),
        pk=pk,
    )
    today = timezone.localdate()
    phase_du_jour = cohorte.phase_du_jour(today)
    page_obj, stagiaires = stagiaires_de(
        cohorte, request.user, phase_du_jour, today, request.GET.get("page")
    )
    Consultation.objects.create(
        user=request.user, cohorte=cohorte, ip=request.META.get("REMOTE_ADDR") or None
    )
    return render(
        request,
        "partenaires/cohorte.html",
        {
            "cohorte": cohorte,
            "etat": cohorte.etat(today),
            "phases": cohorte.phases.all(),
            "phase_du_jour": phase_du_jour,
            "stagiaires": stagiaires,
            "page_obj": page_obj,
        },
    )
