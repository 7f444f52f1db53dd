"""Hiring needs: a member company's partners state theirs, staff validate them and assign
them to cohorts, and the planning view per school sets them against seats and candidates.

What a user may reach is decided by `Besoin.objects.visibles_par` and
`Ecole.objects.visibles_par`: another company's need is a 404. These pages know no
candidate's personal data: the figures are counts.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agenda.models import JetonCalendrier
from comptes.access import equipe_required, partenaire_required
from ecoles.models import Ecole
from entreprises.models import Entreprise
from evenements.models import Evenement
from parcours.models import Cohorte
from portail.pagination import paginate_borne
from portail.sorting import Sorting

from . import services
from .filters import BesoinFilter
from .forms import AffectationForm, BesoinCreationForm, BesoinForm
from .models import AffectationBesoin, Besoin, entreprises_du_partenaire
from .planification import planifier

COLONNES = {
    "metier": ["metier", "entreprise__nom"],
    "entreprise": ["entreprise__nom", "mois_embauche"],
    "ecole": ["ecole__ville", "ecole__nom", "mois_embauche"],
    "postes": "postes",
    "mois": ["mois_embauche", "entreprise__nom"],
    "etat": ["etat", "mois_embauche"],
    "maj": "etat_modifie_le",
}
DEJA_ENVOYE = "Ce formulaire avait déjà été envoyé : le besoin n'a pas été enregistré deux fois."


def equipe_ou_partenaire(view):
    """Pages for staff and partners alike; what each sees is scoped by the querysets."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_equipe or request.user.is_partenaire):
            raise PermissionDenied("Cette page est réservée à l'équipe et aux partenaires.")
        return view(request, *args, **kwargs)

    return wrapper


def besoins_visibles(request):
    return Besoin.objects.visibles_par(request.user)


def entreprises_qui_ecrivent(user):
    """The member companies `user` may state needs for: all for staff, their own for a
    partner."""
    entreprises = Entreprise.objects.filter(type=Entreprise.Type.ADHERENTE).order_by("nom")
    if user.is_equipe:
        return entreprises
    return entreprises.filter(pk__in=entreprises_du_partenaire(user))


def _liste(request, template):
    besoins = besoins_visibles(request).select_related("entreprise", "ecole")
    filtre = BesoinFilter(request.GET, queryset=besoins, request=request)
    sorting = Sorting(request, COLONNES, default="mois")
    page_obj = paginate_borne(request, sorting.apply(filtre.qs))
    return render(request, template, {"filtre": filtre, "sorting": sorting, "page_obj": page_obj})


@equipe_required
@require_GET
def liste(request):
    return _liste(request, "besoins/liste.html")


@partenaire_required
@require_GET
def mes_besoins(request):
    return _liste(request, "besoins/mes_besoins.html")


def retour_liste(request):
    return "besoins:liste" if request.user.is_equipe else "besoins:mes_besoins"


@equipe_ou_partenaire
def creer(request):
    entreprises = entreprises_qui_ecrivent(request.user)
    ecoles = (
        Ecole.objects.visibles_par(request.user)
        .filter(active=True, entreprises_adherentes__in=entreprises)
        .distinct()
        .order_by("ville", "nom")
    )
    form = BesoinCreationForm(
        request.POST if request.method == "POST" else None,
        entreprises=entreprises,
        ecoles=ecoles,
        initial={"ecole": request.GET.get("ecole")}
        if request.GET.get("ecole", "").isdigit()
        else None,
    )
    if request.method == "POST":
        deja = services.besoin_du_jeton(form.jeton_envoye())
        if deja is not None and besoins_visibles(request).filter(pk=deja.pk).exists():
            messages.info(request, DEJA_ENVOYE)
            return redirect("besoins:detail", pk=deja.pk)
    if form.is_valid():
        donnees = dict(form.cleaned_data)
        jeton = donnees.pop("jeton") or None
        try:
            besoin, cree = services.exprimer_besoin(auteur=request.user, jeton=jeton, **donnees)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            if cree:
                messages.success(request, f"Le besoin « {besoin.metier} » est enregistré.")
            else:
                messages.info(request, DEJA_ENVOYE)
            return redirect("besoins:detail", pk=besoin.pk)
    return render(
        request,
        "besoins/form.html",
        {
            "form": form,
            "titre": "Nouveau besoin de recrutement",
            "sans_entreprise": not entreprises,
        },
    )


def besoin_de(request, pk):
    return get_object_or_404(besoins_visibles(request).select_related("entreprise", "ecole"), pk=pk)


@equipe_ou_partenaire
@require_GET
def detail(request, pk):
    besoin = besoin_de(request, pk)
    affectations = besoin.affectations.select_related("cohorte").order_by(
        "cohorte__date_debut", "pk"
    )
    historique = besoin.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "besoins/detail.html",
        {
            "besoin": besoin,
            "affectations": affectations,
            "postes_affectes": sum(a.postes for a in affectations),
            "historique": historique,
        },
    )


