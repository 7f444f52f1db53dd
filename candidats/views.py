import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from comptes.access import equipe_required
from evenements.models import Immersion, Participation
from parcours.models import Inscription, Stage, Suivi
from portail.pagination import paginate_borne
from portail.sorting import Sorting

from . import services
from .filters import CandidatFilter
from .forms import CandidatCreationForm, CandidatForm
from .history import SECTIONS, donnees_personnelles, historique, pour_la_page
from .models import Candidat, TelechargementDonnees

COLONNES = {
    "nom": ["nom", "prenom"],
    "statut": "statut",
    "canal": "canal",
    "ecole": ["ecole_visee__nom", "ecole_visee__ville"],
    "ajoute_le": "cree_le",
}

DEJA_ENVOYE = "Ce formulaire avait déjà été envoyé : la fiche n'a pas été créée deux fois."


@equipe_required
def liste(request):
    candidats = Candidat.objects.visibles_par(request.user).select_related("ecole_visee")
    filtre = CandidatFilter(request.GET, queryset=candidats, request=request)
    sorting = Sorting(request, COLONNES, default="nom")
    # A name searched is found by the trigram index, then its matches are sorted. Read
    # along the name index, the rows sorted before it would be filtered one by one: 537,000
    # of a million candidates before the first "Leblanc".
    page_obj = paginate_borne(
        request, sorting.apply(filtre.qs, parmi_les_resultats=filtre.recherche_valide)
    )
    context = {"filtre": filtre, "sorting": sorting, "page_obj": page_obj}
    return render(request, "candidats/liste.html", context)


@equipe_required
def detail(request, pk):
    inscriptions = (
        Inscription.objects.visibles_par(request.user)
        .select_related("cohorte__parcours__ecole", "sortie")
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=Stage.objects.select_related(
                    "entreprise", "phase", "tuteur", "evaluation__saisie_par"
                ),
            ),
            Prefetch("suivis", queryset=Suivi.objects.select_related("auteur").order_by("-mois")),
        )
        .order_by("-date_entree", "-pk")
    )
    candidats = (
        Candidat.objects.visibles_par(request.user)
        .select_related("ecole_visee", "evenement_source")
        .prefetch_related(
            Prefetch("inscriptions", queryset=inscriptions),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("evenement").order_by(
                    "-evenement__date", "-pk"
                ),
            ),
            Prefetch("immersions", queryset=Immersion.objects.select_related("entreprise")),
        )
    )
    candidat = get_object_or_404(candidats, pk=pk)
    context = {"candidat": candidat, "historique": historique(candidat)}
    return render(request, "candidats/detail.html", context)


@equipe_required
def donnees(request, pk):
    """Right of access: every piece of data held about the person, as a JSON file, or
    with `?format=page` as a page to print or hand over."""
    format = request.GET.get("format", TelechargementDonnees.Format.JSON)
    if format not in TelechargementDonnees.Format.values:
        raise Http404("Format inconnu.")
    candidat = get_object_or_404(
        Candidat.objects.visibles_par(request.user).select_related(
            "ecole_visee", "evenement_source"
        ),
        pk=pk,
    )
    donnees = donnees_personnelles(candidat)
    TelechargementDonnees.objects.create(user=request.user, candidat=candidat, format=format)
    if format == TelechargementDonnees.Format.PAGE:
        sections = [
            (SECTIONS[cle].titre, pour_la_page(contenu)) for cle, contenu in donnees.items()
        ]
        context = {"candidat": candidat, "sections": sections, "edite_le": timezone.now()}
        return render(request, "candidats/donnees.html", context)
    contenu = json.dumps(donnees, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    nom_fichier = f"donnees-candidat-{candidat.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return response


@equipe_required
def creer(request):
    candidats = Candidat.objects.visibles_par(request.user)
    if request.method == "POST":
        form = CandidatCreationForm(request.POST, candidats=candidats)
        jeton = form.jeton_envoye()
        deja_cree = _candidat_du_jeton(jeton)
        if deja_cree is not None:
            messages.info(request, DEJA_ENVOYE)
            return redirect("candidats:detail", pk=deja_cree)
        if form.is_valid():
            candidat = form.save(commit=False)
            candidat.jeton_creation = jeton
            try:
                with transaction.atomic():
                    services.enregistrer_fiche(candidat)
            except IntegrityError:
                # The same form saved a moment ago by a concurrent request.
                messages.info(request, DEJA_ENVOYE)
                return redirect("candidats:detail", pk=_candidat_du_jeton(jeton))
            messages.success(request, f"Fiche créée : {candidat}.")
            return redirect("candidats:detail", pk=candidat.pk)
    else:
        form = CandidatCreationForm(candidats=candidats)
    return render(request, "candidats/form.html", {"form": form, "titre": "Nouveau candidat"})


@equipe_required
def modifier(request, pk):
    candidats = Candidat.objects.visibles_par(request.user)
    candidat = get_object_or_404(candidats, pk=pk)
    # Named before the form fills the instance with what was typed.
    titre = f"Modifier la fiche — {candidat}"
    if request.method == "POST":
        form = CandidatForm(request.POST, instance=candidat, candidats=candidats)
        if form.is_valid():
            services.enregistrer_fiche(form.save(commit=False))
            messages.success(request, f"Modifications enregistrées : {candidat}.")
            return redirect("candidats:detail", pk=candidat.pk)
    else:
        form = CandidatForm(instance=candidat, candidats=candidats)
    context = {"form": form, "candidat": candidat, "titre": titre}
    return render(request, "candidats/form.html", context)


def _candidat_du_jeton(jeton):
    """The pk of the candidate already created with this creation-form token, if any."""
    if not jeton:
        return None
    return Candidat.objects.filter(jeton_creation=jeton).values_list("pk", flat=True).first()
