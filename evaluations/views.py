"""The tutor's evaluation: filled by the host company's partners, read by the staff.

A partner reaches only the internships of `stages_du_tuteur`: another company's is a 404.
The trainee is known to these pages by name only (`values()`), as on the other partner pages.
"""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from comptes.access import equipe_required, partenaire_required
from portail.francais import de
from portail.pagination import paginate

from . import services
from .forms import EvaluationForm
from .models import (
    EvaluationDeStage,
    en_attente_d_evaluation,
    evaluation_ouverte_filter,
    ouverture_de_l_evaluation,
    stages_du_tuteur,
    stages_visibles_par,
)

# What a partner page fetches of an internship: the trainee's name, no other personal data.
COLONNES_DU_STAGE = [
    "pk",
    "entreprise__nom",
    "phase__intitule",
    "phase__date_debut",
    "phase__date_fin",
    "inscription__cohorte__nom",
    "inscription__candidat__prenom",
    "inscription__candidat__nom",
]
EVALUATIONS_RECENTES = 10
DEJA_EVALUE = (
    "Ce stage avait déjà été évalué : l'évaluation n'a pas été enregistrée une seconde fois."
)


@partenaire_required
@require_GET
def a_evaluer(request):
    today = timezone.localdate()
    stages = stages_du_tuteur(request.user)
    en_attente = (
        en_attente_d_evaluation(stages, today)
        .order_by("phase__date_fin", "inscription__candidat__nom", "pk")
        .values(*COLONNES_DU_STAGE)
    )
    evaluees = (
        stages.filter(evaluation__isnull=False)
        .order_by("-evaluation__saisie_le", "-pk")
        .values(*COLONNES_DU_STAGE, "evaluation__saisie_le", "evaluation__tuteur")
    )[:EVALUATIONS_RECENTES]
    return render(
        request,
        "evaluations/a_evaluer.html",
        {"page_obj": paginate(request, en_attente), "evaluees": evaluees, "today": today},
    )


@partenaire_required
def evaluer(request, pk):
    today = timezone.localdate()
    stage = get_object_or_404(
        stages_du_tuteur(request.user)
        .annotate(
            ouverte=ExpressionWrapper(evaluation_ouverte_filter(today), output_field=BooleanField())
        )
        .values(*COLONNES_DU_STAGE, "ouverte"),
        pk=pk,
    )
    evaluation = EvaluationDeStage.objects.filter(stage_id=pk).select_related("saisie_par").first()
    context = {
        "stage": stage,
        "evaluation": evaluation,
        "ouverture": ouverture_de_l_evaluation(stage["phase__date_fin"]),
    }
    if evaluation is not None:
        if request.method == "POST":
            messages.info(request, DEJA_EVALUE)
            return redirect("evaluations:evaluer", pk=pk)
        return render(request, "evaluations/evaluer.html", context)
    if not stage["ouverte"]:
        # Nothing to save before the form opens: the page says when it does.
        return render(request, "evaluations/evaluer.html", context)
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        instance=EvaluationDeStage(stage_id=pk, saisie_par=request.user),
    )
    if form.is_valid():
        if not services.enregistrer_evaluation(form.instance):
            messages.info(request, DEJA_EVALUE)
            return redirect("evaluations:evaluer", pk=pk)
        prenom, nom = stage["inscription__candidat__prenom"], stage["inscription__candidat__nom"]
        messages.success(request, f"Évaluation {de(prenom)} {nom} enregistrée. Merci !")
        return redirect("evaluations:a_evaluer")
    return render(request, "evaluations/evaluer.html", {**context, "form": form})


@equipe_required
@require_GET
def en_attente(request):
    today = timezone.localdate()
    stages = (
        en_attente_d_evaluation(stages_visibles_par(request.user), today)
        .select_related(
            "entreprise", "phase", "inscription__candidat", "inscription__cohorte__parcours__ecole"
        )
        # The latest first: those the tutor still has in mind.
        .order_by("-phase__date_fin", "-pk")
    )
    return render(
        request,
        "evaluations/en_attente.html",
        {"page_obj": paginate(request, stages), "today": today},
    )
