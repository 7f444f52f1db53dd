"""Attendance entry: a cohort's week grid, one half-day on the room's tablet.

Staff and partners share these pages; what a partner may open is `cohortes_saisissables_par`
and which cells they fill is `droits_de_saisie`: anything else is a 404. A partner page
knows a trainee by name only (`only()`: no contact details are fetched).
"""

import dataclasses
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes.access import equipe_required
from parcours.models import Cohorte
from portail.pagination import paginate

from . import services
from .forms import PresencesForm, avec_tous_presents
from .models import Creneau, Moment, Presence
from .services import en_formation_le, lundi_de

UNE_SEMAINE = datetime.timedelta(weeks=1)
COLONNES_DU_STAGIAIRE = [
    "pk",
    "date_entree",
    "cohorte_id",
    "candidat__nom",
    "candidat__prenom",
    "sortie__date_sortie",
]


def ordre_des_creneaux(creneau):
    return (creneau.date, 0 if creneau.moment == Moment.MATIN else 1)


def semaine_demandee(request, cohorte):
    """The Monday of the week asked for (`?semaine=`), else of today, within the cohort."""
    premiere, derniere = lundi_de(cohorte.date_debut), lundi_de(cohorte.date_fin)
    try:
        lundi = lundi_de(datetime.date.fromisoformat(request.GET.get("semaine", "")))
    except ValueError:
        lundi = lundi_de(timezone.localdate())
    return min(max(lundi, premiere), derniere)


@dataclasses.dataclass
class Cellule:
    creneau: Creneau
    presence: Presence | None
    en_formation: bool
    champs: tuple | None

    @property
    def affichage(self):
        if not self.en_formation:
            return "Non concerné"
        return self.presence.get_statut_display() if self.presence else ""


def stagiaires_de_la_periode(cohorte, debut, fin, droits):
    """The trainees of `cohorte` in training at some point from `debut` to `fin` whose row
    `droits` shows, by name."""
    inscriptions = (
        cohorte.inscriptions.filter(date_entree__lte=fin)
        .exclude(sortie__date_sortie__lt=debut)
        .select_related("candidat", "sortie")
        .only(*COLONNES_DU_STAGIAIRE)
        .order_by("candidat__nom", "candidat__prenom", "pk")
    )
    lignes = []
    for inscription in inscriptions:
        if droits.voit_la_ligne(inscription.pk):
            inscription.cohorte = cohorte
            lignes.append(inscription)
    return lignes


def cellules_saisissables(lignes, creneaux, presences, droits):
    return [
        (inscription, creneau, presences.get((inscription.pk, creneau.pk)))
        for inscription in lignes
        for creneau in creneaux
        if en_formation_le(inscription, creneau.date)
        and droits.peut_saisir(creneau, inscription.pk)
    ]


def enregistrer(request, cohorte, form, verrouillee):
    """Save a valid form through the service; False (with the errors on the form) if it
    refuses."""
    try:
        resultat = services.enregistrer_presences(
            cohorte=cohorte,
            saisies=form.saisies,
            par=request.user,
            motif_correction=form.cleaned_data.get("motif_correction", ""),
        )
    except services.SaisieInterdite as error:
        raise Http404(str(error)) from error
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for champ, erreurs in error.error_dict.items():
                form.add_error(champ if champ in form.fields else None, erreurs)
        else:
            form.add_error(None, error)
        return False
    messages.success(
        request,
        f"Présences enregistrées : {resultat.crees} saisie(s), {resultat.modifies} "
        f"modification(s).",
    )
    return True


