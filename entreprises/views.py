"""Staff pages about organisations and the partner accounts of their members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes.access import equipe_required
from comptes.models import Appartenance
from ecoles.models import Ecole
from partenaires.services import Issue, envoyer_acces, ouvrir_compte_partenaire
from portail.francais import de
from portail.pagination import paginate
from portail.sorting import Sorting

from . import services
from .forms import ComptePartenaireForm, ContactForm, RechercheOrganisationForm
from .models import Contact, Entreprise

COLONNES_TRIABLES = {"nom": "nom", "ville": ["ville", "nom"], "type": ["type", "nom"]}


@equipe_required
@require_GET
def liste(request):
    form = RechercheOrganisationForm(request.GET)
    organisations = Entreprise.objects.annotate(
        comptes_actifs=Count("appartenances", filter=Q(appartenances__active=True))
    )
    if form.is_valid():
        organisations = form.filtrer(organisations)
    sorting = Sorting(request, COLONNES_TRIABLES, default="nom")
    page_obj = paginate(request, sorting.apply(organisations))
    return render(
        request,
        "entreprises/liste.html",
        {"form": form, "page_obj": page_obj, "sorting": sorting},
    )


@equipe_required
@require_GET
def detail(request, pk):
    entreprise = get_object_or_404(Entreprise, pk=pk)
    ecoles = Ecole.objects.visibles_par(request.user).order_by("ville", "nom")
    return render(
        request,
        "entreprises/detail.html",
        {
            "entreprise": entreprise,
            "contacts": entreprise.contacts.all(),
            "ecoles_adherees": ecoles.filter(entreprises_adherentes=entreprise),
            "ecoles_formees": ecoles.filter(organismes_formation=entreprise),
            "appartenances": entreprise.appartenances.select_related("user").order_by(
                "-active", "user__last_name", "user__first_name", "pk"
            ),
        },
    )


MESSAGES_COMPTE = {
    Issue.COMPTE_CREE: (
        messages.SUCCESS,
        "Le compte de {user} est créé. Le courriel qui lui permet de choisir son mot de passe "
        "part dans quelques instants.",
    ),
    Issue.APPARTENANCE_AJOUTEE: (
        messages.SUCCESS,
        "{user} avait déjà un compte partenaire : il ou elle accède désormais à {entreprise}. "
        "Le courriel qui l'en informe part dans quelques instants.",
    ),
    Issue.APPARTENANCE_REACTIVEE: (
        messages.SUCCESS,
        "L'accès de {user} à {entreprise} est réactivé. "
        "Le courriel qui l'en informe part dans quelques instants.",
    ),
    Issue.DEJA_MEMBRE: (
        messages.INFO,
        "{user} a déjà un accès actif à {entreprise} : rien n'a changé.",
    ),
}


@equipe_required
@require_http_methods(["GET", "POST"])
def creer_compte(request, pk):
    entreprise = get_object_or_404(Entreprise, pk=pk)
    form = ComptePartenaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            compte = ouvrir_compte_partenaire(
                entreprise=entreprise,
                prenom=form.cleaned_data["prenom"],
                nom=form.cleaned_data["nom"],
                email=form.cleaned_data["email"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            level, message = MESSAGES_COMPTE[compte.issue]
            messages.add_message(
                request, level, message.format(user=compte.user, entreprise=entreprise.nom)
            )
            return redirect("entreprises:detail", entreprise.pk)
    return render(
        request, "entreprises/creer_compte.html", {"entreprise": entreprise, "form": form}
    )


@equipe_required
@require_http_methods(["GET", "POST"])
def desactiver_appartenance(request, pk):
    appartenance = get_object_or_404(
        Appartenance.objects.select_related("user", "entreprise"), pk=pk
    )
    if request.method == "POST":
        if appartenance.active:
            appartenance.desactiver()
            messages.success(
                request,
                f"L'accès {de(appartenance.user)} à {appartenance.entreprise.nom} est désactivé.",
            )
        else:
            messages.info(
                request,
                f"L'accès {de(appartenance.user)} à {appartenance.entreprise.nom} "
                f"était déjà désactivé.",
            )
        return redirect("entreprises:detail", appartenance.entreprise_id)
    return render(
        request, "entreprises/desactiver_appartenance.html", {"appartenance": appartenance}
    )


@equipe_required
@require_POST
def renvoyer_invitation(request, pk):
    """A new e-mail with a fresh link, for a partner whose first link has expired."""
    appartenance = get_object_or_404(
        Appartenance.objects.actives().select_related("user", "entreprise"), pk=pk
    )
    envoyer_acces(
        user=appartenance.user, entreprise=appartenance.entreprise, site_url=_site_url(request)
    )
    messages.success(
        request,
        f"Un nouveau courriel d'accès part dans quelques instants pour {appartenance.user.email}.",
    )
    return redirect("entreprises:detail", appartenance.entreprise_id)


def _editer_contact(request, contact):
    """The add and edit pages of a contact: the form, the service, back to the organisation."""
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_contact(form.instance)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Le contact {contact} est enregistré.")
            return redirect("entreprises:detail", contact.entreprise_id)
    return render(
        request,
        "entreprises/contact_form.html",
        {"entreprise": contact.entreprise, "contact": contact, "form": form},
    )


@equipe_required
@require_http_methods(["GET", "POST"])
def contact_ajouter(request, pk):
    entreprise = get_object_or_404(Entreprise, pk=pk)
    return _editer_contact(request, Contact(entreprise=entreprise))


@equipe_required
@require_http_methods(["GET", "POST"])
def contact_modifier(request, pk):
    contact = get_object_or_404(Contact.objects.select_related("entreprise"), pk=pk)
    return _editer_contact(request, contact)


def _site_url(request):
    return f"{request.scheme}://{request.get_host()}"
