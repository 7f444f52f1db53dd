"""The deadlines of the monthly check-ins: which months are overdue, which one comes due,
and the table of missing check-ins that the to-do lists read.

A month's check-in is due by the 10th of the next month (`echeance_du_suivi`) and overdue
after that. The missing ones are rows of `SuiviManquant`, one per enrollment and month in
training without its check-in: every service that writes a check-in, an enrollment, an
exit, an internship or a cohort's calendar calls `recalculer_manquants` in its
transaction, and the lists read an index range of months, whatever the number of
trainees. The exits still to record and the internships without a host company are kept
the same way, as rows of `SortieAttendue` and `StageSansEntreprise`.
"""

from collections import Counter

from django.db import connection, transaction

from portail import pagination

from .dates import add_months
from .models import (
    Inscription,
    PhaseCohorte,
    SortieAttendue,
    Stage,
    StageSansEntreprise,
    Suivi,
    SuiviManquant,
    TypePhase,
    dernier_mois_echu,
)

TAILLE_DES_LOTS = 2_000

# Missing check-ins are looked for over the last twelve overdue months only. Twelve cover
# every calendar month of the longest tracks (42 weeks span at most eleven), so no month of
# a trainee still in training drops off; what drops off is a check-in more than a year
# overdue, whose interview can no longer be held, and the "Suivis du mois" page of its
# month still lists it.
MOIS_SURVEILLES = 12


def mois_en_retard_surveilles(day=None):
    """The months whose missing check-ins are overdue on `day` and still looked for, oldest
    first."""
    dernier = dernier_mois_echu(day)
    return [add_months(dernier, -ecart) for ecart in reversed(range(MOIS_SURVEILLES))]


def mois_a_saisir(day=None):
    """The month coming due on `day`: the oldest whose deadline has not passed yet."""
    return add_months(dernier_mois_echu(day), 1)


def a_saisir(user, day=None):
    """The missing check-ins, visible to `user`, of the month coming due on `day`."""
    return SuiviManquant.objects.visibles_par(user).filter(mois=mois_a_saisir(day))


def en_retard(user, day=None):
    """The missing check-ins, visible to `user`, overdue on `day` and still looked for."""
    mois = mois_en_retard_surveilles(day)
    return SuiviManquant.objects.visibles_par(user).filter(mois__range=(mois[0], mois[-1]))


def apercu_des_suivis_en_retard(user, today, apercu):
    """The overdue months, oldest first, with their share of the first `apercu` rows, and
    the count of overdue check-ins read up to `pagination.LIGNES_PARCOURUES` rows: the
    home page's list and the "À faire" page's section.

    Each month is a dict: `mois`, `nombre` and `inscriptions`, the enrollments of the rows
    shown, each with its month as `mois_manquant`. Within the bound every month gets its
    count from the rows read; past it the months are not counted (`nombre` is None).
    Three queries, whatever the number of trainees.
    """
    manquants = en_retard(user, today)
    lignes = list(
        manquants.order_by().values_list("mois", flat=True)[: pagination.LIGNES_PARCOURUES + 1]
    )
    premieres = list(
        manquants.dans_l_ordre().select_related(
            "inscription__candidat", "inscription__cohorte__parcours__ecole"
        )[:apercu]
    )
    if len(lignes) <= pagination.LIGNES_PARCOURUES:
        nombres = Counter(lignes)
    else:
        nombres = dict.fromkeys((manquant.mois for manquant in premieres), None)
    mois = [
        {"mois": un_mois, "nombre": nombres[un_mois], "inscriptions": []}
        for un_mois in sorted(nombres)
    ]
    par_mois = {un_mois["mois"]: un_mois["inscriptions"] for un_mois in mois}
    for manquant in premieres:
        inscription = manquant.inscription
        inscription.mois_manquant = manquant.mois
        par_mois[manquant.mois].append(inscription)
    return mois, len(lignes)


