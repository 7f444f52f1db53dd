"""The only write path of cohorts, enrollments, internships, check-ins' context and exits.

Staff pages, the Django admin, imports, commands and the demo data all write through
these functions, so every rule that spans several rows (seats, overlapping enrollments,
a cohort's calendar) is checked once, here, under a lock of the rows it reads. A rule
about one row lives in the model's `clean()`, which these functions run.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from besoins.services import recalculer_apres_sortie
from candidats.models import Candidat
from enquetes.services import planifier_enquetes
from indicateurs import agregats
from portail.francais import de
from presences.services import generer_creneaux

from . import echeances
from .dates import first_of_month, nom_du_mois
from .models import (
    Cohorte,
    Inscription,
    PhaseCohorte,
    Sortie,
    Stage,
    TypePhase,
)

UN_JOUR = datetime.timedelta(days=1)


# Cohorts and their calendar


def proposer_nom(parcours, date_debut):
    """A name for a new cohort of `parcours`: city, track and month, unique in the track."""
    base = f"{parcours.ecole.ville} {parcours.nom} — {date_debut:%m/%Y}"
    existants = set(
        Cohorte.objects.filter(parcours=parcours, nom__startswith=base).values_list(
            "nom", flat=True
        )
    )
    nom, numero = base, 2
    while nom in existants:
        nom, numero = f"{base} ({numero})", numero + 1
    return nom


def calendrier_du_parcours(parcours, date_debut):
    """The track's phases laid end to end from `date_debut`, as unsaved PhaseCohorte."""
    phases = []
    debut = date_debut
    for modele in parcours.phases.order_by("ordre"):
        fin = debut + datetime.timedelta(weeks=modele.duree_semaines) - UN_JOUR
        phases.append(
            PhaseCohorte(
                ordre=modele.ordre,
                type=modele.type,
                intitule=modele.intitule,
                date_debut=debut,
                date_fin=fin,
            )
        )
        debut = fin + UN_JOUR
    return phases


def valider_cohorte(cohorte):
    """The model's rules, with the unique name told in the staff's words."""
    cohorte.full_clean(validate_constraints=False)
    if (
        Cohorte.objects.filter(parcours=cohorte.parcours_id, nom=cohorte.nom)
        .exclude(pk=cohorte.pk)
        .exists()
    ):
        raise _nom_deja_pris(cohorte)


def _nom_deja_pris(cohorte):
    return ValidationError({"nom": f"Une cohorte de ce parcours s'appelle déjà « {cohorte.nom} »."})


# The settings of a cohort that staff set on its creation and edit pages.
REGLAGES_DE_COHORTE = [
    "dispositif",
    "financeur",
    "cofinancee_fse",
    "heures_par_demi_journee",
    "lieu",
    "formateur",
]


def _reglages(reglages):
    inconnus = set(reglages) - set(REGLAGES_DE_COHORTE)
    if inconnus:
        raise TypeError(f"Réglages de cohorte inconnus : {', '.join(sorted(inconnus))}")
    return reglages


def creer_cohorte(*, parcours, date_debut, places, nom="", **reglages):
    """A cohort of `parcours` starting on `date_debut`, its phases laid out from the track.

    `reglages` are the cohort's settings (`REGLAGES_DE_COHORTE`): funding scheme, funder…
    """
    return ouvrir_cohorte(
        Cohorte(
            parcours=parcours,
            date_debut=date_debut,
            places=places,
            nom=nom,
            **_reglages(reglages),
        )
    )


def verifier_parcours(parcours):
    if not parcours.phases.exists():
        raise ValidationError(
            {"parcours": "Ce parcours n'a aucune phase : décrivez-les avant d'ouvrir une cohorte."}
        )


