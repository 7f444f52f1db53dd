"""What is left to do, section by section: the "À faire" page and the weekly digest.

Each section is a function of a staff member and a day that returns a `Section`: how many
rows it has (counted up to the bound of `compte_borne`), its first `APERCU` rows and the
page of its full list, at a fixed number of queries. The page and the e-mail both read
`SECTIONS`: another kind of task is one more function appended to it.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format

from enquetes.models import Enquete, libelle_de_vague
from evaluations.models import en_attente_d_evaluation, stages_visibles_par
from parcours import echeances
from parcours.dates import nom_du_mois
from parcours.models import Inscription
from portail import pagination
from portail.pagination import compte_borne

APERCU = 5


@dataclass(frozen=True)
class Ligne:
    """One thing to do: who or what, in a few words, and the page where it is done."""

    titre: str
    detail: str
    url: str
    action: str


@dataclass(frozen=True)
class Section:
    cle: str
    titre: str
    description: str
    nombre: int
    lignes: list
    url: str
    lien: str

    @property
    def borne(self):
        """True when the list was counted up to the bound only: "plus de 1 000"."""
        return self.nombre > pagination.LIGNES_PARCOURUES

    @property
    def lignes_cachees(self):
        """The rows not shown; past the bound, at least this many."""
        return min(self.nombre, pagination.LIGNES_PARCOURUES) - len(self.lignes)


def jour(day):
    return date_format(day, "d/m/Y")


def apercu(queryset):
    """The first rows of a list and its length counted up to the bound (`compte_borne`):
    two queries, whatever the length."""
    return list(queryset[:APERCU]), compte_borne(queryset)


def suivis_en_retard(user, day):
    mois, nombre = echeances.apercu_des_suivis_en_retard(user, day, APERCU)
    premieres = [inscription for un_mois in mois for inscription in un_mois["inscriptions"]]
    return Section(
        cle="suivis-en-retard",
        titre="Suivis en retard",
        description="Stagiaires sans suivi pour un mois dont l'échéance est dépassée.",
        nombre=nombre,
        lignes=[
            Ligne(
                titre=str(inscription.candidat),
                detail=f"{inscription.cohorte} — {nom_du_mois(inscription.mois_manquant)}",
                url=reverse("parcours:suivi_creer", kwargs={"pk": inscription.pk})
                + f"?mois={inscription.mois_manquant:%Y-%m}",
                action="Saisir le suivi",
            )
            for inscription in premieres
        ],
        # The home page lists every overdue month, each with its own list.
        url=reverse("portail:accueil") + "#suivis-en-retard",
        lien="Voir chaque mois en retard",
    )


def sorties_a_enregistrer(user, day):
    lignes, nombre = apercu(
        Inscription.objects.visibles_par(user)
        .sans_sortie_enregistree(day)
        .select_related("candidat", "cohorte")
    )
    return Section(
        cle="sorties-a-enregistrer",
        titre="Sorties à enregistrer",
        description="Cohortes terminées dont la sortie du stagiaire n'est pas saisie.",
        nombre=nombre,
        lignes=[
            Ligne(
                titre=str(inscription.candidat),
                detail=f"{inscription.cohorte} — terminée le {jour(inscription.cohorte.date_fin)}",
                url=reverse("parcours:sortie", kwargs={"pk": inscription.pk}),
                action="Enregistrer la sortie",
            )
            for inscription in lignes
        ],
        url=reverse("a_faire:sorties"),
        lien="Voir toutes les sorties à enregistrer",
    )


def stages_sans_entreprise(user, day):
    lignes, nombre = apercu(
        Inscription.objects.visibles_par(user)
        .sans_entreprise_de_stage(day)
        .select_related("candidat", "cohorte")
        .order_by("phase_debut", "cohorte__nom", "candidat__nom", "candidat__prenom", "pk")
    )
    return Section(
        cle="stages-sans-entreprise",
        titre="Stages sans entreprise d'accueil",
        description="Stages en cours ou à venir dont l'entreprise d'accueil n'est pas choisie.",
        nombre=nombre,
        lignes=[
            Ligne(
                titre=str(inscription.candidat),
                detail=f"{inscription.cohorte} — {inscription.phase_intitule} à partir du "
                f"{jour(inscription.phase_debut)}",
                url=reverse("parcours:stages", kwargs={"pk": inscription.pk}),
                action="Choisir l'entreprise",
            )
            for inscription in lignes
        ],
        url=reverse("parcours:stages_sans_entreprise"),
        lien="Voir tous les stages sans entreprise",
    )


# A tutor is reminded of an evaluation for this long after the internship: past it the
# reminder is stale, and the list would hold every internship of ten years never evaluated.
RELANCE_JOURS = 90


def evaluations_de_stage(user, day):
    lignes, nombre = apercu(
        en_attente_d_evaluation(stages_visibles_par(user), day)
        .filter(phase__date_fin__gte=day - datetime.timedelta(days=RELANCE_JOURS))
        .select_related("entreprise", "phase", "inscription__candidat")
        .order_by("-phase__date_fin", "-pk")
    )
    return Section(
        cle="evaluations-de-stage",
        titre="Évaluations de stage sans réponse",
        description="Stages terminés depuis moins de trois mois, ou finissant dans la "
        "semaine, que le tuteur n'a pas encore évalués.",
        nombre=nombre,
        lignes=[
            Ligne(
                titre=str(stage.inscription.candidat),
                detail=f"{stage.entreprise.nom} — stage jusqu'au {jour(stage.phase.date_fin)}",
                url=reverse("entreprises:detail", kwargs={"pk": stage.entreprise_id}),
                action="Relancer l'entreprise",
            )
            for stage in lignes
        ],
        url=reverse("evaluations:en_attente"),
        lien="Voir toutes les évaluations en attente",
    )


def enquetes_a_appeler(user, day):
    lignes, nombre = apercu(
        Enquete.objects.visibles_par(user)
        .a_appeler(day)
        .select_related("sortie__inscription__candidat", "sortie__inscription__cohorte")
        .order_by("date_prevue", "pk")
    )
    return Section(
        cle="enquetes-a-appeler",
        titre="Enquêtes à appeler",
        description="Anciens stagiaires sans réponse à l'enquête après les relances, ou sans "
        "e-mail : leur situation se demande au téléphone.",
        nombre=nombre,
        lignes=[
            Ligne(
                titre=str(enquete.sortie.inscription.candidat),
                detail=f"Enquête {libelle_de_vague(enquete.vague_mois)} — "
                f"{enquete.sortie.inscription.cohorte.nom}, due le {jour(enquete.date_prevue)}",
                url=reverse("enquetes:appel", kwargs={"pk": enquete.pk}),
                action="Saisir la réponse",
            )
            for enquete in lignes
        ],
        url=reverse("enquetes:a_appeler"),
        lien="Voir toute la liste à appeler",
    )


SECTIONS = [
    suivis_en_retard,
    sorties_a_enregistrer,
    stages_sans_entreprise,
    evaluations_de_stage,
    enquetes_a_appeler,
]


def sections_de(user, day):
    return [section(user, day) for section in SECTIONS]