def recalculer_manquants(*, inscriptions=(), cohortes=()):
    """Write again the missing check-ins, the awaited exit and the internships without a
    host company of `inscriptions` and of every enrollment of `cohortes` (instances or
    pks), from their months in training, their check-ins, their exit and their internships.

    The enrollments are locked first (on PostgreSQL): two writers of one trainee at once
    would both delete the rows and both insert theirs. A cohort has a few dozen trainees
    and a track a dozen months: each call writes a bounded number of rows.
    """
    inscription_ids = {getattr(objet, "pk", objet) for objet in inscriptions}
    cohorte_ids = {getattr(objet, "pk", objet) for objet in cohortes}
    if cohorte_ids:
        inscription_ids |= set(
            Inscription.objects.filter(cohorte_id__in=cohorte_ids).values_list("pk", flat=True)
        )
    if not inscription_ids:
        return
    ids = sorted(inscription_ids)
    # Part of the writer's transaction; a transaction of its own when called alone (a
    # loading script): the lock holds until the rows are written.
    with transaction.atomic(savepoint=False):
        _recrire_manquants(ids)


def _recrire_manquants(ids):
    if connection.vendor == "postgresql":
        list(
            Inscription.objects.filter(pk__in=ids)
            .order_by("pk")
            .select_for_update()
            .values_list("pk")
        )
    SuiviManquant.objects.filter(inscription_id__in=ids).delete()
    SortieAttendue.objects.filter(inscription_id__in=ids).delete()
    StageSansEntreprise.objects.filter(inscription_id__in=ids).delete()
    for debut in range(0, len(ids), TAILLE_DES_LOTS):
        _ecrire_manquants(Inscription.objects.filter(pk__in=ids[debut : debut + TAILLE_DES_LOTS]))


def reconstruire_manquants():
    """Every missing check-in, awaited exit and internship without a host written again
    from the facts, by lots of enrollments; returns how many rows of each were written."""
    SuiviManquant.objects.all().delete()
    SortieAttendue.objects.all().delete()
    StageSansEntreprise.objects.all().delete()
    ids = list(Inscription.objects.order_by("pk").values_list("pk", flat=True))
    for debut in range(0, len(ids), TAILLE_DES_LOTS):
        lot = ids[debut : debut + TAILLE_DES_LOTS]
        _ecrire_manquants(Inscription.objects.filter(pk__range=(lot[0], lot[-1])))
    return {
        "suivis": SuiviManquant.objects.count(),
        "sorties": SortieAttendue.objects.count(),
        "stages": StageSansEntreprise.objects.count(),
    }


def _ecrire_manquants(inscriptions):
    inscriptions = list(inscriptions.select_related("cohorte", "sortie"))
    ids = [inscription.pk for inscription in inscriptions]
    faits = set(Suivi.objects.filter(inscription__in=ids).values_list("inscription_id", "mois"))
    SuiviManquant.objects.bulk_create(
        (
            SuiviManquant(
                inscription_id=inscription.pk,
                mois=mois,
                cohorte_id=inscription.cohorte_id,
                debut_de_cohorte=inscription.cohorte.date_debut,
            )
            for inscription in inscriptions
            for mois in inscription.mois_en_formation()
            if (inscription.pk, mois) not in faits
        ),
        batch_size=TAILLE_DES_LOTS,
    )
    SortieAttendue.objects.bulk_create(
        SortieAttendue(
            inscription_id=inscription.pk,
            cohorte_id=inscription.cohorte_id,
            fin_de_cohorte=inscription.cohorte.date_fin,
        )
        for inscription in inscriptions
        if inscription.sortie_enregistree is None
    )
    phases_de_stage = {}
    for phase in PhaseCohorte.objects.filter(
        cohorte__in={inscription.cohorte_id for inscription in inscriptions}, type=TypePhase.STAGE
    ):
        phases_de_stage.setdefault(phase.cohorte_id, []).append(phase)
    accueillis = set(
        Stage.objects.filter(inscription__in=ids).values_list("inscription_id", "phase_id")
    )
    StageSansEntreprise.objects.bulk_create(
        (
            StageSansEntreprise(
                inscription_id=inscription.pk,
                phase_id=phase.pk,
                phase_debut=phase.date_debut,
                phase_fin=phase.date_fin,
            )
            for inscription in inscriptions
            for phase in phases_de_stage.get(inscription.cohorte_id, [])
            if inscription.en_formation_pendant(phase)
            and (inscription.pk, phase.pk) not in accueillis
        ),
        batch_size=TAILLE_DES_LOTS,
    )