@transaction.atomic
def ouvrir_cohorte(cohorte):
    """Save the new `cohorte` (track, start, seats, maybe a name) with its phases laid out.

    Without a name, one is proposed (`proposer_nom`). A second submit of the same form
    meets the unique name and is refused, so it creates one cohort.
    """
    verifier_parcours(cohorte.parcours)
    phases = calendrier_du_parcours(cohorte.parcours, cohorte.date_debut)
    cohorte.nom = cohorte.nom or proposer_nom(cohorte.parcours, cohorte.date_debut)
    cohorte.date_fin = phases[-1].date_fin
    valider_cohorte(cohorte)
    try:
        with transaction.atomic():
            cohorte.save()
    except IntegrityError as error:
        raise _nom_deja_pris(cohorte) from error
    for phase in phases:
        phase.cohorte = cohorte
    PhaseCohorte.objects.bulk_create(phases)
    generer_creneaux(cohorte)
    return cohorte


@dataclasses.dataclass
class PhasePlanifiee:
    """One row of a cohort's calendar as staff submit it; `pk` is None for a new phase."""

    intitule: str
    type: str
    date_debut: datetime.date
    date_fin: datetime.date
    pk: int | None = None


def _periodes_en_formation(cohorte):
    """(entry, end of training) of every enrollment of `cohorte`."""
    return list(
        cohorte.inscriptions.annotate(
            fin=Coalesce("sortie__date_sortie", F("cohorte__date_fin"))
        ).values_list("pk", "date_entree", "fin")
    )


def occupation_maximale(periodes):
    """The largest number of (start, end) periods, both days included, that share one day."""
    evenements = []
    for debut, fin in periodes:
        evenements.append((debut, 1))
        evenements.append((fin + UN_JOUR, -1))
    # At the same date a departure comes before an arrival: the day after an exit the seat
    # is free again.
    evenements.sort(key=lambda evenement: (evenement[0], evenement[1]))
    courant = maximum = 0
    for _, variation in evenements:
        courant += variation
        maximum = max(maximum, courant)
    return maximum


