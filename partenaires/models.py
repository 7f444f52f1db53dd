import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

# How long a record of who opened which cohort page is kept.
CONSERVATION_CONSULTATIONS_JOURS = 365


class ConsultationQuerySet(models.QuerySet):
    def expirees(self, now=None):
        """Records older than the retention period."""
        limite = (now or timezone.now()) - datetime.timedelta(days=CONSERVATION_CONSULTATIONS_JOURS)
        return self.filter(viewed_at__lt=limite)


class Consultation(models.Model):
    """A partner opened a cohort page: who saw which trainees' data, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="utilisateur",
    )
    cohorte = models.ForeignKey(
        "parcours.Cohorte",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="cohorte",
    )
    viewed_at = models.DateTimeField("consultée le", default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation"
        verbose_name_plural = "consultations"
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} — {self.cohorte} — {timezone.localtime(self.viewed_at):%d/%m/%Y %H:%M}"
