"""Read-only pages for partners: the schools of their organisations and their cohorts.

What a partner may see is decided by the `visibles_par` querysets; the personal data
they may see (docs/domaine.md) is decided here, by the columns each query fetches.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from comptes.access import partenaire_required
from echanges import exports
from ecoles.models import Ecole
from entreprises.models import Entreprise
from evenements.models import Evenement
from parcours.models import (
    Cohorte,
    Inscription,
    PhaseCohorte,
    Situation,
    Stage,
    etape_du_stagiaire,
)
from portail.client import adresse_du_client
from portail.forms import PageForm
from portail.pagination import PaginatorBorne
from portail.sql import compte

from .exports import COLONNES_STAGIAIRES, cohortes_des_stagiaires, lignes_stagiaires
from .models import Consultation

# The largest cohorts have a few hundred trainees: the partner page shows them by pages.
STAGIAIRES_PAR_PAGE = 50
# A training organisation of several schools has had hundreds of cohorts over the years,
# a large host company dozens of interns at a time: the home page shows them by pages.
COHORTES_PAR_PAGE = 20
STAGES_PAR_PAGE = 20


@dataclass(frozen=True)
class Liste:
    """A page of one of the lists of a page, with the links to its neighbours.

    Each list of the page has its own page number in the query string (`nom`), so that
    turning the pages of one keeps the others where they are.
    """

    page_obj: object
    nom: str
    ancre: str
    requete: object

    def _lien(self, numero):
        requete = self.requete.copy()
        requete[self.nom] = numero
        return f"?{requete.urlencode()}#{self.ancre}"

    @property
    def premiere(self):
        return self._lien(1)

    @property
    def precedente(self):
        return self._lien(self.page_obj.previous_page_number())

    @property
    def suivante(self):
        return self._lien(self.page_obj.next_page_number())

    @property
    def derniere(self):
        return self._lien(self.page_obj.paginator.num_pages)


def liste(request, queryset, *, nom, ancre, par_page):
    """A page of `queryset` over its first rows only: an organisation's cohorts and interns
    pile up over the years, and neither the count nor the last page reads them all."""
    numero = PageForm(request.GET, nom=nom).numero()
    page_obj = PaginatorBorne(queryset, par_page).get_page(numero)
    return Liste(page_obj=page_obj, nom=nom, ancre=ancre, requete=request.GET)


@partenaire_required
@require_GET
def ecoles(request):
    """The partner's home: its schools, their cohorts, the internships it hosts, whom to
    call, and the list of its trainees to download."""
    today = timezone.localdate()
    user = request.user
    organisations = list(
        Entreprise.objects.filter(appartenances__user=user, appartenances__active=True).order_by(
            "nom"
        )
    )
    mes_organisations = Entreprise.objects.filter(pk__in=[o.pk for o in organisations])
    ecoles = list(
        Ecole.objects.visibles_par(user)
        .prefetch_related(
            Prefetch(
                "entreprises_adherentes",
                queryset=mes_organisations,
                to_attr="mes_entreprises_adherentes",
            ),
            Prefetch(
                "organismes_formation",
                queryset=mes_organisations,
                to_attr="mes_organismes_formation",
            ),
        )
        .order_by("ville", "nom")
    )
    cohortes = None
    if ecoles:
        cohortes = liste(
            request,
            Cohorte.objects.visibles_par(user)
            .select_related("parcours__ecole")
            .annotate(nombre_stagiaires=compte(Inscription.objects.filter(cohorte=OuterRef("pk"))))
            .order_by("-date_debut", "nom", "pk"),
            nom="page_cohortes",
            ancre="cohortes",
            par_page=COHORTES_PAR_PAGE,
        )

    entreprises_adherentes = [o for o in organisations if o.type == Entreprise.Type.ADHERENTE]
    stages_en_cours = stages_a_venir = None
    if entreprises_adherentes:
        stages = (
            Stage.objects.filter(
                entreprise__in=entreprises_adherentes,
                phase__date_fin__gte=today,
                inscription__statut=Inscription.Statut.EN_FORMATION,
                inscription__in=Inscription.objects.visibles_par(user),
            )
            .order_by("phase__date_debut", "inscription__candidat__nom", "pk")
            # values(): the trainee's name is all this page may know of the candidate.
            .values(
                "pk",
                "entreprise__nom",
                "phase__intitule",
                "phase__date_debut",
                "phase__date_fin",
                "tuteur__prenom",
                "tuteur__nom",
                "heures_hebdomadaires",
                "activites",
                "inscription__cohorte_id",
                "inscription__cohorte__nom",
                "inscription__candidat__prenom",
                "inscription__candidat__nom",
            )
        )
        stages_en_cours = liste(
            request,
            stages.filter(phase__date_debut__lte=today),
            nom="page_en_cours",
            ancre="stages-en-cours",
            par_page=STAGES_PAR_PAGE,
        )
        stages_a_venir = liste(
            request,
            stages.filter(phase__date_debut__gt=today),
            nom="page_a_venir",
            ancre="stages-a-venir",
            par_page=STAGES_PAR_PAGE,
        )
    return render(
        request,
        "partenaires/ecoles.html",
        {
            "organisations": organisations,
            "ecoles": ecoles,
            "cohortes": cohortes,
            "stages_en_cours": stages_en_cours,
            "stages_a_venir": stages_a_venir,
            # With one host company, its name on every row would only repeat the user's.
            "plusieurs_entreprises": len(entreprises_adherentes) > 1,
            "accueille_des_evenements": Evenement.objects.visibles_par(user).exists(),
            "contact_email": settings.PORTAIL_CONTACT_SUIVI_EMAIL,
            "contact_telephone": settings.PORTAIL_CONTACT_SUIVI_TELEPHONE,
        },
    )


@partenaire_required
@require_GET
def export_stagiaires(request, format):
    """The partner's trainees in training, where each one is today (`partenaires.exports`).

    The file shows trainees' data as the cohort pages do: each cohort in it is recorded
    as consulted.
    """
    if format not in exports.FORMATS:
        raise Http404("Format d'export inconnu : choisissez csv ou xlsx.")
    today = timezone.localdate()
    cohortes = cohortes_des_stagiaires(request.user)
    ip = adresse_du_client(request)
    Consultation.objects.bulk_create(
        Consultation(user=request.user, cohorte=cohorte, ip=ip) for cohorte in cohortes
    )
    return exports.export_response(
        format,
        colonnes=COLONNES_STAGIAIRES,
        lignes=lignes_stagiaires(request.user, cohortes, today),
        nom=["stagiaires"],
    )


@dataclass(frozen=True)
class Stagiaire:
    """What a partner may know of a trainee: no contact details, no staff notes."""

    prenom: str
    nom: str
    phase: str
    entreprise_accueil: str | None
    suivi_mois: datetime.date | None
    assiduite: str | None
    progression: str | None
    date_sortie: datetime.date | None
    situation: str | None
    categorie: str | None

    @property
    def situation_label(self):
        return Situation(self.situation).label if self.situation else ""


def stagiaires_de(cohorte, user, today, page=None):
    """A page of the trainees of `cohorte` as partners see them, with the page itself.

    One query for the rows, one for the count of the pagination. The host company of the
    moment, the last check-in and the phase of the day come from the same annotations as
    the staff's cohort page.
    """
    lignes = (
        Inscription.objects.visibles_par(user)
        .filter(cohorte=cohorte)
        .avec_dernier_suivi()
        .avec_stage_du_moment(today)
        .avec_phase_du_jour(today)
        .order_by("candidat__nom", "candidat__prenom", "pk")
        # values(), not model instances: the candidate's contact details, birth date and
        # notes, the check-in comments and the exit comment are never even fetched.
        .values(
            "date_entree",
            "candidat__prenom",
            "candidat__nom",
            "dernier_suivi_mois",
            "dernier_suivi_assiduite",
            "dernier_suivi_progression",
            "entreprise_du_moment",
            "phase_du_jour",
            "sortie__date_sortie",
            "sortie__situation",
            "sortie__categorie",
        )
    )
    page_obj = Paginator(lignes, STAGIAIRES_PAR_PAGE).get_page(page)
    return page_obj, [
        Stagiaire(
            prenom=ligne["candidat__prenom"],
            nom=ligne["candidat__nom"],
            phase=etape_du_stagiaire(
                date_entree=ligne["date_entree"],
                date_sortie=ligne["sortie__date_sortie"],
                cohorte_fin=cohorte.date_fin,
                phase=ligne["phase_du_jour"],
                day=today,
            ),
            entreprise_accueil=ligne["entreprise_du_moment"],
            suivi_mois=ligne["dernier_suivi_mois"],
            assiduite=ligne["dernier_suivi_assiduite"],
            progression=ligne["dernier_suivi_progression"],
            date_sortie=ligne["sortie__date_sortie"],
            situation=ligne["sortie__situation"],
            categorie=ligne["sortie__categorie"],
        )
        for ligne in page_obj.object_list
    ]


@partenaire_required
@require_GET
def cohorte(request, pk):
    cohorte = get_object_or_404(
        Cohorte.objects.visibles_par(request.user)
        .select_related("parcours__ecole")
        .prefetch_related(Prefetch("phases", queryset=PhaseCohorte.objects.order_by("ordre"))),
        pk=pk,
    )
    today = timezone.localdate()
    phase_du_jour = cohorte.phase_du_jour(today)
    page_obj, stagiaires = stagiaires_de(
        cohorte, request.user, today, PageForm(request.GET).numero()
    )
    Consultation.objects.create(user=request.user, cohorte=cohorte, ip=adresse_du_client(request))
    return render(
        request,
        "partenaires/cohorte.html",
        {
            "cohorte": cohorte,
            "etat": cohorte.etat(today),
            "phases": cohorte.phases.all(),
            "phase_du_jour": phase_du_jour,
            "stagiaires": stagiaires,
            "page_obj": page_obj,
        },
    )