def verifier_calendrier(cohorte, phases):
    """Raise ValidationError unless `phases` (PhasePlanifiee) can be `cohorte`'s calendar.

    The phases follow one another with no overlap and no gap (a gap is a phase of type
    "interruption"), the cohort's dates become those of its first and last phase, and the
    calendar never drops a recorded entry, exit or check-in, nor an internship's host.
    """
    erreurs = []
    phases = sorted(phases, key=lambda phase: (phase.date_debut, phase.date_fin))
    if not phases:
        raise ValidationError("Le calendrier doit compter au moins une phase.")
    for phase in phases:
        if phase.date_fin < phase.date_debut:
            erreurs.append(f"« {phase.intitule} » finit avant de commencer.")
    for precedente, suivante in zip(phases, phases[1:], strict=False):
        if suivante.date_debut <= precedente.date_fin:
            erreurs.append(
                f"« {suivante.intitule} » commence le {suivante.date_debut:%d/%m/%Y}, "
                f"avant la fin de « {precedente.intitule} » ({precedente.date_fin:%d/%m/%Y})."
            )
        elif suivante.date_debut > precedente.date_fin + UN_JOUR:
            erreurs.append(
                f"Du {precedente.date_fin + UN_JOUR:%d/%m/%Y} au "
                f"{suivante.date_debut - UN_JOUR:%d/%m/%Y}, aucune phase n'est prévue : "
                f"ajoutez une phase « Interruption » pour une pause."
            )
    if erreurs:
        raise ValidationError(erreurs)

    debut, fin = phases[0].date_debut, phases[-1].date_fin
    bornes = cohorte.inscriptions.aggregate(
        premiere_entree=Min("date_entree"),
        derniere_entree=Max("date_entree"),
        derniere_sortie=Max("sortie__date_sortie"),
        premier_suivi=Min("suivis__mois"),
        dernier_suivi=Max("suivis__mois"),
    )
    if bornes["premiere_entree"] and bornes["premiere_entree"] < debut:
        erreurs.append(
            f"Un stagiaire est entré le {bornes['premiere_entree']:%d/%m/%Y} : la cohorte ne "
            f"peut commencer plus tard."
        )
    if bornes["premier_suivi"] and bornes["premier_suivi"] < first_of_month(debut):
        erreurs.append(
            f"Le suivi {de(nom_du_mois(bornes['premier_suivi']))} est enregistré : la cohorte ne "
            f"peut commencer après ce mois."
        )
    for nom, etiquette in [("derniere_entree", "Un stagiaire entre le")] + [
        ("derniere_sortie", "Une sortie est enregistrée le")
    ]:
        if bornes[nom] and bornes[nom] > fin:
            erreurs.append(
                f"{etiquette} {bornes[nom]:%d/%m/%Y} : la cohorte ne peut finir avant ce jour."
            )
    if bornes["dernier_suivi"] and bornes["dernier_suivi"] > fin:
        erreurs.append(
            f"Le suivi {de(nom_du_mois(bornes['dernier_suivi']))} est enregistré : la cohorte ne "
            f"peut finir avant ce mois."
        )

    gardees = {phase.pk: phase for phase in phases if phase.pk}
    for existante in cohorte.phases.all():
        if not existante.stages.exists():
            continue
        nouvelle = gardees.get(existante.pk)
        if nouvelle is None or nouvelle.type != TypePhase.STAGE:
            erreurs.append(
                f"« {existante.intitule} » a des entreprises d'accueil : elle reste un stage "
                f"(changez d'abord les stages concernés)."
            )
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic
def planifier_calendrier(*, cohorte, phases):
    """Replace `cohorte`'s calendar by `phases` (PhasePlanifiee), after `verifier_calendrier`.

    Phases that are kept keep their identity, so their internships stay attached.
    """
    cohorte = Cohorte.objects.select_for_update().get(pk=cohorte.pk)
    verifier_calendrier(cohorte, phases)
    phases = sorted(phases, key=lambda phase: phase.date_debut)
    existantes = {phase.pk: phase for phase in cohorte.phases.all()}
    gardees = {phase.pk for phase in phases if phase.pk in existantes}
    cohorte.phases.exclude(pk__in=gardees).delete()
    # Out of the way first: the order is unique within a cohort.
    cohorte.phases.update(ordre=F("ordre") + 1000)
    for ordre, planifiee in enumerate(phases, start=1):
        phase = existantes.get(planifiee.pk) or PhaseCohorte(cohorte=cohorte)
        phase.ordre = ordre
        phase.intitule = planifiee.intitule
        phase.type = planifiee.type
        phase.date_debut = planifiee.date_debut
        phase.date_fin = planifiee.date_fin
        phase.full_clean()
        phase.save()
    cohorte.date_debut = phases[0].date_debut
    cohorte.date_fin = phases[-1].date_fin
    valider_cohorte(cohorte)
    cohorte.save(update_fields=["date_debut", "date_fin"])
    echeances.recalculer_manquants(cohortes=[cohorte])
    # The half-days follow; those with attendance stay, and the calendar page lists them.
    cohorte.rapport_creneaux = generer_creneaux(cohorte)
    return cohorte


def verifier_places(cohorte, places):
    """Raise ValidationError if fewer than `places` seats would not hold the trainees who
    are in training at the same time."""
    periodes = [(entree, fin) for _, entree, fin in _periodes_en_formation(cohorte)]
    minimum = occupation_maximale(periodes)
    if places < minimum:
        raise ValidationError(
            {
                "places": f"{minimum} stagiaires sont en formation en même temps dans cette "
                f"cohorte : elle ne peut compter moins de {minimum} places."
            }
        )


@transaction.atomic
def modifier_cohorte(*, cohorte, nom, places, **reglages):
    """Rename a cohort, change its seats (never below the trainees in training at once) or
    its settings (`REGLAGES_DE_COHORTE`; those not given are kept)."""
    cohorte = Cohorte.objects.select_for_update().get(pk=cohorte.pk)
    verifier_places(cohorte, places)
    cohorte.nom = nom
    cohorte.places = places
    for name, value in _reglages(reglages).items():
        setattr(cohorte, name, value)
    valider_cohorte(cohorte)
    try:
        with transaction.atomic():
            cohorte.save(update_fields=["nom", "places", *reglages])
    except IntegrityError as error:
        raise _nom_deja_pris(cohorte) from error
    return cohorte


