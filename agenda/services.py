"""Every write of the calendar feeds: creating and revoking a feed, and the versions of
the published entries."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JetonCalendrier, VersionPubliee, empreinte_du_jeton


class CalendrierDejaCree(Exception):
    """The creation form was submitted twice: the first submit created the feed."""


@transaction.atomic
def creer_calendrier(*, ecole, libelle, cree_par, jeton_creation):
    """A new feed of `ecole`, and its clear token, which is never stored and shown once.

    `jeton_creation` is the creation form's random key: submitted again, it raises
    `CalendrierDejaCree` and creates nothing.
    """
    libelle = (libelle or "").strip()
    if not libelle:
        raise ValidationError({"libelle": "Donnez un libellé à ce calendrier."})
    jeton = secrets.token_urlsafe(32)
    calendrier = JetonCalendrier(
        ecole=ecole,
        libelle=libelle,
        empreinte=empreinte_du_jeton(jeton),
        cree_par=cree_par,
        cree_le=timezone.now(),
        jeton_creation=jeton_creation,
    )
    calendrier.full_clean(exclude=["jeton_creation"])
    try:
        with transaction.atomic():
            calendrier.save()
    except IntegrityError:
        if JetonCalendrier.objects.filter(jeton_creation=jeton_creation).exists():
            raise CalendrierDejaCree from None
        raise
    return calendrier, jeton


@transaction.atomic
def revoquer_calendrier(*, calendrier, par):
    """Revoke `calendrier`: its address answers 404 from now on. False if it already was."""
    verrouille = JetonCalendrier.objects.select_for_update().get(pk=calendrier.pk)
    if verrouille.est_revoque:
        return False
    verrouille.revoque_le = timezone.now()
    verrouille.revoque_par = par
    verrouille.save(update_fields=["revoque_le", "revoque_par"])
    calendrier.revoque_le, calendrier.revoque_par = verrouille.revoque_le, par
    return True


def calendrier_du_jeton(jeton):
    """The active feed of a clear token, with its school, or None (made up or revoked)."""
    return (
        JetonCalendrier.objects.actifs()
        .select_related("ecole")
        .filter(empreinte=empreinte_du_jeton(jeton))
        .first()
    )


def noter_consultation(calendrier, maintenant):
    """When the feed was last read: staff see which feeds are still in use."""
    JetonCalendrier.objects.filter(pk=calendrier.pk).update(consulte_le=maintenant)


@transaction.atomic
def versions_publiees(contenus, maintenant):
    """The `VersionPubliee` of each UID of `contenus` (UID → fingerprint of its content).

    A new UID starts at sequence 0; a UID whose content changed gets the next sequence
    and `maintenant` as its modification date; an unchanged one keeps both. Three queries
    at most, however many entries: the rows read under lock, the changed ones updated in
    one statement, the new ones inserted in one.
    """
    versions = {
        version.uid: version
        for version in VersionPubliee.objects.select_for_update().filter(uid__in=contenus)
    }
    changees = []
    for uid, empreinte in contenus.items():
        version = versions.get(uid)
        if version is not None and version.empreinte != empreinte:
            version.empreinte = empreinte
            version.sequence += 1
            version.modifiee_le = maintenant
            changees.append(version)
    if changees:
        VersionPubliee.objects.bulk_update(changees, ["empreinte", "sequence", "modifiee_le"])
    nouvelles = [
        VersionPubliee(uid=uid, empreinte=empreinte, sequence=0, modifiee_le=maintenant)
        for uid, empreinte in contenus.items()
        if uid not in versions
    ]
    if nouvelles:
        # A feed read at the same moment may insert the same UID: its row is as good.
        VersionPubliee.objects.bulk_create(nouvelles, ignore_conflicts=True)
        versions |= {version.uid: version for version in nouvelles}
    return versions