@login_required
def grille(request, pk):
    cohorte = get_object_or_404(
        services.cohortes_saisissables_par(request.user).select_related("parcours__ecole"), pk=pk
    )
    droits = services.droits_de_saisie(request.user, cohorte)
    if droits.aucun:
        raise Http404("Aucune présence de cette cohorte n'est à saisir par votre organisation.")
    lundi = semaine_demandee(request, cohorte)
    vendredi = lundi + datetime.timedelta(days=4)
    creneaux = sorted(
        Creneau.objects.filter(cohorte=cohorte, date__range=(lundi, vendredi)),
        key=ordre_des_creneaux,
    )
    # A page of trainees at a time: a cohort of the usual size fits on one, a very large
    # one is not rendered whole (ten cells of three fields per trainee). "Tous présents"
    # and the save act on the page shown.
    page = paginate(request, stagiaires_de_la_periode(cohorte, lundi, vendredi, droits))
    lignes = page.object_list
    presences = {
        (presence.inscription_id, presence.creneau_id): presence
        for presence in Presence.objects.filter(
            creneau__in=[creneau.pk for creneau in creneaux],
            inscription__in=[inscription.pk for inscription in lignes],
        )
    }
    verrouillee = services.semaine_verrouillee(cohorte, lundi)
    cellules = cellules_saisissables(lignes, creneaux, presences, droits)
    url = f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={lundi:%Y-%m-%d}"
    if page.number > 1:
        url += f"&page={page.number}"

    if request.method == "POST":
        data = request.POST
        if request.POST.get("tous_presents"):
            data = avec_tous_presents(data, request.POST["tous_presents"], cellules)
        form = PresencesForm(data, cellules=cellules)
        if form.is_valid() and enregistrer(request, cohorte, form, verrouillee):
            return redirect(url)
    else:
        form = PresencesForm(cellules=cellules)

    rangees = [
        {
            "inscription": inscription,
            "cellules": [
                Cellule(
                    creneau=creneau,
                    presence=presences.get((inscription.pk, creneau.pk)),
                    en_formation=en_formation_le(inscription, creneau.date),
                    champs=form.champs_de(inscription.pk, creneau.pk),
                )
                for creneau in creneaux
            ],
        }
        for inscription in lignes
    ]
    colonnes = [
        {"creneau": creneau, "saisissable": any(c[1] is creneau for c in cellules)}
        for creneau in creneaux
    ]
    return render(
        request,
        "presences/grille.html",
        {
            "cohorte": cohorte,
            "lundi": lundi,
            "vendredi": vendredi,
            "precedente": lundi - UNE_SEMAINE if lundi > lundi_de(cohorte.date_debut) else None,
            "suivante": lundi + UNE_SEMAINE if lundi < lundi_de(cohorte.date_fin) else None,
            "colonnes": colonnes,
            "rangees": rangees,
            "page_obj": page,
            "form": form,
            "saisissable": bool(cellules),
            "verrouillee": verrouillee,
            "equipe": request.user.is_equipe,
        },
    )


@login_required
def creneau(request, pk):
    """One half-day for the trainer at the room's tablet: big buttons, one save."""
    creneau = get_object_or_404(
        Creneau.objects.filter(
            cohorte__in=services.cohortes_saisissables_par(request.user)
        ).select_related("cohorte__parcours__ecole"),
        pk=pk,
    )
    cohorte = creneau.cohorte
    droits = services.droits_de_saisie(request.user, cohorte)
    if not droits.peut_saisir_le_creneau(creneau):
        raise Http404("Cette demi-journée n'est pas à saisir par votre organisation.")
    lignes = [
        inscription
        for inscription in stagiaires_de_la_periode(cohorte, creneau.date, creneau.date, droits)
        if en_formation_le(inscription, creneau.date)
        and droits.peut_saisir(creneau, inscription.pk)
    ]
    presences = {
        presence.inscription_id: presence
        for presence in Presence.objects.filter(
            creneau=creneau, inscription__in=[inscription.pk for inscription in lignes]
        )
    }
    cellules = [(inscription, creneau, presences.get(inscription.pk)) for inscription in lignes]
    verrouillee = services.semaine_verrouillee(cohorte, creneau.date)
    if request.method == "POST":
        form = PresencesForm(request.POST, cellules=cellules, tactile=True)
        if form.is_valid() and enregistrer(request, cohorte, form, verrouillee):
            return redirect("presences:creneau", pk=creneau.pk)
    else:
        form = PresencesForm(cellules=cellules, tactile=True)
    rangees = [
        {"inscription": inscription, "champs": form.champs_de(inscription.pk, creneau.pk)}
        for inscription in lignes
    ]
    return render(
        request,
        "presences/creneau.html",
        {
            "cohorte": cohorte,
            "creneau": creneau,
            "rangees": rangees,
            "form": form,
            "verrouillee": verrouillee,
            "lundi": lundi_de(creneau.date),
        },
    )


@equipe_required
@require_POST
def regenerer(request, pk):
    cohorte = get_object_or_404(Cohorte.objects.visibles_par(request.user), pk=pk)
    rapport = services.generer_creneaux(cohorte)
    messages.success(
        request,
        f"Demi-journées recalculées : {rapport.crees} créée(s), {rapport.modifies} "
        f"déplacée(s), {rapport.supprimes} supprimée(s).",
    )
    for message in rapport.messages:
        messages.warning(request, message)
    return redirect("parcours:cohorte_calendrier", pk=cohorte.pk)