# Enrollments


def avec_fin_effective(inscriptions):
    """Annotate `fin_effective`: the exit date, else the end of the cohort."""
    return inscriptions.annotate(
        fin_effective=Coalesce("sortie__date_sortie", F("cohorte__date_fin"))
    )


def chevauchement_filter(date_debut, date_fin):
    """Enrollments annotated with `fin_effective` whose time in training overlaps the dates
    (values or expressions: the pickers compare with each cohort of a list)."""
    return Q(date_entree__lte=date_fin) & Q(fin_effective__gte=date_debut)


def inscriptions_chevauchantes(candidat, date_debut, date_fin, exclure=None):
    """The candidate's enrollments whose time in training overlaps the given dates, but
    those of the Q object `exclure`."""
    inscriptions = (
        avec_fin_effective(Inscription.objects.filter(candidat=candidat))
        .filter(chevauchement_filter(date_debut, date_fin))
        .select_related("cohorte")
    )
    if exclure is not None:
        inscriptions = inscriptions.exclude(exclure)
    return inscriptions


def engagements_en_cours_ou_a_venir(candidats, day=None):
    """The enrollments of `candidats` not over on `day`, with `fin_effective` and cohort,
    the earliest first: what the pickers say about a person taken elsewhere."""
    return (
        avec_fin_effective(Inscription.objects.filter(candidat__in=candidats))
        .filter(fin_effective__gte=day or timezone.localdate())
        .select_related("cohorte")
        .order_by("date_entree", "pk")
    )


def occupation(inscription, day=None):
    """Where an enrollment annotated with `fin_effective` keeps its candidate, in words.

    A cohort not started yet is an enrollment, not a training under way.
    """
    if inscription.date_entree > (day or timezone.localdate()):
        return (
            f"inscrit·e dans la cohorte « {inscription.cohorte} » du "
            f"{inscription.date_entree:%d/%m/%Y} au {inscription.fin_effective:%d/%m/%Y}"
        )
    return (
        f"en formation dans la cohorte « {inscription.cohorte} » jusqu'au "
        f"{inscription.fin_effective:%d/%m/%Y}"
    )


def _refuser_chevauchement(candidat, date_debut, date_fin, exclure=None):
    conflit = inscriptions_chevauchantes(candidat, date_debut, date_fin, exclure).first()
    if conflit:
        raise ValidationError(
            f"{candidat} est déjà {occupation(conflit)} : les deux périodes se chevaucheraient."
        )


def verifier_inscription(*, candidat, cohorte, date_entree, today=None):
    """Raise ValidationError unless `candidat` may enter `cohorte` on `date_entree`.

    Locks the cohort and the candidate until the end of the transaction, so that two staff
    enrolling the last seat at once get one enrollment and one clear refusal.
    """
    today = today or timezone.localdate()
    cohorte = (
        Cohorte.objects.select_for_update().select_related("parcours__ecole").get(pk=cohorte.pk)
    )
    candidat = Candidat.objects.select_for_update().get(pk=candidat.pk)
    if candidat.anonymise_le is not None:
        raise ValidationError("Cette personne a été anonymisée : elle ne peut être inscrite.")
    if cohorte.est_terminee(today):
        raise ValidationError(
            "Cette cohorte est terminée : on ne peut plus y inscrire de candidat."
        )
    Inscription(candidat=candidat, cohorte=cohorte, date_entree=date_entree).full_clean(
        exclude=["creee_par"], validate_constraints=False
    )
    if deja_inscrit(candidat, cohorte):
        raise ValidationError(f"{candidat} est déjà inscrit·e dans cette cohorte.")
    if cohorte.inscriptions.occupant_une_place_le(date_entree).count() >= cohorte.places:
        raise ValidationError(f"La cohorte est complète ({cohorte.places_en_clair}).")
    # The same cohort is the unique constraint's business, checked just above.
    _refuser_chevauchement(candidat, date_entree, cohorte.date_fin, exclure=Q(cohorte=cohorte))
    return cohorte, candidat


