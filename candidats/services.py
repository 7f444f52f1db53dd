"""Writes to a candidate's file made from elsewhere than the file's own form.

The file's page and the Django admin save it through its ModelForm, which runs the
model's validation (`full_clean`). A status changed from another flow (a conclusive
immersion) runs that same validation here, so no path stores what the file's form would
refuse; the history keeps who made the change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from indicateurs import agregats

from .models import Candidat

FICHE_ANONYMISEE = "Cette fiche est anonymisée : elle ne peut plus être modifiée."


def _fiche_verrouillee(candidat):
    fiche = Candidat.objects.select_for_update().get(pk=candidat.pk)
    if fiche.anonymise_le is not None:
        raise ValidationError(FICHE_ANONYMISEE)
    return fiche


def avancer_le_contact(fiche, jour):
    """`jour` becomes the last contact unless a later one is recorded; the changed fields."""
    if fiche.date_dernier_contact is not None and fiche.date_dernier_contact >= jour:
        return []
    fiche.date_dernier_contact = jour
    return ["date_dernier_contact"]


def _enregistrer(fiche, champs, auteur):
    if auteur is not None:
        # Outside a request (a command, a job) the history has no user of its own.
        fiche._history_user = auteur
    fiche.save(update_fields=[*champs, "modifie_le"])


@transaction.atomic
def enregistrer_fiche(fiche):
    """Save a file as a form (the portal's or the admin's) validated it, and count it again
    in the indicators. Returns the file."""
    fiche.save()
    agregats.recalculer(candidats=[fiche])
    return fiche


@transaction.atomic
def changer_statut(*, candidat, statut, auteur=None):
    """Move the file to `statut`, validated as its form validates it; the day of the
    change becomes its last contact. Returns the saved file."""
    fiche = _fiche_verrouillee(candidat)
    fiche.statut = statut
    champs = ["statut", *avancer_le_contact(fiche, timezone.localdate())]
    fiche.full_clean(exclude=["recherche", "jeton_creation"], validate_unique=False)
    _enregistrer(fiche, champs, auteur)
    agregats.recalculer(candidats=[fiche])
    return fiche


@transaction.atomic
def noter_contact(*, candidat, jour, auteur=None):
    """Record a contact with the person on `jour` (the 24-month rule counts from the
    last one). Returns the file, saved only if its last contact moved."""
    fiche = _fiche_verrouillee(candidat)
    champs = avancer_le_contact(fiche, min(jour, timezone.localdate()))
    if champs:
        _enregistrer(fiche, champs, auteur)
    return fiche
