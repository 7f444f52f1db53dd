"""The list of their trainees a partner may download: where each one is today.

Name, school, cohort, phase of the day with its dates and host company: nothing else.
The columns are those of the partner's cohort page without the check-ins; the
candidate's contact details, birth date, address and notes are never fetched.
"""

from django.db.models import Prefetch

from echanges.exports import CHUNK_SIZE, Colonne
from parcours.models import Cohorte, Inscription, PhaseCohorte, etape_du_stagiaire

COLONNES_STAGIAIRES = [
    Colonne("École", 36),
    Colonne("Cohorte", 26),
    Colonne("Nom", 20),
    Colonne("Prénom", 18),
    Colonne("Phase du jour", 26),
    Colonne("Début de la phase", 14),
    Colonne("Fin de la phase", 14),
    Colonne("Entreprise d'accueil", 28),
]


def cohortes_des_stagiaires(user):
    """The visible cohorts that have trainees in training, with their phases."""
    inscriptions = Inscription.objects.visibles_par(user).en_formation()
    return list(
        Cohorte.objects.visibles_par(user)
        .filter(pk__in=inscriptions.values("cohorte_id"))
        .select_related("parcours__ecole")
        .prefetch_related(Prefetch("phases", queryset=PhaseCohorte.objects.order_by("ordre")))
        .order_by("parcours__ecole__ville", "parcours__ecole__nom", "date_debut", "nom", "pk")
    )


def lignes_stagiaires(user, cohortes, today):
    """One row per trainee in training of `cohortes`, as `user` may see them.

    The host company is the internship of the moment (under way, else the next one,
    else the last one), as on the cohort pages.
    """
    par_pk = {cohorte.pk: cohorte for cohorte in cohortes}
    rows = (
        Inscription.objects.visibles_par(user)
        .en_formation()
        .filter(cohorte__in=list(par_pk))
        .avec_stage_du_moment(today)
        # The order of `cohortes_des_stagiaires`, then the names.
        .order_by(
            "cohorte__parcours__ecole__ville",
            "cohorte__parcours__ecole__nom",
            "cohorte__date_debut",
            "cohorte__nom",
            "cohorte_id",
            "candidat__nom",
            "candidat__prenom",
            "pk",
        )
        .values_list(
            "cohorte_id", "candidat__nom", "candidat__prenom", "date_entree", "entreprise_du_moment"
        )
    )
    for cohorte_id, nom, prenom, date_entree, entreprise in rows.iterator(chunk_size=CHUNK_SIZE):
        cohorte = par_pk[cohorte_id]
        phase = cohorte.phase_du_jour(today)
        etape = etape_du_stagiaire(
            date_entree=date_entree,
            date_sortie=None,
            cohorte_fin=cohorte.date_fin,
            phase=phase.intitule if phase else None,
            day=today,
        )
        dans_la_phase = phase is not None and etape == phase.intitule
        yield (
            str(cohorte.parcours.ecole),
            cohorte.nom,
            nom,
            prenom,
            etape,
            phase.date_debut if dans_la_phase else None,
            phase.date_fin if dans_la_phase else None,
            entreprise or "",
        )