def deja_inscrit(candidat, cohorte):
    return Inscription.objects.filter(candidat=candidat, cohorte=cohorte).exists()


@transaction.atomic
def inscrire(*, candidat, cohorte, date_entree, entreprises_de_stage=None, auteur=None, today=None):
    """Enroll `candidat` in `cohorte`, with a host company for each internship phase.

    `entreprises_de_stage` maps an internship PhaseCohorte to its Entreprise.
    """
    cohorte, candidat = verifier_inscription(
        candidat=candidat, cohorte=cohorte, date_entree=date_entree, today=today
    )
    try:
        with transaction.atomic():
            inscription = Inscription(
                candidat=candidat, cohorte=cohorte, date_entree=date_entree, creee_par=auteur
            )
            inscription.full_clean(validate_constraints=False)
            inscription.save()
    except IntegrityError as error:
        # Another enrollment of this candidate in this cohort was committed meanwhile.
        raise ValidationError(f"{candidat} est déjà inscrit·e dans cette cohorte.") from error
    stages = []
    for phase, entreprise in (entreprises_de_stage or {}).items():
        stage = Stage(inscription=inscription, phase=phase, entreprise=entreprise)
        stage.full_clean()
        stages.append(stage)
    bulk_create_with_history(stages, Stage, default_user=auteur)
    if candidat.statut != Candidat.Statut.RETENU:
        candidat.statut = Candidat.Statut.RETENU
        candidat.save(update_fields=["statut", "modifie_le"])
    agregats.recalculer(cohortes=[cohorte])
    echeances.recalculer_manquants(inscriptions=[inscription])
    return inscription


def verifier_date_entree(inscription, date_entree):
    """Raise ValidationError unless `inscription` may start on `date_entree` instead."""
    inscription.date_entree = date_entree
    inscription.full_clean(validate_constraints=False)
    sortie = inscription.sortie_enregistree
    if sortie and date_entree > sortie.date_sortie:
        raise ValidationError(
            {"date_entree": f"La sortie est enregistrée le {sortie.date_sortie:%d/%m/%Y}."}
        )
    premier_suivi = inscription.suivis.aggregate(premier=Min("mois"))["premier"]
    if premier_suivi and premier_suivi < first_of_month(date_entree):
        raise ValidationError(
            {
                "date_entree": f"Le suivi {de(nom_du_mois(premier_suivi))} est enregistré : "
                f"l'entrée ne peut être plus tardive."
            }
        )
    _refuser_chevauchement(
        inscription.candidat,
        date_entree,
        inscription.fin_de_formation(),
        exclure=Q(pk=inscription.pk),
    )
    periodes = [
        (date_entree if pk == inscription.pk else entree, fin)
        for pk, entree, fin in _periodes_en_formation(inscription.cohorte)
    ]
    if occupation_maximale(periodes) > inscription.cohorte.places:
        raise ValidationError(
            {"date_entree": f"La cohorte serait complète ({inscription.cohorte.places_en_clair})."}
        )


@transaction.atomic
def modifier_date_entree(*, inscription, date_entree):
    inscription = (
        Inscription.objects.select_for_update(of=("self",))
        .select_related("candidat", "cohorte__parcours__ecole", "sortie")
        .get(pk=inscription.pk)
    )
    Cohorte.objects.select_for_update().filter(pk=inscription.cohorte_id).first()
    verifier_date_entree(inscription, date_entree)
    inscription.save(update_fields=["date_entree"])
    agregats.recalculer(cohortes=[inscription.cohorte_id])
    echeances.recalculer_manquants(inscriptions=[inscription])
    return inscription


# Internships


