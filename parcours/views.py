"""Staff pages: cohorts, enrollments, monthly check-ins and exits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    ExpressionWrapper,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from comptes.access import equipe_required
from enquetes.services import annonce_des_enquetes
from portail.francais import de
from portail.liens import url_de_retour
from portail.pagination import compte_borne, paginate, paginate_borne
from portail.sorting import Sorting

from . import services
from .calendrier import jours_feries, jours_ouvres
from .dates import add_months, first_of_month, nom_du_mois
from .dispositifs import contrat_vise, ecarts_au_dispositif, volume_du_calendrier
from .filters import CohorteFilter, StagesSansEntrepriseFilter, SuiviDuMoisFilter
from .forms import (
    CohorteCreationForm,
    CohorteForm,
    InscriptionForm,
    MoisForm,
    PhaseFormSet,
    RechercheCandidatForm,
    SortieForm,
    StagesForm,
    SuiviForm,
    suivi_existant_message,
)
from .models import (
    Cohorte,
    Inscription,
    Parcours,
    Suivi,
    TypePhase,
    dernier_mois_echu,
    etape_du_stagiaire,
    suivi_en_retard,
)

COLONNES_COHORTES = {
    "nom": "nom",
    "ecole": ["parcours__ecole__ville", "parcours__ecole__nom"],
    "debut": "date_debut",
    "fin": "date_fin",
}
FRISE_LARGEUR = 1000
# A cohort page lists its trainees by pages: the largest cohorts have a few hundred.
STAGIAIRES_PAR_PAGE = 50


def mois_demande(request):
    """The month of `?mois=YYYY-MM`, the current one when absent, garbled or far-fetched."""
    form = MoisForm(request.GET)
    if form.is_valid() and form.cleaned_data["mois"]:
        return form.cleaned_data["mois"]
    return first_of_month(timezone.localdate())


def frise(cohorte, today):
    """Abscissas, in an SVG `FRISE_LARGEUR` wide, of each phase and of today's marker.

    Numbers are formatted here: the French locale would print them with a comma.
    """
    phases = list(cohorte.phases.all())
    debut = min([cohorte.date_debut, *(phase.date_debut for phase in phases)])
    fin = max([cohorte.date_fin, *(phase.date_fin for phase in phases)])
    jour = FRISE_LARGEUR / ((fin - debut).days + 1)

    def abscisse(day):
        return (day - debut).days * jour

    segments = [
        {
            "phase": phase,
            "x": f"{abscisse(phase.date_debut):.1f}",
            "largeur": f"{((phase.date_fin - phase.date_debut).days + 1) * jour:.1f}",
        }
        for phase in phases
    ]
    aujourdhui = None
    if debut <= today <= fin:
        aujourdhui = f"{abscisse(today) + jour / 2:.1f}"
    return {"largeur": FRISE_LARGEUR, "segments": segments, "aujourdhui": aujourdhui}


@equipe_required
def cohortes(request):
    cohortes = (
        Cohorte.objects.visibles_par(request.user)
        .avec_nb_inscrits()
        .select_related("parcours__ecole")
        .prefetch_related("phases")
    )
    filtre = CohorteFilter(request.GET, queryset=cohortes, request=request)
    sorting = Sorting(request, COLONNES_COHORTES, default="-debut")
    page = paginate_borne(request, sorting.apply(filtre.qs))
    return render(
        request,
        "parcours/cohortes.html",
        {"filtre": filtre, "sorting": sorting, "page_obj": page},
    )


@equipe_required
def cohorte(request, pk):
    cohorte = get_object_or_404(
        Cohorte.objects.visibles_par(request.user)
        .avec_nb_inscrits()
        .select_related("parcours__ecole", "dispositif")
        .prefetch_related("phases"),
        pk=pk,
    )
    today = timezone.localdate()
    inscriptions = (
        cohorte.inscriptions.select_related("candidat", "sortie")
        .avec_dernier_suivi()
        .avec_suivi_en_retard(today)
        .avec_stage_du_moment(today)
        .avec_phase_du_jour(today)
        .order_by("candidat__nom", "candidat__prenom", "pk")
    )
    page = paginate(request, inscriptions, per_page=STAGIAIRES_PAR_PAGE)
    for inscription in page:
        sortie = inscription.sortie_enregistree
        inscription.etape = etape_du_stagiaire(
            date_entree=inscription.date_entree,
            date_sortie=sortie.date_sortie if sortie else None,
            cohorte_fin=cohorte.date_fin,
            phase=inscription.phase_du_jour,
            day=today,
        )
    return render(
        request,
        "parcours/cohorte.html",
        {
            "cohorte": cohorte,
            "frise": frise(cohorte, today),
            "phase_du_jour": cohorte.phase_du_jour(today),
            "page_obj": page,
            "mois_echu": dernier_mois_echu(today),
            "ouverte": cohorte.accepte_des_inscriptions(today),
            "stages_a_affecter": cohorte.inscriptions.sans_entreprise_de_stage(today).count(),
            "volume": volume_du_calendrier(cohorte),
            "contrat_vise": contrat_vise(cohorte.dispositif) if cohorte.dispositif else "",
            "ecarts_au_dispositif": ecarts_au_dispositif(cohorte),
        },
    )


@equipe_required
def cohorte_creer(request):
    parcours = (
        Parcours.objects.visibles_par(request.user)
        .filter(actif=True, ecole__active=True)
        .select_related("ecole")
        .order_by("ecole__ville", "ecole__nom", "nom")
    )
    form = CohorteCreationForm(
        request.POST if request.method == "POST" else None,
        parcours=parcours,
        initial={"places": 12},
    )
    apercu = None
    if form.is_valid():
        choisi = form.cleaned_data["parcours"]
        debut = form.cleaned_data["date_debut"]
        if "creer" in request.POST:
            try:
                with transaction.atomic():
                    cohorte = services.creer_cohorte(
                        parcours=choisi,
                        date_debut=debut,
                        places=form.cleaned_data["places"],
                        nom=form.cleaned_data["nom"],
                        **form.reglages(),
                    )
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                messages.success(request, f"La cohorte « {cohorte} » est créée.")
                return redirect("parcours:cohorte", pk=cohorte.pk)
        apercu = apercu_du_calendrier(services.calendrier_du_parcours(choisi, debut))
        apercu["nom_propose"] = form.cleaned_data.get("nom") or services.proposer_nom(choisi, debut)
    return render(request, "parcours/cohorte_creer.html", {"form": form, "apercu": apercu})


def apercu_du_calendrier(phases):
    """The phases with their working days, and the public holidays they hold."""
    if not phases:
        return {"phases": [], "feries": [], "jours_ouvres": 0}
    lignes = [
        {"phase": phase, "jours_ouvres": jours_ouvres(phase.date_debut, phase.date_fin)}
        for phase in phases
    ]
    return {
        "phases": lignes,
        "feries": jours_feries(phases[0].date_debut, phases[-1].date_fin),
        "jours_ouvres": sum(ligne["jours_ouvres"] for ligne in lignes),
        "date_fin": phases[-1].date_fin,
    }


def cohorte_modifiable(request, pk):
    return get_object_or_404(
        Cohorte.objects.visibles_par(request.user).select_related("parcours__ecole", "dispositif"),
        pk=pk,
    )


@equipe_required
def cohorte_modifier(request, pk):
    cohorte = cohorte_modifiable(request, pk)
    form = CohorteForm(
        request.POST if request.method == "POST" else None,
        initial={
            name: getattr(cohorte, name)
            for name in ["nom", "places", *services.REGLAGES_DE_COHORTE]
        },
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.modifier_cohorte(
                    cohorte=cohorte,
                    nom=form.cleaned_data["nom"],
                    places=form.cleaned_data["places"],
                    **form.reglages(),
                )
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, "La cohorte est modifiée.")
            return redirect("parcours:cohorte", pk=cohorte.pk)
    return render(request, "parcours/cohorte_modifier.html", {"cohorte": cohorte, "form": form})


@equipe_required
def cohorte_calendrier(request, pk):
    cohorte = cohorte_modifiable(request, pk)
    phases = list(cohorte.phases.order_by("ordre"))
    formset = PhaseFormSet(
        request.POST if request.method == "POST" else None,
        initial=[
            {
                "phase": phase.pk,
                "intitule": phase.intitule,
                "type": phase.type,
                "date_debut": phase.date_debut,
                "date_fin": phase.date_fin,
            }
            for phase in phases
        ],
        phases_existantes=[phase.pk for phase in phases],
        prefix="phases",
    )
    erreurs = []
    if formset.is_valid():
        try:
            with transaction.atomic():
                services.planifier_calendrier(cohorte=cohorte, phases=formset.phases_planifiees())
        except ValidationError as error:
            erreurs = error.messages
        else:
            messages.success(request, "Le calendrier de la cohorte est enregistré.")
            return redirect("parcours:cohorte", pk=cohorte.pk)
    return render(
        request,
        "parcours/cohorte_calendrier.html",
        {
            "cohorte": cohorte,
            "formset": formset,
            "erreurs": erreurs,
            "apercu": apercu_du_calendrier(phases),
        },
    )


@equipe_required
def stages(request, pk):
    inscription = get_object_or_404(
        Inscription.objects.visibles_par(request.user).select_related(
            "candidat", "cohorte__parcours__ecole", "sortie"
        ),
        pk=pk,
    )
    retour = url_de_retour(request, reverse("parcours:cohorte", args=[inscription.cohorte_id]))
    form = StagesForm(
        request.POST if request.method == "POST" else None,
        inscription=inscription,
        phases_de_stage=list(
            inscription.cohorte.phases.filter(type=TypePhase.STAGE).order_by("ordre")
        ),
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.definir_stages(
                    inscription=inscription,
                    entreprises_de_stage=form.entreprises_choisies(),
                    conventions=form.conventions(),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Stages {de(inscription.candidat)} enregistrés.")
            return redirect(retour)
    return render(
        request,
        "parcours/stages.html",
        {"inscription": inscription, "form": form, "retour": retour},
    )


@equipe_required
def stages_sans_entreprise(request):
    today = timezone.localdate()
    lignes = (
        Inscription.objects.visibles_par(request.user)
        .sans_entreprise_de_stage(today)
        .select_related("candidat", "cohorte__parcours__ecole")
        .order_by("phase_debut", "cohorte__nom", "candidat__nom", "candidat__prenom", "pk")
    )
    filtre = StagesSansEntrepriseFilter(request.GET, queryset=lignes, request=request)
    return render(
        request,
        "parcours/stages_sans_entreprise.html",
        {"filtre": filtre, "page_obj": paginate(request, filtre.qs), "today": today},
    )


# The statuses offered by default in the enrollment picker: descending, their codes put
# "retenu" before "présélectionné" before "à contacter", the order the index serves.
STATUTS_PROPOSES = [
    Candidat.Statut.RETENU,
    Candidat.Statut.PRESELECTIONNE,
    Candidat.Statut.A_CONTACTER,
]


def entree_proposee(cohorte, today):
    """The entry date the enrollment form proposes: today in a running cohort."""
    return max(today, cohorte.date_debut)


@equipe_required
def choisir_candidat(request, pk):
    cohorte = get_object_or_404(
        Cohorte.objects.visibles_par(request.user)
        .avec_nb_inscrits()
        .select_related("parcours__ecole"),
        pk=pk,
    )
    today = timezone.localdate()
    form = RechercheCandidatForm(request.GET)
    recherche = form.cleaned_data["q"] if form.is_valid() else ""
    candidats = (
        Candidat.objects.visibles_par(request.user)
        .filter(anonymise_le__isnull=True)
        .exclude(inscriptions__cohorte=cohorte)
        .select_related("ecole_visee")
    )
    if recherche:
        # Only the matches are sorted on this expression, never the whole candidate table.
        candidats = (
            candidats.recherche(recherche)
            .annotate(
                hors_ecole=Case(
                    When(ecole_visee=cohorte.parcours.ecole_id, then=Value(0)), default=Value(1)
                )
            )
            .order_by("hors_ecole", "nom", "prenom", "id")
        )
    else:
        # Searching first: without a search, the school's own pipeline, read in the order
        # of `candidat_ecole_statut_idx`.
        candidats = candidats.filter(
            ecole_visee=cohorte.parcours.ecole_id, statut__in=STATUTS_PROPOSES
        ).order_by("-statut", "nom", "prenom", "id")
    # A two-letter search matches a good share of a million candidates: the count and the
    # last page stop at the bound, the search narrows past it.
    page = paginate_borne(request, candidats)
    entree = entree_proposee(cohorte, today)
    engagements = {}
    for inscription in (
        services.engagements_en_cours_ou_a_venir([candidat.pk for candidat in page], today)
        .exclude(cohorte=cohorte)
        .annotate(
            chevauche=ExpressionWrapper(
                services.chevauchement_filter(entree, cohorte.date_fin),
                output_field=BooleanField(),
            )
        )
    ):
        inscription.en_clair = services.occupation(inscription, today)
        engagements.setdefault(inscription.candidat_id, []).append(inscription)
    for candidat in page:
        candidat.engagements = engagements.get(candidat.pk, [])
        candidat.conflit = next(
            (inscription for inscription in candidat.engagements if inscription.chevauche), None
        )
    return render(
        request,
        "parcours/choisir_candidat.html",
        {
            "cohorte": cohorte,
            "ouverte": cohorte.accepte_des_inscriptions(today),
            "recherche": recherche,
            "recherche_form": form,
            "page_obj": page,
        },
    )


@equipe_required
def choisir_cohorte(request, candidat_pk):
    candidat = get_object_or_404(
        Candidat.objects.visibles_par(request.user).select_related("ecole_visee"),
        pk=candidat_pk,
    )
    today = timezone.localdate()
    engagements = {
        inscription.pk: inscription
        for inscription in services.engagements_en_cours_ou_a_venir([candidat.pk], today)
    }
    for inscription in engagements.values():
        inscription.en_clair = services.occupation(inscription, today)
    # The same overlap rule as the enrollment's, for the dates each cohort would offer.
    conflit = services.avec_fin_effective(Inscription.objects.filter(candidat=candidat)).filter(
        services.chevauchement_filter(
            Greatest(Value(today, output_field=DateField()), OuterRef("date_debut")),
            OuterRef("date_fin"),
        )
    )
    cohortes = (
        Cohorte.objects.visibles_par(request.user)
        .ouvertes_aux_inscriptions(today)
        .exclude(inscriptions__candidat=candidat)
        .annotate(
            conflit_id=Subquery(conflit.order_by("date_entree").values("pk")[:1]),
            # A few dozen open cohorts: ordering them on an expression costs nothing.
            hors_ecole_visee=Case(
                When(parcours__ecole=candidat.ecole_visee_id, then=Value(0)), default=Value(1)
            ),
        )
        .select_related("parcours__ecole")
        .order_by("hors_ecole_visee", "date_debut", "nom", "pk")
    )
    page = paginate(request, cohortes)
    for cohorte in page:
        cohorte.conflit = engagements.get(cohorte.conflit_id)
    return render(
        request,
        "parcours/choisir_cohorte.html",
        {
            "candidat": candidat,
            "engagements": list(engagements.values()),
            "page_obj": page,
        },
    )


@equipe_required
def inscrire(request, pk, candidat_pk):
    cohorte = get_object_or_404(
        Cohorte.objects.visibles_par(request.user)
        .avec_nb_inscrits()
        .select_related("parcours__ecole"),
        pk=pk,
    )
    candidat = get_object_or_404(Candidat.objects.visibles_par(request.user), pk=candidat_pk)
    today = timezone.localdate()
    form = InscriptionForm(
        request.POST if request.method == "POST" else None,
        cohorte=cohorte,
        phases_de_stage=list(cohorte.phases.filter(type=TypePhase.STAGE).order_by("ordre")),
        initial={"date_entree": entree_proposee(cohorte, today)},
    )
    if form.is_valid():
        try:
            # A savepoint: a refused write must leave the request's transaction usable.
            with transaction.atomic():
                services.inscrire(
                    candidat=candidat,
                    cohorte=cohorte,
                    date_entree=form.cleaned_data["date_entree"],
                    entreprises_de_stage=form.entreprises_de_stage(),
                    auteur=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{candidat} est inscrit·e dans la cohorte « {cohorte} ».")
            stage = form.stage_en_cours_sans_entreprise()
            if stage:
                messages.warning(
                    request,
                    f"{candidat} rejoint la cohorte pendant le stage « {stage.intitule} », "
                    f"sans entreprise d'accueil : ce stage figure dans « Stages sans "
                    f"entreprise » jusqu'à ce que vous la choisissiez.",
                )
            return redirect("parcours:cohorte", pk=cohorte.pk)
    return render(
        request,
        "parcours/inscrire.html",
        {
            "cohorte": cohorte,
            "candidat": candidat,
            "form": form,
            "ouverte": cohorte.accepte_des_inscriptions(today),
        },
    )


def editer_suivi(request, suivi, initial=None):
    """The check-in form of `suivi`, new or existing, shared by its two pages."""
    inscription = suivi.inscription
    retour = url_de_retour(request, reverse("parcours:cohorte", args=[inscription.cohorte_id]))
    if request.method == "POST":
        form = SuiviForm(request.POST, instance=suivi)
        if form.is_valid():
            try:
                with transaction.atomic():
                    suivi = services.enregistrer_suivi(form.save(commit=False))
            except IntegrityError:
                # Another member of the team saved this month's check-in meanwhile.
                existant = Suivi.objects.filter(
                    inscription=inscription, mois=form.cleaned_data["mois"]
                ).first()
                if existant is None:
                    raise
                form.add_error("mois", suivi_existant_message(existant))
            else:
                messages.success(
                    request,
                    f"Suivi {de(nom_du_mois(suivi.mois))} enregistré pour {inscription.candidat}.",
                )
                return redirect(retour)
    else:
        form = SuiviForm(instance=suivi, initial=initial)
    return render(
        request,
        "parcours/suivi_form.html",
        {
            "form": form,
            "suivi": suivi,
            "inscription": inscription,
            "retour": retour,
            "today": timezone.localdate(),
        },
    )


@equipe_required
def suivi_creer(request, pk):
    inscription = get_object_or_404(
        Inscription.objects.visibles_par(request.user).select_related(
            "candidat", "cohorte__parcours__ecole", "sortie"
        ),
        pk=pk,
    )
    suivi = Suivi(inscription=inscription, auteur=request.user)
    initial = {"date_entretien": timezone.localdate()}
    # Without a requested month, the form picks the oldest missing one.
    if "mois" in request.GET:
        initial["mois"] = mois_demande(request).isoformat()
    return editer_suivi(request, suivi, initial)


@equipe_required
def suivi_modifier(request, pk):
    suivi = get_object_or_404(
        Suivi.objects.visibles_par(request.user).select_related(
            "auteur",
            "inscription__candidat",
            "inscription__cohorte__parcours__ecole",
            "inscription__sortie",
        ),
        pk=pk,
    )
    return editer_suivi(request, suivi)


@equipe_required
def suivis_du_mois(request):
    mois = mois_demande(request)
    inscriptions = (
        Inscription.objects.visibles_par(request.user)
        .en_formation_durant(mois)
        .avec_suivi_du_mois(mois)
        .select_related("candidat", "cohorte__parcours__ecole")
        .order_by(
            "cohorte__parcours__ecole__ville",
            "cohorte__parcours__ecole__nom",
            "cohorte__nom",
            "candidat__nom",
            "candidat__prenom",
            "pk",
        )
    )
    filtre = SuiviDuMoisFilter(request.GET, queryset=inscriptions, request=request)
    choix = filtre.form.cleaned_data if filtre.is_valid() else {}
    # Each counter reads up to its bound: a month at ten times the design scale has tens
    # of thousands of trainees, and the page shows fifty of them.
    faits = compte_borne(filtre.qs.filter(suivi_du_mois_id__isnull=False))
    manquants = compte_borne(filtre.qs.filter(suivi_du_mois_id__isnull=True))
    en_retard = suivi_en_retard(mois)
    return render(
        request,
        "parcours/suivis_du_mois.html",
        {
            "mois": mois,
            "mois_precedent": add_months(mois, -1),
            "mois_suivant": add_months(mois, 1),
            "filtre": filtre,
            "page_obj": paginate_borne(request, filtre.qs),
            "en_retard": en_retard,
            "nb_faits": faits,
            "nb_a_faire": 0 if en_retard else manquants,
            "nb_en_retard": manquants if en_retard else 0,
            "recherche": choix.get("q", ""),
            "cohorte_choisie": choix.get("cohorte"),
        },
    )


@equipe_required
def sortie(request, pk):
    inscription = get_object_or_404(
        Inscription.objects.visibles_par(request.user).select_related(
            "candidat", "cohorte__parcours__ecole", "sortie"
        ),
        pk=pk,
    )
    existante = inscription.sortie_enregistree
    if request.method == "POST":
        form = SortieForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    enregistree = services.enregistrer_sortie(
                        inscription=inscription, **form.cleaned_data
                    )
            except ValidationError as error:
                form.add_model_errors(error)
            else:
                messages.success(
                    request,
                    f"Sortie enregistrée : {enregistree.get_categorie_display().lower()} "
                    f"({inscription.candidat}). {annonce_des_enquetes(enregistree)}".strip(),
                )
                return redirect("parcours:cohorte", pk=inscription.cohorte_id)
    elif existante:
        form = SortieForm(initial=SortieForm.initial_de(existante))
    else:
        form = SortieForm(
            initial={"date_sortie": min(timezone.localdate(), inscription.cohorte.date_fin)}
        )
    return render(
        request,
        "parcours/sortie.html",
        {"inscription": inscription, "existante": existante, "form": form},
    )
