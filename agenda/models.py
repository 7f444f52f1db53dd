"""Calendar feeds of a school, and what each published calendar entry looked like last.

A feed (`JetonCalendrier`) is opened by a secret token that calendar apps keep in the
feed's address: they cannot sign in. The database keeps only the token's SHA-256; a
revoked feed answers 404 like a made-up one.

A calendar app updates an entry in place when its UID stays the same and its SEQUENCE
grows. The cohort phases and the events have no modification date of their own, so each
entry's published content is remembered (`VersionPubliee`): when it changes, its
sequence goes up and its modification date is the day of the change.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


def empreinte_du_jeton(jeton):
    """What the database keeps of a feed's token: its SHA-256, never the token itself."""
    return hashlib.sha256(jeton.encode()).hexdigest()


class JetonCalendrierQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(revoque_le__isnull=True)


class JetonCalendrier(models.Model):
    """The secret of one subscription to a school's calendar feed."""

    ecole = models.ForeignKey(
        "ecoles.Ecole",
        on_delete=models.CASCADE,
        related_name="jetons_calendrier",
        verbose_name="école",
    )
    libelle = models.CharField(
        "libellé",
        max_length=100,
        help_text="Pour qui ou pour quel agenda, par ex. « Agenda partagé de l'équipe ».",
    )
    empreinte = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    cree_le = models.DateTimeField("créé le")
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoqué par",
    )
    consulte_le = models.DateTimeField("dernière consultation", null=True, blank=True)
    # The creation form's own random key: a second submit of the same form creates nothing.
    jeton_creation = models.CharField(max_length=64, unique=True, editable=False)

    objects = JetonCalendrierQuerySet.as_manager()

    class Meta:
        verbose_name = "calendrier partagé"
        verbose_name_plural = "calendriers partagés"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoque_le__isnull=True) | Q(revoque_le__gte=models.F("cree_le")),
                name="jeton_calendrier_revoque_apres_creation",
            ),
        ]

    def __str__(self):
        return f"{self.libelle} — {self.ecole}"

    @property
    def est_revoque(self):
        return self.revoque_le is not None


class VersionPubliee(models.Model):
    """The last published content of one calendar entry, by its UID."""

    uid = models.CharField("UID", max_length=200, unique=True)
    empreinte = models.CharField("empreinte du contenu", max_length=64)
    sequence = models.PositiveIntegerField("séquence", default=0)
    modifiee_le = models.DateTimeField("modifiée le")

    class Meta:
        verbose_name = "version publiée"
        verbose_name_plural = "versions publiées"

    def __str__(self):
        return f"{self.uid} (séquence {self.sequence})"
