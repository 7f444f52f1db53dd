"""Staff pages of the documents: a cohort's list, generation, signed scans; downloads."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from comptes.access import equipe_required
from parcours.models import Cohorte, Inscription, Stage
from portail.liens import url_de_retour
from portail.pagination import paginate
from portail.sorting import Sorting

from . import services, tasks
from .forms import DocumentsFiltreForm, JetonForm, ScanForm, SemaineForm
from .models import Document, TelechargementDocument

COLONNES = {"date": "cree_le", "type": "type", "version": "version", "taille": "taille"}


def _cohorte(request, pk):
    return get_object_or_404(
        Cohorte.objects.visibles_par(request.user).select_related("parcours__ecole"), pk=pk
    )


def _page(request, cohorte, *, semaine_form=None, scan_form=None, status=200):
    documents = Document.objects.filter(cohorte=cohorte).select_related(
        "inscription__candidat", "auteur"
    )
    filtre = DocumentsFiltreForm(request.GET)
    sorting = Sorting(request, COLONNES, default="-date")
    page = paginate(request, sorting.apply(filtre.filtrer(documents)))
    stages = (
        Stage.objects.filter(inscription__cohorte=cohorte)
        .select_related("inscription__candidat", "entreprise", "phase")
        .order_by("inscription__candidat__nom", "inscription__candidat__prenom", "phase__ordre")
    )
    contexte = {
        "cohorte": cohorte,
        "page_obj": page,
        "filtre": filtre,
        "sorting": sorting,
        "stages": stages,
        "semaine_form": semaine_form or SemaineForm(cohorte=cohorte),
        "scan_form": scan_form or ScanForm(cohorte=cohorte),
        "certificats_form": JetonForm(),
        "jeton_convention": uuid.uuid4().hex,
    }
    return render(request, "documents/cohorte.html", contexte, status=status)


@equipe_required
def cohorte(request, pk):
    return _page(request, _cohorte(request, pk))


def _annonce(request, document):
    messages.success(
        request,
        f"{document.get_type_display()} — version {document.version} enregistrée "
        f"({document.nom_fichier}).",
    )


def _jeton(request):
    """The form's one-time token; a new one when it is missing or garbled."""
    form = JetonForm(request.POST)
    return form.cleaned_data["jeton"] if form.is_valid() else uuid.uuid4().hex


def _liste(cohorte):
    return reverse("documents:cohorte", args=[cohorte.pk])


@equipe_required
@require_POST
def emargement(request, pk):
    cohorte = _cohorte(request, pk)
    form = SemaineForm(request.POST, cohorte=cohorte)
    if form.is_valid():
        try:
            document = services.generer_feuille_emargement(
                cohorte=cohorte,
                lundi=form.cleaned_data["lundi"],
                auteur=request.user,
                jeton=form.cleaned_data["jeton"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            _annonce(request, document)
            return redirect(_liste(cohorte))
    return _page(request, cohorte, semaine_form=form, status=400)


@equipe_required
@require_POST
def feuille_signee(request, pk):
    cohorte = _cohorte(request, pk)
    form = ScanForm(request.POST, request.FILES, cohorte=cohorte)
    if form.is_valid():
        lundi = form.cleaned_data["lundi"]
        document = services.deposer_feuille_signee(
            cohorte=cohorte,
            lundi=lundi,
            contenu=form.cleaned_data["fichier"],
            auteur=request.user,
            jeton=form.cleaned_data["jeton"],
        )
        messages.success(
            request,
            f"Feuille signée de la semaine du {lundi:%d/%m/%Y} enregistrée (version "
            f"{document.version}) : les présences de cette semaine sont verrouillées.",
        )
        return redirect(_liste(cohorte))
    return _page(request, cohorte, scan_form=form, status=400)


@equipe_required
@require_POST
def certificats(request, pk):
    cohorte = _cohorte(request, pk)
    tasks.generer_certificats.enqueue(cohorte.pk, request.user.pk, _jeton(request))
    messages.success(
        request,
        "Les certificats de réalisation de la cohorte sont en préparation : ils apparaîtront "
        "dans la liste dans quelques instants.",
    )
    return redirect(_liste(cohorte))


@equipe_required
@require_POST
def convention(request, pk):
    stage = get_object_or_404(
        Stage.objects.filter(
            inscription__in=Inscription.objects.visibles_par(request.user)
        ).select_related("inscription__cohorte"),
        pk=pk,
    )
    document = services.generer_convention(stage=stage, auteur=request.user, jeton=_jeton(request))
    _annonce(request, document)
    return redirect(url_de_retour(request, _liste(stage.inscription.cohorte)))


def _pour_l_inscription(generer):
    @equipe_required
    @require_POST
    def vue(request, pk):
        inscription = get_object_or_404(
            Inscription.objects.visibles_par(request.user).select_related("cohorte"), pk=pk
        )
        document = generer(inscription=inscription, auteur=request.user, jeton=_jeton(request))
        _annonce(request, document)
        return redirect(
            url_de_retour(request, reverse("candidats:detail", args=[inscription.candidat_id]))
        )

    return vue


certificat = _pour_l_inscription(services.generer_certificat)
attestation = _pour_l_inscription(services.generer_attestation)


@login_required
def telecharger(request, pk):
    """A kept document, for staff and for the partners of its school; logged."""
    document = get_object_or_404(Document.objects.visibles_par(request.user), pk=pk)
    TelechargementDocument.objects.create(user=request.user, document=document)
    response = HttpResponse(services.lire(document), content_type=document.type_contenu)
    response["Content-Disposition"] = f'attachment; filename="{document.nom_fichier}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
