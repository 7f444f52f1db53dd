"""The calendar feeds: the public feed itself, and the staff's pages that create and
revoke the feeds of a school."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from comptes.access import equipe_required
from ecoles.models import Ecole
from portail.client import adresse_du_client
from portail.liens import url_du_site
from portail.pagination import paginate
from portail.sorting import Sorting

from . import limitation, services
from .flux import calendrier_de_l_ecole
from .forms import CalendrierForm, RechercheEcoleForm
from .models import JetonCalendrier

COLONNES_DES_ECOLES = {
    "ville": ["ville", "nom"],
    "nom": ["nom", "ville"],
    "calendriers": ["calendriers_actifs", "ville", "nom"],
}


@require_safe
def flux(request, jeton):
    """Public, without sign-in: calendar apps cannot sign in, the token is the only key.

    A made-up or revoked token gets the same 404; past the hourly budget of the client's
    address, 429 before any lookup.
    """
    if not limitation.requete_acceptee(adresse_du_client(request)):
        return HttpResponse(
            "Trop de demandes : réessayez plus tard.",
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(limitation.FENETRE_SECONDES)},
        )
    calendrier = services.calendrier_du_jeton(jeton)
    if calendrier is None:
        # A response, not Http404: raised, it would roll back the count of this request.
        return HttpResponseNotFound(
            "Calendrier inconnu ou révoqué.", content_type="text/plain; charset=utf-8"
        )
    maintenant = timezone.now()
    services.noter_consultation(calendrier, maintenant)
    response = HttpResponse(
        calendrier_de_l_ecole(calendrier.ecole, maintenant),
        content_type="text/calendar; charset=utf-8",
        headers={"X-Robots-Tag": "noindex"},
    )
    patch_cache_control(response, private=True)
    return response


@equipe_required
@require_GET
def ecoles(request):
    """The schools, each with its number of active feeds: the way to a school's feeds."""
    form = RechercheEcoleForm(request.GET)
    ecoles = Ecole.objects.visibles_par(request.user).annotate(
        calendriers_actifs=Count(
            "jetons_calendrier", filter=Q(jetons_calendrier__revoque_le__isnull=True)
        )
    )
    if form.is_valid():
        ecoles = form.filtrer(ecoles)
    sorting = Sorting(request, COLONNES_DES_ECOLES, default="ville")
    return render(
        request,
        "agenda/ecoles.html",
        {"form": form, "page_obj": paginate(request, sorting.apply(ecoles)), "sorting": sorting},
    )


def adresse_du_flux(jeton):
    return url_du_site() + reverse("agenda:flux", kwargs={"jeton": jeton})


@equipe_required
@require_http_methods(["GET", "POST"])
def ecole(request, pk):
    """A school's feeds, and the form that creates one: its address is shown once, here."""
    ecole = get_object_or_404(Ecole.objects.visibles_par(request.user), pk=pk)
    form = CalendrierForm()
    nouveau = None
    if request.method == "POST":
        form = CalendrierForm(request.POST)
        if form.is_valid():
            try:
                calendrier, jeton = services.creer_calendrier(
                    ecole=ecole,
                    libelle=form.cleaned_data["libelle"],
                    cree_par=request.user,
                    jeton_creation=form.cleaned_data["jeton_creation"],
                )
            except services.CalendrierDejaCree:
                messages.info(
                    request,
                    "Ce calendrier a déjà été créé ; son adresse n'était affichée qu'une "
                    "fois. Perdue, révoquez-le et créez-en un autre.",
                )
                return redirect("agenda:ecole", ecole.pk)
            except ValidationError as error:
                for champ, erreurs in error.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, erreurs)
            else:
                nouveau = {"calendrier": calendrier, "adresse": adresse_du_flux(jeton)}
                form = CalendrierForm()
    calendriers = paginate(
        request,
        JetonCalendrier.objects.filter(ecole=ecole)
        .select_related("cree_par", "revoque_par")
        .order_by("revoque_le", "-cree_le", "-pk"),
    )
    return render(
        request,
        "agenda/ecole.html",
        {"ecole": ecole, "form": form, "nouveau": nouveau, "page_obj": calendriers},
    )


@equipe_required
@require_http_methods(["GET", "POST"])
def revoquer(request, pk):
    """Confirm, then revoke a feed: the calendars subscribed to it stop updating."""
    calendrier = get_object_or_404(
        JetonCalendrier.objects.filter(
            ecole__in=Ecole.objects.visibles_par(request.user)
        ).select_related("ecole"),
        pk=pk,
    )
    if request.method == "POST":
        if services.revoquer_calendrier(calendrier=calendrier, par=request.user):
            messages.success(request, f"Le calendrier « {calendrier.libelle} » est révoqué.")
        else:
            messages.info(request, f"Le calendrier « {calendrier.libelle} » était déjà révoqué.")
        return redirect("agenda:ecole", calendrier.ecole_id)
    return render(request, "agenda/revoquer.html", {"calendrier": calendrier})
