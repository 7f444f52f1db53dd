"""Writes that span several models, each in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from candidats.models import Candidat

from .models import Cohorte, Inscription, PhaseCohorte, Sortie, Stage, TypePhase


@transaction.atomic
def creer_cohorte(*, parcours, nom, date_debut, places):
    """A cohort of `parcours` starting on `date_debut`, its phases laid end to end."""
    cohorte = Cohorte(
        parcours=parcours, nom=nom, date_debut=date_debut, date_fin=date_debut, places=places
    )
    phases = []
    debut = date_debut
    for modele in parcours.phases.order_by("ordre"):
        fin = debut + datetime.timedelta(weeks=modele.duree_semaines) - datetime.timedelta(days=1)
        phases.append(
            PhaseCohorte(
                ordre=modele.ordre,
                type=modele.type,
                intitule=modele.intitule,
                date_debut=debut,
                date_fin=fin,
            )
        )
        debut = fin + datetime.timedelta(days=1)
    if phases:
        cohorte.date_fin = phases[-1].date_fin
    cohorte.full_clean()
    cohorte.save()
    for phase in phases:
        phase.cohorte = cohorte
    PhaseCohorte.objects.bulk_create(phases)
    return cohorte


def inscriptions_chevauchantes(candidat, date_debut, date_fin):
    """The candidate's enrollments whose time in training overlaps the given dates."""
    return (
        Inscription.objects.filter(candidat=candidat)
        .annotate(fin_effective=Coalesce("sortie__date_sortie", F("cohorte__date_fin")))
        .filter(Q(date_entree__lte=date_fin) & Q(fin_effective__gte=date_debut))
        .select_related("cohorte")
    )


@transaction.atomic
def inscrire(*, candidat, cohorte, date_entree, entreprises_de_stage=None, auteur=None, today=None):
    """Enroll `candidat` in `cohorte`, with a host company for each internship phase.

    `entreprises_de_stage` maps an internship PhaseCohorte to its Entreprise. The cohort
    and candidate rows are locked, so two staff enrolling the last seat at once get one
    enrollment and one clear refusal.
    """
    today = today or timezone.localdate()
    cohorte = (
        Cohorte.objects.select_for_update().select_related("parcours__ecole").get(pk=cohorte.pk)
    )
    candidat = Candidat.objects.select_for_update().get(pk=candidat.pk)
    if cohorte.date_fin < today:
        raise ValidationError(
            "Cette cohorte est terminée : on ne peut plus y inscrire de candidat."
        )
    if not cohorte.date_debut <= date_entree <= cohorte.date_fin:
        raise ValidationError(
            f"La date d'entrée doit être comprise entre le {cohorte.date_debut:%d/%m/%Y} "
            f"et le {cohorte.date_fin:%d/%m/%Y}."
        )
    if Inscription.objects.filter(candidat=candidat, cohorte=cohorte).exists():
        raise ValidationError(f"{candidat} est déjà inscrit·e dans cette cohorte.")
    if cohorte.inscriptions.count() >= cohorte.places:
        raise ValidationError(f"La cohorte est complète ({cohorte.places} places).")
    conflit = inscriptions_chevauchantes(candidat, date_entree, cohorte.date_fin).first()
    if conflit:
        raise ValidationError(
            f"{candidat} est déjà en formation dans la cohorte « {conflit.cohorte} » sur ces dates."
        )
    entreprises_de_stage = entreprises_de_stage or {}
    membres = set(cohorte.parcours.ecole.entreprises_adherentes.values_list("pk", flat=True))
    for phase, entreprise in entreprises_de_stage.items():
        if phase.cohorte_id != cohorte.pk or phase.type != TypePhase.STAGE:
            raise ValidationError(
                f"La phase « {phase.intitule} » n'est pas un stage de cette cohorte."
            )
        if entreprise.pk not in membres:
            raise ValidationError(
                f"{entreprise.nom} n'est pas une entreprise adhérente de l'école."
            )
    try:
        with transaction.atomic():
            inscription = Inscription.objects.create(
                candidat=candidat, cohorte=cohorte, date_entree=date_entree, creee_par=auteur
            )
    except IntegrityError as error:
        raise ValidationError(f"{candidat} est déjà inscrit·e dans cette cohorte.") from error
    bulk_create_with_history(
        [
            Stage(inscription=inscription, phase=phase, entreprise=entreprise)
            for phase, entreprise in entreprises_de_stage.items()
        ],
        Stage,
        default_user=auteur,
    )
    if candidat.statut != Candidat.Statut.RETENU:
        candidat.statut = Candidat.Statut.RETENU
        candidat.save(update_fields=["statut", "modifie_le"])
    return inscription


@transaction.atomic
def supprimer_sorties(*, sorties):
    """Delete recorded exits: their enrollments are in training again."""
    inscription_ids = list(sorties.values_list("inscription_id", flat=True))
    for sortie in sorties:
        # One by one, so that the history keeps a deletion row for each.
        sortie.delete()
    Inscription.objects.filter(pk__in=inscription_ids).update(
        statut=Inscription.Statut.EN_FORMATION
    )


@transaction.atomic
def enregistrer_sortie(*, inscription, **champs):
    """Record (or correct) the exit of a trainee and close the enrollment."""
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    sortie = Sortie.objects.filter(inscription=inscription).first() or Sortie(
        inscription=inscription
    )
    for name, value in champs.items():
        setattr(sortie, name, value)
    sortie.full_clean()
    sortie.save()
    if inscription.statut != Inscription.Statut.SORTIE:
        inscription.statut = Inscription.Statut.SORTIE
        inscription.save(update_fields=["statut"])
    return sortie
