"""The indicators' summary tables, kept by the services that write the facts.

The page sums these rows instead of reading every enrollment, exit and candidate:
`agregats.recalculer` rewrites the rows of the cohorts and days a change touches, in the
writer's transaction. Rows are per day because the page's period starts and ends on any
day; a cohort's entries and exits fall on a few days, so a cohort has a few rows.
"""

from django.db import models
from django.db.models import Q

from candidats.models import CanalSourcing
from ecoles.models import Filiere


class AgregatCohorteJour(models.Model):
    """The entries and exits of one cohort on one day (an entry counts on its entry date,
    an exit on its exit date)."""

    cohorte = models.ForeignKey(
        "parcours.Cohorte", on_delete=models.CASCADE, related_name="+", verbose_name="cohorte"
    )
    jour = models.DateField("jour")
    entrees = models.PositiveIntegerField("entrées", default=0)
    sorties = models.PositiveIntegerField("sorties", default=0)
    abandons = models.PositiveIntegerField("abandons", default=0)
    emploi_durable = models.PositiveIntegerField("sorties en emploi durable", default=0)
    emploi_transition = models.PositiveIntegerField("sorties en emploi de transition", default=0)
    sortie_positive = models.PositiveIntegerField("sorties positives", default=0)

    class Meta:
        verbose_name = "agrégat d'une cohorte par jour"
        verbose_name_plural = "agrégats des cohortes par jour"
        ordering = ["jour", "cohorte"]
        constraints = [
            models.UniqueConstraint(fields=["cohorte", "jour"], name="agregat_cohorte_jour_unique")
        ]
        indexes = [models.Index(fields=["jour"], name="agregat_cohorte_jour_idx")]

    def __str__(self):
        return f"{self.cohorte_id} — {self.jour:%d/%m/%Y}"


class AgregatCandidatsJour(models.Model):
    """The sourcing funnel of the candidates added on one day (local time) through one
    channel, for one school and job family.

    A candidate belongs to a school when it is the one they aim for or when they enrolled
    in one of its cohorts, so they may belong to several: each candidate counts once in
    the row of every school (`filiere` blank), every job family (`ecole` empty), every
    school and job family pair they belong to, and in the row of neither (the whole
    programme). Each filter of the page then reads rows where nobody counts twice.
    """

    jour = models.DateField("jour de création")
    canal = models.CharField("canal", max_length=30, choices=CanalSourcing)
    ecole = models.ForeignKey(
        "ecoles.Ecole",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="école",
    )
    filiere = models.CharField("filière", max_length=30, choices=Filiere, blank=True)
    sources = models.PositiveIntegerField("candidats sourcés", default=0)
    preselectionnes = models.PositiveIntegerField("présélectionnés", default=0)
    inscrits = models.PositiveIntegerField("inscrits en cohorte", default=0)
    sortis = models.PositiveIntegerField("sortis de formation", default=0)
    emploi_durable = models.PositiveIntegerField("en emploi durable", default=0)

    class Meta:
        verbose_name = "agrégat des candidats par jour"
        verbose_name_plural = "agrégats des candidats par jour"
        ordering = ["jour", "canal"]
        constraints = [
            models.UniqueConstraint(
                fields=["jour", "canal", "ecole", "filiere"],
                condition=Q(ecole__isnull=False),
                name="agregat_candidats_ecole_unique",
            ),
            models.UniqueConstraint(
                fields=["jour", "canal", "filiere"],
                condition=Q(ecole__isnull=True),
                name="agregat_candidats_sans_ecole_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["ecole", "filiere", "jour"], name="agregat_candidats_filtre_idx")
        ]

    def __str__(self):
        return f"{self.jour:%d/%m/%Y} — {self.get_canal_display()}"


class ParcoursDuCandidat(models.Model):
    """What became of a candidate once enrolled: one row per candidate who entered a
    cohort, telling whether one of their exits was into employment (durable or
    transition). The events' funnel reads it beside each participation instead of
    looking through every candidate's enrollments and exits."""

    candidat = models.OneToOneField(
        "candidats.Candidat",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="parcours_agrege",
        verbose_name="candidat",
    )
    en_emploi = models.BooleanField("sorti en emploi", default=False)

    class Meta:
        verbose_name = "parcours agrégé d'un candidat"
        verbose_name_plural = "parcours agrégés des candidats"
        ordering = ["candidat"]

    def __str__(self):
        return f"{self.candidat_id} — {'en emploi' if self.en_emploi else 'inscrit'}"
