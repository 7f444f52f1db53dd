"""The survey page a former trainee opens from the e-mail, and the staff's call list."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from comptes.access import equipe_required
from portail.client import adresse_du_client
from portail.pagination import paginate

from . import limitation, services
from .forms import SituationForm, SituationParTelephoneForm
from .models import Enquete, SituationApresSortie


@never_cache
@require_http_methods(["GET", "POST"])
def repondre(request, jeton):
    """Public, without sign-in: the token of the e-mailed link is the only key.

    The page shows the first name and the track, nothing else of the person; a made-up,
    expired or closed link gets a page that tells nothing of whom it was for.
    """
    if not limitation.requete_acceptee(adresse_du_client(request)):
        return render(request, "enquetes/trop_de_demandes.html", status=429)
    lien = services.lien_du_jeton(jeton)
    if lien is None:
        return render(request, "enquetes/lien_invalide.html", status=404)
    if lien.est_expire(timezone.now()):
        return render(request, "enquetes/close.html", {"raison": "expiree"}, status=410)
    enquete = lien.enquete
    raison = services.raison_de_fermeture(enquete)
    if raison:
        return render(request, "enquetes/close.html", {"raison": raison}, status=410)
    form = SituationForm()
    if request.method == "POST" and "ne_plus_recevoir" in request.POST:
        try:
            with transaction.atomic():
                services.refuser_les_enquetes(enquete=enquete)
        except ValidationError:
            pass
        return redirect(request.path)
    if request.method == "POST":
        form = SituationForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.enregistrer_reponse(
                        enquete=enquete,
                        source=SituationApresSortie.Source.ENQUETE,
                        **form.cleaned_data,
                    )
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                return redirect(request.path)
    inscription = enquete.sortie.inscription
    return render(
        request,
        "enquetes/repondre.html",
        {
            "form": form,
            "enquete": enquete,
            "prenom": inscription.candidat.prenom,
            "parcours": inscription.cohorte.parcours.nom,
            "conservation_mois": settings.PORTAIL_RETENTION_STAGIAIRE_MOIS,
            "contact": settings.PORTAIL_ENQUETES_CONTACT,
        },
    )


# What the staff's pages show of each survey: the person and their cohort.
PERSONNE_ET_COHORTE = (
    "sortie__inscription__candidat",
    "sortie__inscription__cohorte__parcours__ecole",
)


def _a_saisir(request, day):
    """The surveys a staff member may answer for on `day`: open, due, visible to them."""
    return (
        Enquete.objects.visibles_par(request.user)
        .ouvertes(day)
        .filter(date_prevue__lte=day)
        .select_related(*PERSONNE_ET_COHORTE)
    )


@equipe_required
def a_appeler(request):
    day = timezone.localdate()
    enquetes = (
        Enquete.objects.visibles_par(request.user)
        .a_appeler(day)
        .select_related(*PERSONNE_ET_COHORTE)
        .order_by("date_prevue", "pk")
    )
    return render(request, "enquetes/a_appeler.html", {"page_obj": paginate(request, enquetes)})


@equipe_required
def appel(request, pk):
    """The answer to a survey given on the phone."""
    enquete = get_object_or_404(_a_saisir(request, timezone.localdate()), pk=pk)
    form = SituationParTelephoneForm(request.POST or None)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.enregistrer_reponse(
                    enquete=enquete,
                    source=SituationApresSortie.Source.TELEPHONE,
                    saisie_par=request.user,
                    **form.cleaned_data,
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(
                request,
                f"Réponse enregistrée : l'enquête {enquete.libelle} de "
                f"{enquete.sortie.inscription.candidat} est close.",
            )
            return redirect("enquetes:a_appeler")
    return render(request, "enquetes/appel.html", {"enquete": enquete, "form": form})


@equipe_required
@require_POST
def injoignable(request, pk):
    enquete = get_object_or_404(_a_saisir(request, timezone.localdate()), pk=pk)
    try:
        with transaction.atomic():
            services.declarer_injoignable(enquete=enquete, auteur=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{enquete.sortie.inscription.candidat} est déclaré·e injoignable pour l'enquête "
            f"{enquete.libelle} : la personne quitte la liste.",
        )
    return redirect("enquetes:a_appeler")
