from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from comptes.access import equipe_required
from parcours.models import Inscription
from portail.pagination import paginate

from .forms import SyntheseForm
from .sections import sections_de


@equipe_required
@require_GET
def a_faire(request):
    today = timezone.localdate()
    sections = sections_de(request.user, today)
    return render(
        request,
        "a_faire/a_faire.html",
        {
            "today": today,
            "sections": sections,
            "total": sum(section.nombre for section in sections),
        },
    )


@equipe_required
@require_POST
def synthese(request):
    form = SyntheseForm(request.POST)
    # A lone unticked box is always valid: it says False.
    form.is_valid()
    request.user.recoit_synthese = form.cleaned_data["recoit_synthese"]
    request.user.save(update_fields=["recoit_synthese"])
    if request.user.recoit_synthese:
        messages.success(request, "Vous recevrez la synthèse chaque lundi matin.")
    else:
        messages.success(request, "Vous ne recevrez plus la synthèse hebdomadaire.")
    return redirect("a_faire:a_faire")


@equipe_required
@require_GET
def sorties(request):
    today = timezone.localdate()
    inscriptions = (
        Inscription.objects.visibles_par(request.user)
        .sans_sortie_enregistree(today)
        .select_related("candidat", "cohorte__parcours__ecole")
    )
    return render(
        request,
        "a_faire/sorties.html",
        {"page_obj": paginate(request, inscriptions), "today": today},
    )
