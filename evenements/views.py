"""Staff pages of events, participants and immersions; the partner pages of hosted events."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from candidats.models import Candidat
from comptes.access import equipe_required, partenaire_required
from echanges import depot
from echanges.imports import FichierRefuse
from portail.pagination import paginate, paginate_borne
from portail.sorting import Sorting, hors_index

from . import services
from .filters import EvenementFilter, ImmersionFilter
from .forms import (
    EvenementForm,
    ImmersionForm,
    ImportPresencesForm,
    ParticipantCreationForm,
    PresencesForm,
    RechercheForm,
    ecoles_du_formulaire,
)
from .models import Evenement, Immersion, Participation

COLONNES = {
    "date": ["date", "heure_debut"],
    "titre": "titre",
    "type": "type",
    "lieu": "lieu",
}
COLONNES_IMMERSIONS = {
    "debut": "date_debut",
    "candidat": ["candidat__nom", "candidat__prenom"],
    "entreprise": "entreprise__nom",
    "resultat": "resultat",
}
PARTICIPANTS_PAR_PAGE = 50
CLE_IMPORT = "evenements:import_en_attente"
DEJA_ENVOYE = "Ce formulaire avait déjà été envoyé : rien n'a été créé deux fois."
DUREE_LONGUE = (
    "Cette immersion dure plus d'un mois : une PMSMP dure en principe un mois au plus "
    "(renouvelable une fois). Vérifiez les dates de la convention."
)


def evenements_de(request):
    return Evenement.objects.visibles_par(request.user)


def evenement_ou_404(request, pk):
    return get_object_or_404(evenements_de(request).avec_places_prises(), pk=pk)


# Events


@equipe_required
@require_GET
def liste(request):
    evenements = evenements_de(request).avec_places_prises().prefetch_related("ecoles")
    filtre = EvenementFilter(request.GET, queryset=evenements, request=request)
    sorting = Sorting(request, COLONNES, default="-date")
    page_obj = paginate_borne(request, sorting.apply(filtre.qs))
    context = {"filtre": filtre, "sorting": sorting, "page_obj": page_obj}
    return render(request, "evenements/liste.html", context)


@equipe_required
def creer(request):
    form = EvenementForm(
        request.POST if request.method == "POST" else None,
        ecoles=ecoles_du_formulaire(request.user),
        initial={"organisateur": "Alliance Emploi"},
    )
    if form.is_valid():
        evenement = form.save(commit=False)
        try:
            with transaction.atomic():
                evenement = services.creer_evenement(
                    evenement=evenement,
                    ecoles=form.cleaned_data["ecoles"],
                    entreprises_hotes=form.cleaned_data["entreprises_hotes"],
                    jeton=form.jeton_envoye(),
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"L'événement « {evenement.titre} » est créé.")
            return redirect("evenements:detail", pk=evenement.pk)
    return render(request, "evenements/form.html", {"form": form, "titre": "Nouvel événement"})


@equipe_required
def modifier(request, pk):
    evenement = evenement_ou_404(request, pk)
    titre = f"Modifier « {evenement.titre} »"
    form = EvenementForm(
        request.POST if request.method == "POST" else None,
        instance=evenement,
        ecoles=ecoles_du_formulaire(request.user, evenement),
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.modifier_evenement(
                    evenement=form.instance,
                    ecoles=form.cleaned_data["ecoles"],
                    entreprises_hotes=form.cleaned_data["entreprises_hotes"],
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "L'événement est modifié.")
            return redirect("evenements:detail", pk=pk)
    context = {"form": form, "titre": titre, "evenement": evenement}
    return render(request, "evenements/form.html", context)


def par_nom_du_participant():
    """An event's participants by name: its participations are read by the event's index,
    then sorted. On the bare name columns PostgreSQL walks the candidates' name index and
    looks up each candidate's participation, 52,000 of a million candidates for the first
    page of the largest event."""
    return [hors_index("candidat__nom").asc(), hors_index("candidat__prenom").asc(), "pk"]


@equipe_required
@require_GET
def detail(request, pk):
    evenement = get_object_or_404(
        evenements_de(request).avec_places_prises().prefetch_related("ecoles", "entreprises_hotes"),
        pk=pk,
    )
    participations = evenement.participations.select_related("candidat").order_by(
        *par_nom_du_participant()
    )
    page_obj = paginate(request, participations, per_page=PARTICIPANTS_PAR_PAGE)
    context = {"evenement": evenement, "page_obj": page_obj, "passe": passe(evenement)}
    return render(request, "evenements/detail.html", context)


def passe(evenement):
    return evenement.date <= timezone.localdate()


@equipe_required
def annuler(request, pk):
    evenement = evenement_ou_404(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            services.annuler_evenement(evenement=evenement)
        messages.success(request, f"L'événement « {evenement.titre} » est annulé.")
        return redirect("evenements:detail", pk=pk)
    return render(
        request, "evenements/confirmer.html", {"evenement": evenement, "action": "annuler"}
    )


@equipe_required
def supprimer(request, pk):
    evenement = evenement_ou_404(request, pk)
    if request.method == "POST":
        with transaction.atomic():
            services.supprimer_evenement(evenement=evenement)
        messages.success(request, f"L'événement « {evenement.titre} » est supprimé.")
        return redirect("evenements:liste")
    context = {"evenement": evenement, "action": "supprimer"}
    return render(request, "evenements/confirmer.html", context)


# Participants


@equipe_required
@require_GET
def choisir_participant(request, pk):
    evenement = evenement_ou_404(request, pk)
    form = RechercheForm(request.GET)
    recherche = form.cleaned_data["q"] if form.is_valid() else ""
    candidats = Candidat.objects.none()
    if recherche.strip():
        candidats = (
            Candidat.objects.visibles_par(request.user)
            .filter(anonymise_le__isnull=True)
            .exclude(pk__in=evenement.participations.values("candidat_id"))
            .recherche(recherche)
            .select_related("ecole_visee")
            .order_by("nom", "prenom", "pk")
        )
    context = {
        "evenement": evenement,
        "recherche": recherche,
        "page_obj": paginate_borne(request, candidats),
    }
    return render(request, "evenements/choisir_participant.html", context)


@equipe_required
@require_POST
def inscrire(request, pk, candidat_pk):
    evenement = evenement_ou_404(request, pk)
    candidat = get_object_or_404(Candidat.objects.visibles_par(request.user), pk=candidat_pk)
    try:
        with transaction.atomic():
            services.inscrire_participant(evenement=evenement, candidat=candidat)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("evenements:choisir_participant", pk=pk)
    messages.success(request, f"{candidat} est inscrit·e à « {evenement.titre} ».")
    return redirect("evenements:detail", pk=pk)


@equipe_required
def nouveau_participant(request, pk):
    evenement = evenement_ou_404(request, pk)
    candidats = Candidat.objects.visibles_par(request.user)
    form = ParticipantCreationForm(
        request.POST if request.method == "POST" else None,
        candidats=candidats,
        initial={"date_consentement": timezone.localdate()},
    )
    if request.method == "POST":
        jeton = form.jeton_envoye()
        if (
            jeton
            and Participation.objects.filter(
                evenement=evenement, candidat__jeton_creation=jeton
            ).exists()
        ):
            messages.info(request, DEJA_ENVOYE)
            return redirect("evenements:detail", pk=pk)
        if form.is_valid():
            try:
                with transaction.atomic():
                    participation = services.inscrire_nouveau_candidat(
                        evenement=evenement, candidat=form.save(commit=False), jeton=jeton
                    )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    f"Fiche créée et inscrite : {participation.candidat}.",
                )
                return redirect("evenements:detail", pk=pk)
    context = {"evenement": evenement, "form": form}
    return render(request, "evenements/nouveau_participant.html", context)


@equipe_required
def presences(request, pk):
    evenement = evenement_ou_404(request, pk)
    participations = list(
        evenement.participations.select_related("candidat").order_by(*par_nom_du_participant())
    )
    form = PresencesForm(
        request.POST if request.method == "POST" else None, participations=participations
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                modifiees = services.enregistrer_presences(
                    evenement=evenement, statuts=form.statuts()
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, f"Présences enregistrées ({len(modifiees)} statut(s) modifié(s))."
            )
            return redirect("evenements:detail", pk=pk)
    return render(request, "evenements/presences.html", {"evenement": evenement, "form": form})


@equipe_required
def import_presences(request, pk):
    evenement = evenement_ou_404(request, pk)
    form = ImportPresencesForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        evenement=evenement,
    )
    context = {"evenement": evenement, "form": form}
    if form.is_valid():
        analyse = form.analyse
        context["analyse"] = analyse
        if analyse.valide:
            ancien = request.session.get(CLE_IMPORT)
            if ancien:
                depot.oublier(ancien.get("jeton"))
            jeton = depot.deposer(form.contenu, user=request.user)
            request.session[CLE_IMPORT] = {"jeton": jeton, "evenement": evenement.pk}
            context["jeton"] = jeton
    return render(request, "evenements/import_presences.html", context)


@equipe_required
@require_POST
def import_presences_confirmer(request, pk):
    evenement = evenement_ou_404(request, pk)
    en_attente = request.session.get(CLE_IMPORT) or {}
    jeton = request.POST.get("jeton", "")[:100]
    if en_attente.get("jeton") != jeton or en_attente.get("evenement") != evenement.pk:
        contenu = None
    else:
        contenu = depot.retirer(jeton, user=request.user)
    request.session.pop(CLE_IMPORT, None)
    if contenu is None:
        messages.error(
            request, "Cette liste a déjà été importée ou a expiré : déposez-la à nouveau."
        )
        return redirect("evenements:import_presences", pk=pk)
    try:
        with transaction.atomic():
            modifiees, ajoutees = services.importer_presences(evenement=evenement, contenu=contenu)
    except (ValidationError, FichierRefuse) as error:
        texte = error.message if isinstance(error, FichierRefuse) else " ".join(error.messages)
        messages.error(request, f"Rien n'a été enregistré. {texte}")
        return redirect("evenements:import_presences", pk=pk)
    resume = f"Liste importée : {len(modifiees)} statut(s) modifié(s)"
    if ajoutees:
        resume += f", {len(ajoutees)} participant(s) ajouté(s) comme présent(s)"
    messages.success(request, f"{resume}.")
    return redirect("evenements:detail", pk=pk)


# Company immersions


def immersions_de(request):
    return Immersion.objects.visibles_par(request.user).select_related("candidat", "entreprise")


@equipe_required
@require_GET
def immersions(request):
    filtre = ImmersionFilter(request.GET, queryset=immersions_de(request), request=request)
    sorting = Sorting(request, COLONNES_IMMERSIONS, default="-debut")
    page_obj = paginate_borne(request, sorting.apply(filtre.qs))
    context = {"filtre": filtre, "sorting": sorting, "page_obj": page_obj}
    return render(request, "evenements/immersions.html", context)


@equipe_required
def immersion_creer(request, candidat_pk):
    candidat = get_object_or_404(
        Candidat.objects.visibles_par(request.user).filter(anonymise_le__isnull=True),
        pk=candidat_pk,
    )
    form = ImmersionForm(request.POST if request.method == "POST" else None)
    return editer_immersion(request, form, candidat, titre="Nouvelle immersion")


@equipe_required
def immersion_modifier(request, pk):
    immersion = get_object_or_404(immersions_de(request), pk=pk)
    form = ImmersionForm(request.POST if request.method == "POST" else None, instance=immersion)
    return editer_immersion(request, form, immersion.candidat, titre="Modifier l'immersion")


def editer_immersion(request, form, candidat, titre):
    if form.is_valid():
        immersion = form.save(commit=False)
        immersion.candidat = candidat
        try:
            with transaction.atomic():
                immersion = services.enregistrer_immersion(
                    immersion=immersion, jeton=form.jeton_envoye()
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Immersion enregistrée pour {candidat}.")
            if immersion.depasse_un_mois:
                messages.warning(request, DUREE_LONGUE)
            if immersion.est_concluante and candidat.statut not in (
                Candidat.Statut.PRESELECTIONNE,
                Candidat.Statut.RETENU,
            ):
                return redirect("evenements:preselectionner", pk=immersion.pk)
            return redirect("candidats:detail", pk=candidat.pk)
    context = {
        "form": form,
        "candidat": candidat,
        "titre": titre,
        "duree_longue": form.is_bound and form.instance.depasse_un_mois,
    }
    return render(request, "evenements/immersion_form.html", context)


@equipe_required
def preselectionner(request, pk):
    immersion = get_object_or_404(immersions_de(request), pk=pk)
    if request.method == "POST":
        try:
            with transaction.atomic():
                candidat = services.preselectionner(immersion=immersion, auteur=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{candidat} est présélectionné·e.")
        return redirect("candidats:detail", pk=immersion.candidat_id)
    return render(request, "evenements/preselectionner.html", {"immersion": immersion})


# Partner pages: the events their organisations host, with the participants' names only.


@partenaire_required
@require_GET
def accueillis(request):
    evenements = (
        evenements_de(request)
        .avec_places_prises()
        .prefetch_related("entreprises_hotes")
        .order_by("-date", "titre", "pk")
    )
    return render(
        request, "evenements/accueillis.html", {"page_obj": paginate(request, evenements)}
    )


@partenaire_required
@require_GET
def accueilli(request, pk):
    evenement = get_object_or_404(
        evenements_de(request).avec_places_prises().prefetch_related("entreprises_hotes"), pk=pk
    )
    participations = (
        evenement.participations.select_related("candidat")
        .only("evenement_id", "statut", "candidat__nom", "candidat__prenom")
        .order_by(*par_nom_du_participant())
    )
    page_obj = paginate(request, participations, per_page=PARTICIPANTS_PAR_PAGE)
    return render(
        request, "evenements/accueilli.html", {"evenement": evenement, "page_obj": page_obj}
    )