@dataclasses.dataclass
class Convention:
    """The internship agreement data of one internship: tutor, weekly hours, activities."""

    tuteur: object = None
    heures_hebdomadaires: object = None
    activites: str = ""

    def appliquer(self, stage):
        stage.tuteur = self.tuteur
        if self.heures_hebdomadaires is not None:
            stage.heures_hebdomadaires = self.heures_hebdomadaires
        stage.activites = self.activites


def _donnees_du_stage(stage):
    return (stage.entreprise_id, stage.tuteur_id, stage.heures_hebdomadaires, stage.activites)


@transaction.atomic
def definir_stages(*, inscription, entreprises_de_stage, conventions=None):
    """Set the host company of each internship phase of `inscription`, and its agreement data.

    `entreprises_de_stage` maps each internship PhaseCohorte to its Entreprise, or to None
    where the host is not known (yet): that phase's internship is removed. `conventions`
    maps a phase to its `Convention`; without one, a change of host company drops the
    tutor, who was a contact of the former host.
    """
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    existants = {
        stage.phase_id: stage for stage in inscription.stages.select_related("tuteur__entreprise")
    }
    conventions = conventions or {}
    for phase, entreprise in entreprises_de_stage.items():
        stage = existants.get(phase.pk)
        if entreprise is None:
            if stage is not None:
                stage.delete()
            continue
        convention = conventions.get(phase)
        avant = _donnees_du_stage(stage) if stage is not None else None
        if stage is not None and stage.entreprise_id != entreprise.pk:
            stage.tuteur = None
        stage = stage or Stage(inscription=inscription, phase=phase)
        stage.entreprise = entreprise
        if convention is not None:
            convention.appliquer(stage)
        if _donnees_du_stage(stage) == avant:
            # Unchanged: no save, so that the history records only real changes.
            continue
        try:
            stage.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(
                [f"{phase.intitule} : {message}" for message in error.messages]
            ) from error
        stage.save()
    echeances.recalculer_manquants(inscriptions=[inscription])
    return inscription


@transaction.atomic
def enregistrer_stage(stage):
    """Save one internship (the admin's form) under the model's rules."""
    stage.full_clean()
    avant = list(Stage.objects.filter(pk=stage.pk).values_list("inscription_id", flat=True))
    stage.save()
    echeances.recalculer_manquants(inscriptions=[*avant, stage.inscription_id])
    return stage


@transaction.atomic
def supprimer_stages(*, stages):
    """Delete internships: their phases are without a host company again."""
    stages = list(stages)
    for stage in stages:
        # One by one, so that the history keeps a deletion row for each.
        stage.delete()
    echeances.recalculer_manquants(inscriptions={stage.inscription_id for stage in stages})


# Exits


def _verifier_fin_de_formation(inscription, fin):
    """Raise ValidationError unless `inscription` may be in training until `fin`."""
    dernier_suivi = inscription.suivis.aggregate(dernier=Max("mois"))["dernier"]
    if dernier_suivi and dernier_suivi > fin:
        raise ValidationError(
            {
                "date_sortie": f"Le suivi {de(nom_du_mois(dernier_suivi))} est enregistré : la "
                f"sortie ne peut le précéder."
            }
        )
    try:
        _refuser_chevauchement(
            inscription.candidat, inscription.date_entree, fin, exclure=Q(pk=inscription.pk)
        )
    except ValidationError as error:
        raise ValidationError({"date_sortie": error.messages}) from error
    periodes = [
        (entree, fin if pk == inscription.pk else fin_autre)
        for pk, entree, fin_autre in _periodes_en_formation(inscription.cohorte)
    ]
    if occupation_maximale(periodes) > inscription.cohorte.places:
        raise ValidationError(
            {
                "date_sortie": f"Sa place a été reprise : la cohorte compterait plus de "
                f"{inscription.cohorte.places} stagiaires en même temps."
            }
        )


def verifier_sortie(sortie):
    """Raise ValidationError unless `sortie` (unsaved changes included) may be recorded."""
    sortie.full_clean()
    inscription = sortie.inscription
    ancienne = Sortie.objects.filter(pk=sortie.pk).values_list("date_sortie", flat=True).first()
    if sortie.date_sortie != ancienne:
        _verifier_fin_de_formation(inscription, sortie.date_sortie)