@equipe_ou_partenaire
def modifier(request, pk):
    besoin = besoin_de(request, pk)
    if not besoin.modifiable:
        messages.error(
            request,
            f"Ce besoin est {besoin.get_etat_display().lower()} : il n'est plus modifiable.",
        )
        return redirect("besoins:detail", pk=besoin.pk)
    initial = {
        "metier": besoin.metier,
        "filiere": besoin.filiere,
        "postes": besoin.postes,
        "contrat": besoin.contrat,
        "mois_embauche": besoin.mois_embauche,
        "site": besoin.site,
    }
    form = BesoinForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.modifier_besoin(besoin=besoin, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "Le besoin est modifié.")
            return redirect("besoins:detail", pk=besoin.pk)
    return render(
        request,
        "besoins/form.html",
        {"form": form, "besoin": besoin, "titre": f"Modifier le besoin — {besoin.metier}"},
    )


@equipe_ou_partenaire
def annuler(request, pk):
    besoin = besoin_de(request, pk)
    erreur = None
    if request.method == "POST":
        try:
            services.annuler_besoin(besoin=besoin)
        except ValidationError as error:
            erreur = " ".join(error.messages)
        else:
            messages.success(request, f"Le besoin « {besoin.metier} » est annulé.")
            return redirect("besoins:detail", pk=besoin.pk)
    return render(request, "besoins/annuler.html", {"besoin": besoin, "erreur": erreur})


@equipe_required
@require_POST
def valider(request, pk):
    besoin = besoin_de(request, pk)
    try:
        services.valider_besoin(besoin=besoin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Le besoin « {besoin.metier} » est validé.")
    return redirect("besoins:detail", pk=besoin.pk)


@equipe_required
def affecter(request, pk):
    besoin = besoin_de(request, pk)
    cohortes = (
        Cohorte.objects.visibles_par(request.user)
        .filter(parcours__ecole=besoin.ecole_id, date_fin__gte=timezone.localdate())
        .annotate(places_affectees=Sum("affectations_besoins__postes"))
        .order_by("date_fin", "nom")
    )
    form = AffectationForm(request.POST if request.method == "POST" else None, cohortes=cohortes)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.affecter_cohorte(besoin=besoin, **form.cleaned_data)
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['postes']} poste(s) affecté(s) à la cohorte "
                f"« {form.cleaned_data['cohorte'].nom} ».",
            )
            return redirect("besoins:detail", pk=besoin.pk)
    return render(request, "besoins/affecter.html", {"besoin": besoin, "form": form})


@equipe_required
@require_POST
def retirer_affectation(request, pk):
    affectation = get_object_or_404(
        AffectationBesoin.objects.filter(besoin__in=besoins_visibles(request)), pk=pk
    )
    services.retirer_affectation(affectation=affectation)
    messages.success(request, "L'affectation est retirée : ses places sont rendues à la cohorte.")
    return redirect("besoins:detail", pk=affectation.besoin_id)


@equipe_ou_partenaire
@require_GET
def planification_ecoles(request):
    ecoles = (
        Ecole.objects.visibles_par(request.user)
        .annotate(
            besoins_a_pourvoir=Count(
                "besoins",
                filter=Q(besoins__in=besoins_visibles(request).a_pourvoir()),
            ),
            postes_a_pourvoir=Sum(
                "besoins__postes",
                filter=Q(besoins__in=besoins_visibles(request).a_pourvoir()),
            ),
        )
        .order_by("ville", "nom")
    )
    return render(request, "besoins/planification_ecoles.html", {"ecoles": ecoles})


@equipe_ou_partenaire
@require_GET
def planification(request, pk):
    ecole = get_object_or_404(Ecole.objects.visibles_par(request.user), pk=pk)
    today = timezone.localdate()
    plan = planifier(ecole, besoins_visibles(request), today)
    return render(
        request,
        "besoins/planification.html",
        {"plan": plan, "ecole": ecole, "equipe": request.user.is_equipe, "today": today},
    )


def _total(queryset, fonction="COUNT", champ="pk"):
    """One figure of the school as a one-row subquery (a plain COUNT or SUM, no GROUP BY):
    the figures of the school page never multiply each other's rows."""
    total = Func(F(champ), function=fonction, output_field=IntegerField())
    return Coalesce(Subquery(queryset.order_by().annotate(total=total).values("total")), 0)


@equipe_required
@require_GET
def ecole(request, pk):
    """The staff's page of a school: where its planning, needs, events and calendar feeds
    are reached."""
    a_pourvoir = Besoin.objects.a_pourvoir().filter(ecole=OuterRef("pk"))
    ecoles = Ecole.objects.visibles_par(request.user).annotate(
        besoins_a_pourvoir=_total(a_pourvoir),
        postes_a_pourvoir=_total(a_pourvoir, "SUM", "postes"),
        evenements_a_venir=_total(
            Evenement.objects.filter(
                ecoles=OuterRef("pk"), date__gte=timezone.localdate(), annule_le__isnull=True
            )
        ),
        calendriers_actifs=_total(
            JetonCalendrier.objects.filter(ecole=OuterRef("pk"), revoque_le__isnull=True)
        ),
    )
    return render(request, "besoins/ecole.html", {"ecole": get_object_or_404(ecoles, pk=pk)})
