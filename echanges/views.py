"""Spreadsheet exports for staff and the import of candidate lists."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from candidats.models import CanalSourcing, Candidat
from comptes.access import equipe_required
from ecoles.models import Ecole
from parcours.models import Cohorte, Inscription
from portail.francais import pluriel
from portail.pagination import paginate

from . import depot, exports, imports, selections, services, tasks
from .forms import TAILLE_MAX, AnalyseDemandeeForm, ImportForm
from .models import AnalyseImport, DemandeExport

DERNIER_IMPORT = "echanges:dernier_import"
TAILLE_MAX_MO = TAILLE_MAX // (1024 * 1024)


@equipe_required
def export_candidats(request, format):
    """The candidate list with the criteria of the list page (same query string)."""
    return _demander_export(request, DemandeExport.Export.CANDIDATS, format)


@equipe_required
def export_cohorte(request, pk, format):
    cohorte = get_object_or_404(Cohorte.objects.visibles_par(request.user), pk=pk)
    inscriptions = Inscription.objects.visibles_par(request.user).filter(cohorte=cohorte)
    return exports.export_response(
        format,
        colonnes=exports.COLONNES_COHORTE,
        lignes=exports.lignes_cohorte(inscriptions),
        nom=["cohorte", cohorte.nom],
    )


@equipe_required
def export_sorties(request, format):
    """The outcomes report for funders, over `?debut=&fin=` (exit dates), `?ecole=` and
    `?filiere=`: the filters of the indicators page, whose links lead here."""
    return _demander_export(request, DemandeExport.Export.SORTIES, format)


def _demander_export(request, export, format):
    """A full export grows with the data: a task writes it (`tasks.exporter`).

    POST asks for it and leads to its page; GET (a bookmark, a link) shows what would be
    exported and the button that asks for it. The criteria are the query string of the
    page the export was asked from, checked here and again by the task.
    """
    if format not in DemandeExport.Format.values:
        raise Http404("Format d'export inconnu.")
    try:
        selections.selection(export, request.GET, user=request.user)
    except selections.CriteresRefuses as refus:
        return HttpResponseBadRequest(refus.message, content_type="text/plain; charset=utf-8")
    criteres = request.GET.urlencode()
    if request.method == "POST":
        demande, _ = services.demander_export(
            user=request.user, export=export, format=format, criteres=criteres
        )
        return redirect("echanges:export_demande", pk=demande.pk)
    context = {
        "export": DemandeExport.Export(export),
        "format": DemandeExport.Format(format),
        "criteres": criteres,
        "derniers": _mes_exports(request.user)[:5],
    }
    return render(request, "echanges/export_demander.html", context)


def _mes_exports(user):
    return DemandeExport.objects.filter(user=user).order_by("-cree_le")


@equipe_required
def exports_list(request):
    """The exports the user asked for in the last PORTAIL_EXPORTS_DUREE_HEURES hours."""
    page = paginate(request, _mes_exports(request.user), per_page=25)
    context = {"page_obj": page, "duree_heures": settings.PORTAIL_EXPORTS_DUREE_HEURES}
    return render(request, "echanges/exports.html", context)


@equipe_required
def export_demande(request, pk):
    """An export's progress (the page refreshes itself), then its link or why it failed.

    Only its requester sees it: someone else's export is a 404, like an unknown one.
    """
    demande = get_object_or_404(DemandeExport, pk=pk, user=request.user)
    context = {"demande": demande, "duree_heures": settings.PORTAIL_EXPORTS_DUREE_HEURES}
    return render(request, "echanges/export_demande.html", context)


@equipe_required
def export_fichier(request, pk):
    """The file of a finished export, to its requester, until it expires."""
    demande = get_object_or_404(DemandeExport, pk=pk, user=request.user)
    if not demande.telechargeable:
        messages.error(
            request,
            "Ce fichier n'est plus disponible : relancez l'export depuis sa page d'origine."
            if demande.expiree()
            else "Ce fichier n'est pas prêt.",
        )
        return redirect("echanges:export_demande", pk=demande.pk)
    stockage = services.stockage_des_exports()
    try:
        fichier = stockage.open(demande.fichier, "rb")
    except FileNotFoundError as absent:
        raise Http404("Ce fichier n'existe plus.") from absent
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=demande.nom_du_fichier,
        content_type=exports.CONTENT_TYPES[demande.format],
    )


@equipe_required
def modele_import(request, format):
    """An empty list with the expected header and one example row."""
    ecole = Ecole.objects.actives().order_by("nom", "ville").first()
    exemple = (
        "Martin",
        "Léa",
        datetime.date(1998, 3, 14),
        "lea.martin@example.org",
        "06 12 34 56 78",
        "Béthune",
        "62400",
        "1234567A",
        CanalSourcing.FRANCE_TRAVAIL.label,
        f"{ecole.nom} {ecole.ville}" if ecole else "",
    )
    colonnes = [
        exports.Colonne(colonne.titre[0].upper() + colonne.titre[1:], 20)
        for colonne in imports.COLONNES
    ]
    return exports.export_response(
        format, colonnes=colonnes, lignes=[exemple], nom=["modele-import-candidats"]
    )


class ImportEnTacheForm(ImportForm):
    """Above PORTAIL_IMPORT_OCTETS_EN_TACHE the file is only read here: a task checks it."""

    en_tache = False

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if settings.PORTAIL_IMPORT_OCTETS_EN_TACHE < fichier.size <= TAILLE_MAX:
            self.contenu = fichier.read()
            self.en_tache = True
            return fichier
        return super().clean_fichier()


@equipe_required
def import_candidats(request):
    """Upload a list, then see every row checked before anything is saved.

    A large file is checked by a task: `?analyse=<id>` is then its page, which refreshes
    itself until the preview (or the refusal) is ready.
    """
    if request.method == "GET" and "analyse" in request.GET:
        return _import_analyse(request)
    candidats = Candidat.objects.visibles_par(request.user)
    if request.method == "POST":
        form = ImportEnTacheForm(request.POST, request.FILES, candidats=candidats)
        if form.is_valid():
            nom_du_fichier = form.cleaned_data["fichier"].name
            ecole = form.cleaned_data["ecole"]
            if form.en_tache:
                return _analyser_en_tache(request, form.contenu, nom_du_fichier, ecole)
            jeton = None
            if form.analyse.valide:
                jeton = _mettre_en_attente(request, form.contenu, nom_du_fichier, ecole)
            context = {
                "analyse": form.analyse,
                "jeton": jeton,
                "nom_du_fichier": nom_du_fichier,
                "ecole_par_defaut": ecole,
            }
            return render(request, "echanges/import_apercu.html", context)
    else:
        form = ImportForm(candidats=candidats)
    context = {"form": form, "colonnes": imports.COLONNES, "taille_max_mo": TAILLE_MAX_MO}
    return render(request, "echanges/import.html", context)


@equipe_required
@require_POST
def import_confirmer(request, jeton):
    """Import the file kept at preview time: checked again, saved whole, once.

    A file a task analysed is not read again: a task imports the rows it kept, after
    searching their duplicates again, the records having possibly changed since. A file
    that is not byte for byte the one analysed is refused.
    """
    en_attente = request.session.get(depot.CLE_DE_SESSION) or {}
    contenu = None
    if jeton == en_attente.get("jeton"):
        del request.session[depot.CLE_DE_SESSION]
        contenu = depot.retirer(jeton, user=request.user)
    if contenu is None:
        messages.warning(
            request,
            "Cet import a déjà été enregistré ou n'est plus disponible : "
            "rien n'a été importé. Déposez le fichier à nouveau si besoin.",
        )
        return redirect("echanges:import_candidats")
    nom_du_fichier = en_attente.get("fichier", "")
    ecole = _ecole_par_defaut(en_attente)
    candidats = Candidat.objects.visibles_par(request.user)
    analyse_en_tache = AnalyseImport.objects.a_reprendre(
        user=request.user, jeton=jeton, depuis=depot.limite()
    )
    if analyse_en_tache:
        if not analyse_en_tache.analyse_le_fichier(contenu):
            services.oublier_l_analyse(jeton)
            messages.error(
                request,
                "Le fichier a changé depuis son analyse : rien n'a été importé. "
                "Déposez-le à nouveau.",
            )
            return redirect("echanges:import_candidats")
        return _confirmer_en_tache(request, analyse_en_tache, ecole)
    try:
        analyse = imports.analyser(contenu, candidats=candidats, ecole_par_defaut=ecole)
    except imports.FichierRefuse as refus:
        messages.error(request, refus.message)
        return redirect("echanges:import_candidats")
    services.oublier_l_analyse(jeton)
    if not analyse.valide:
        # Someone added one of these candidates since the preview.
        context = {
            "analyse": analyse,
            "jeton": None,
            "nom_du_fichier": nom_du_fichier,
            "ecole_par_defaut": ecole,
        }
        return render(request, "echanges/import_apercu.html", context)
    crees = services.importer_candidats(
        candidats=analyse.candidats, auteur=request.user, fichier=nom_du_fichier
    )
    request.session[DERNIER_IMPORT] = {
        "fichier": nom_du_fichier,
        "nombre": len(crees),
        "ids": [candidat.pk for candidat in crees[: tasks.IMPORTES_AFFICHES]],
    }
    _annoncer_les_importes(request, len(crees), nom_du_fichier)
    return redirect("echanges:import_termine")


@equipe_required
def import_termine(request):
    dernier = request.session.get(DERNIER_IMPORT)
    candidats = Candidat.objects.none()
    if dernier:
        candidats = (
            Candidat.objects.visibles_par(request.user)
            .filter(pk__in=dernier["ids"])
            # The search column starts with the name without accents: "Élodie" before "Noël".
            .order_by("recherche", "pk")
        )
    return render(
        request, "echanges/import_termine.html", {"dernier": dernier, "candidats": candidats}
    )


def _analyser_en_tache(request, contenu, nom_du_fichier, ecole):
    """Keep the file, queue its analysis (a row of this transaction), show its page.

    The task reads the file alone: the default school is applied at confirmation.
    """
    analyse = AnalyseImport.objects.create(
        user=request.user,
        nom_du_fichier=nom_du_fichier[:255],
        jeton=_mettre_en_attente(request, contenu, nom_du_fichier, ecole),
    )
    tasks.analyser_import.enqueue(str(analyse.pk))
    analyse.refresh_from_db()
    if analyse.finie:
        # A backend that ran the job at once (the tests'): the page needs no detour.
        return _page_analyse(request, analyse)
    return redirect(f"{reverse('echanges:import_candidats')}?analyse={analyse.pk}")


def _confirmer_en_tache(request, analyse, ecole):
    analyse.confirmation = AnalyseImport.Etat.EN_ATTENTE
    analyse.ecole_par_defaut = ecole
    analyse.save(update_fields=["confirmation", "ecole_par_defaut"])
    tasks.confirmer_import.enqueue(str(analyse.pk))
    analyse.refresh_from_db()
    if analyse.finie:
        return _page_confirmation(request, analyse)
    return redirect(f"{reverse('echanges:import_candidats')}?analyse={analyse.pk}")


def _import_analyse(request):
    form = AnalyseDemandeeForm(request.GET)
    if not form.is_valid():
        raise Http404("Analyse inconnue.")
    analyse = get_object_or_404(AnalyseImport, pk=form.cleaned_data["analyse"], user=request.user)
    return _page_analyse(request, analyse)


def _page_analyse(request, analyse):
    if analyse.confirmation:
        return _page_confirmation(request, analyse)
    if analyse.etat == AnalyseImport.Etat.TERMINEE:
        resultat = imports.AnalyseResumee(analyse.resultat)
        en_attente = request.session.get(depot.CLE_DE_SESSION) or {}
        context = {
            "analyse": resultat,
            "jeton": analyse.jeton if resultat.valide else None,
            "nom_du_fichier": analyse.nom_du_fichier,
            "ecole_par_defaut": (
                _ecole_par_defaut(en_attente) if en_attente.get("jeton") == analyse.jeton else None
            ),
        }
        return render(request, "echanges/import_apercu.html", context)
    return render(request, "echanges/import_analyse.html", {"analyse_import": analyse})


def _annoncer_les_importes(request, nombre, fichier):
    s = pluriel(nombre)
    messages.success(request, f"{nombre} candidat{s} importé{s} depuis {fichier}.")


def _page_confirmation(request, analyse):
    """The import's progress, its result, or why nothing was saved."""
    if analyse.confirmation == AnalyseImport.Etat.TERMINEE:
        nombre = analyse.importes["nombre"]
        request.session[DERNIER_IMPORT] = {"fichier": analyse.nom_du_fichier, **analyse.importes}
        _annoncer_les_importes(request, nombre, analyse.nom_du_fichier)
        return redirect("echanges:import_termine")
    resultat = imports.AnalyseResumee(analyse.resultat)
    if analyse.confirmation == AnalyseImport.Etat.ECHEC and not resultat.valide:
        context = {
            "analyse": resultat,
            "jeton": None,
            "nom_du_fichier": analyse.nom_du_fichier,
            "ecole_par_defaut": analyse.ecole_par_defaut,
        }
        return render(request, "echanges/import_apercu.html", context)
    return render(request, "echanges/import_analyse.html", {"analyse_import": analyse})


def _mettre_en_attente(request, contenu, nom_du_fichier, ecole):
    """Keep the file server-side; a new upload replaces the one waiting in this session."""
    ancien = request.session.get(depot.CLE_DE_SESSION) or {}
    depot.oublier(ancien.get("jeton"))
    jeton = depot.deposer(contenu, user=request.user)
    request.session[depot.CLE_DE_SESSION] = {
        "jeton": jeton,
        "fichier": nom_du_fichier,
        "ecole": ecole.pk if ecole else None,
    }
    return jeton


def _ecole_par_defaut(en_attente):
    """The default school chosen with the file waiting, if it is still open."""
    if not en_attente.get("ecole"):
        return None
    return Ecole.objects.actives().filter(pk=en_attente["ecole"]).first()