@transaction.atomic
def enregistrer_sortie(*, inscription, sortie=None, **champs):
    """Record (or correct) the exit of a trainee and close the enrollment.

    `sortie` is an instance already filled (the admin's form); otherwise `champs` are set
    on the enrollment's exit, new or existing.
    """
    inscription = (
        Inscription.objects.select_for_update(of=("self",))
        .select_related("candidat", "cohorte")
        .get(pk=inscription.pk)
    )
    Cohorte.objects.select_for_update().filter(pk=inscription.cohorte_id).first()
    if sortie is None:
        sortie = Sortie.objects.filter(inscription=inscription).first() or Sortie()
        for name, value in champs.items():
            setattr(sortie, name, value)
    sortie.inscription = inscription
    verifier_sortie(sortie)
    # The employer before the change: its needs may lose a hire.
    ancien_employeur = (
        list(
            Sortie.objects.filter(pk=sortie.pk).values_list("entreprise_utilisatrice_id", flat=True)
        )
        if sortie.pk
        else []
    )
    sortie.save()
    if inscription.statut != Inscription.Statut.SORTIE:
        inscription.statut = Inscription.Statut.SORTIE
        inscription.save(update_fields=["statut"])
    planifier_enquetes(sortie)
    recalculer_apres_sortie(
        cohorte_id=inscription.cohorte_id,
        entreprise_ids=[*ancien_employeur, sortie.entreprise_utilisatrice_id],
    )
    agregats.recalculer(cohortes=[inscription.cohorte_id])
    echeances.recalculer_manquants(inscriptions=[inscription])
    return sortie


def refus_de_suppression(sortie):
    """Why deleting `sortie` is refused, or None: the trainee would be in training again
    until the cohort's end, which must not overlap another enrollment nor exceed seats."""
    inscription = sortie.inscription
    try:
        _verifier_fin_de_formation(inscription, inscription.cohorte.date_fin)
    except ValidationError as error:
        return f"{sortie} : {' '.join(error.messages)}"
    return None


@transaction.atomic
def supprimer_sorties(*, sorties):
    """Delete recorded exits: their enrollments are in training again."""
    sorties = list(sorties.select_related("inscription__candidat", "inscription__cohorte"))
    refus = [message for sortie in sorties if (message := refus_de_suppression(sortie))]
    if refus:
        raise ValidationError(refus)
    inscription_ids = [sortie.inscription_id for sortie in sorties]
    employeurs = {}
    for sortie in sorties:
        if sortie.entreprise_utilisatrice_id:
            cohorte_id = sortie.inscription.cohorte_id
            employeurs.setdefault(cohorte_id, set()).add(sortie.entreprise_utilisatrice_id)
        # One by one, so that the history keeps a deletion row for each.
        sortie.delete()
    Inscription.objects.filter(pk__in=inscription_ids).update(
        statut=Inscription.Statut.EN_FORMATION
    )
    for cohorte_id, entreprise_ids in employeurs.items():
        recalculer_apres_sortie(cohorte_id=cohorte_id, entreprise_ids=entreprise_ids)
    agregats.recalculer(cohortes={sortie.inscription.cohorte_id for sortie in sorties})
    echeances.recalculer_manquants(inscriptions=inscription_ids)


@transaction.atomic
def enregistrer_suivi(suivi):
    """Save a monthly check-in, new or corrected (after the form's or the admin's
    validation): its month is no longer missing, and a month it leaves is again."""
    suivi.save()
    echeances.recalculer_manquants(inscriptions=[suivi.inscription_id])
    return suivi


@transaction.atomic
def supprimer_suivis(*, suivis):
    """Delete check-ins: their months are missing again."""
    suivis = list(suivis)
    for suivi in suivis:
        # One by one, so that the history keeps a deletion row for each.
        suivi.delete()
    echeances.recalculer_manquants(inscriptions={suivi.inscription_id for suivi in suivis})
