"""The only write path of events, their participants and company immersions.

Staff pages, the Django admin, the attendance import and the demo data all write through
these functions. Seats are counted under a lock of the event row, so two registrations for
the last seat sent at once give one participant.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidats import services as candidats
from candidats.models import CanalSourcing, Candidat

from .imports import analyser_presences
from .models import Evenement, Immersion, Participation, StatutParticipation

COMPLET = (
    "L'événement est complet : libérez une place (participant excusé) ou augmentez sa capacité."
)


# Events


def valider_evenement(evenement):
    evenement.full_clean(validate_constraints=False, exclude=["jeton_creation"])


@transaction.atomic
def creer_evenement(*, evenement, ecoles=(), entreprises_hotes=(), jeton=None):
    """Save the new `evenement`; a second submit of the same form returns the first one."""
    if jeton:
        deja_cree = Evenement.objects.filter(jeton_creation=jeton).first()
        if deja_cree is not None:
            return deja_cree
    valider_evenement(evenement)
    evenement.jeton_creation = jeton or None
    try:
        with transaction.atomic():
            evenement.save()
    except IntegrityError:
        return Evenement.objects.get(jeton_creation=jeton)
    evenement.ecoles.set(ecoles)
    evenement.entreprises_hotes.set(entreprises_hotes)
    return evenement


@transaction.atomic
def modifier_evenement(*, evenement, ecoles, entreprises_hotes):
    """Save the changed `evenement`; its capacity never drops below the seats taken."""
    Evenement.objects.select_for_update().filter(pk=evenement.pk).first()
    valider_evenement(evenement)
    prises = Participation.objects.filter(evenement=evenement).occupant_une_place().count()
    if evenement.capacite is not None and evenement.capacite < prises:
        raise ValidationError(
            {
                "capacite": f"{prises} participants occupent déjà une place : la capacité "
                f"ne peut pas descendre en dessous."
            }
        )
    evenement.save()
    evenement.ecoles.set(ecoles)
    evenement.entreprises_hotes.set(entreprises_hotes)
    return evenement


@transaction.atomic
def annuler_evenement(*, evenement):
    """Mark the event cancelled: it keeps its participants and takes no new ones."""
    Evenement.objects.filter(pk=evenement.pk, annule_le__isnull=True).update(
        annule_le=timezone.now()
    )
    evenement.refresh_from_db(fields=["annule_le"])
    return evenement


@transaction.atomic
def supprimer_evenement(*, evenement):
    """Delete the event and its participations; candidates it brought keep their file."""
    evenement.delete()


# Participants


def _evenement_verrouille(evenement):
    return Evenement.objects.select_for_update().get(pk=evenement.pk)


def _verifier_place(evenement, exclure=None):
    prises = Participation.objects.filter(evenement=evenement).occupant_une_place()
    if exclure is not None:
        prises = prises.exclude(pk=exclure)
    if prises.count() >= evenement.capacite:
        raise ValidationError(COMPLET)


def _verifier_ouvert(evenement):
    if evenement.est_annule:
        raise ValidationError("Cet événement est annulé : il ne prend plus d'inscriptions.")


def jour_du_contact(evenement):
    """A registration is a contact with the person: on the day of a past event (a list
    entered afterwards), today for an event to come."""
    return min(evenement.date, timezone.localdate())


@transaction.atomic
def inscrire_participant(*, evenement, candidat, statut=StatutParticipation.INSCRIT):
    """Register `candidat` at `evenement`, within its capacity; the registration is the
    person's latest contact."""
    evenement = _evenement_verrouille(evenement)
    _verifier_ouvert(evenement)
    if candidat.anonymise_le is not None:
        raise ValidationError("Cette fiche est anonymisée : elle ne peut plus être inscrite.")
    if Participation.objects.filter(evenement=evenement, candidat=candidat).exists():
        raise ValidationError(f"{candidat} est déjà inscrit·e à cet événement.")
    if statut in Participation.OCCUPE_UNE_PLACE:
        _verifier_place(evenement)
    participation = Participation.objects.create(
        evenement=evenement, candidat=candidat, statut=statut
    )
    candidats.noter_contact(candidat=candidat, jour=jour_du_contact(evenement))
    return participation


@transaction.atomic
def inscrire_nouveau_candidat(
    *, evenement, candidat, jeton=None, statut=StatutParticipation.INSCRIT
):
    """Create the file of `candidat` (checked by the candidate form) and register them.

    The event is the candidate's source: channel "événement ou immersion", and the
    registration their latest contact. A double submit of the same form (same `jeton`)
    returns the participation it made.
    """
    evenement = _evenement_verrouille(evenement)
    if jeton:
        deja = Participation.objects.filter(
            evenement=evenement, candidat__jeton_creation=jeton
        ).first()
        if deja is not None:
            return deja
    _verifier_ouvert(evenement)
    _verifier_place(evenement)
    candidat.canal = CanalSourcing.EVENEMENT
    candidat.evenement_source = evenement
    candidat.jeton_creation = jeton or None
    candidats.avancer_le_contact(candidat, jour_du_contact(evenement))
    candidat.full_clean(exclude=["recherche", "jeton_creation"], validate_unique=False)
    candidats.enregistrer_fiche(candidat)
    return Participation.objects.create(evenement=evenement, candidat=candidat, statut=statut)


@transaction.atomic
def enregistrer_presences(*, evenement, statuts):
    """Give each participation of `evenement` its status: `statuts` maps pk to status.

    One save for the whole grid; the seats taken afterwards must fit the capacity.
    """
    evenement = _evenement_verrouille(evenement)
    participations = {
        participation.pk: participation
        for participation in Participation.objects.filter(evenement=evenement, pk__in=statuts)
    }
    inconnues = set(statuts) - participations.keys()
    if inconnues:
        raise ValidationError("Un des participants n'est plus inscrit à cet événement.")
    modifiees = []
    for pk, statut in statuts.items():
        if statut not in StatutParticipation.values:
            raise ValidationError(f"Statut inconnu « {statut} ».")
        participation = participations[pk]
        if participation.statut != statut:
            participation.statut = statut
            modifiees.append(participation)
    for participation in modifiees:
        participation.save(update_fields=["statut"])
    prises = Participation.objects.filter(evenement=evenement).occupant_une_place().count()
    if prises > evenement.capacite:
        raise ValidationError(
            f"{prises} participants occuperaient une place pour {evenement.capacite} : "
            "l'événement serait complet au-delà de sa capacité."
        )
    return modifiees


@transaction.atomic
def retirer_participant(*, participation):
    Evenement.objects.select_for_update().filter(pk=participation.evenement_id).first()
    participation.delete()


# Company immersions


def valider_immersion(immersion):
    immersion.full_clean(validate_constraints=False, exclude=["jeton_creation"])


@transaction.atomic
def enregistrer_immersion(*, immersion, jeton=None):
    """Save a new or changed immersion; a double submit of the creation form saves one."""
    if immersion.pk is None and jeton:
        deja = Immersion.objects.filter(jeton_creation=jeton).first()
        if deja is not None:
            return deja
        immersion.jeton_creation = jeton
    valider_immersion(immersion)
    if immersion.candidat.anonymise_le is not None:
        raise ValidationError("Cette fiche est anonymisée.")
    try:
        with transaction.atomic():
            immersion.save()
    except IntegrityError:
        return Immersion.objects.get(jeton_creation=jeton)
    return immersion


@transaction.atomic
def preselectionner(*, immersion, auteur=None):
    """After a conclusive immersion, the candidate becomes pre-selected, through the same
    status change as the candidate's file."""
    if not immersion.est_concluante:
        raise ValidationError("Seule une immersion concluante propose la présélection.")
    candidat = Candidat.objects.get(pk=immersion.candidat_id)
    if candidat.statut in (Candidat.Statut.PRESELECTIONNE, Candidat.Statut.RETENU):
        return candidat
    return candidats.changer_statut(
        candidat=candidat, statut=Candidat.Statut.PRESELECTIONNE, auteur=auteur
    )


# Attendance import


@transaction.atomic
def importer_presences(*, evenement, contenu):
    """Apply an attendance list: every row valid, or nothing saved.

    Walk-ins (present, not registered) are then registered as present, their existing
    file linked or a new one created as the registration page creates it; returns the
    participations whose status changed and those added.
    """
    evenement = _evenement_verrouille(evenement)
    analyse = analyser_presences(contenu, evenement=evenement)
    if not analyse.valide:
        raise ValidationError(analyse.erreurs)
    # The list's statuses first: a seat it frees may go to a walk-in.
    modifiees = enregistrer_presences(evenement=evenement, statuts=analyse.statuts())
    ajoutees = []
    for ligne in analyse.lignes:
        if ligne.candidat is not None:
            ajoutees.append(
                inscrire_participant(
                    evenement=evenement, candidat=ligne.candidat, statut=ligne.statut
                )
            )
        elif ligne.nouveau is not None:
            ajoutees.append(
                inscrire_nouveau_candidat(
                    evenement=evenement, candidat=ligne.nouveau, statut=ligne.statut
                )
            )
    return modifiees, ajoutees
