"""Half-days (créneaux) of a cohort and each trainee's attendance on them.

A half-day comes from the cohort's calendar (`services.generer_creneaux`); an attendance
is one row per trainee and half-day, written only through `services`. A week whose
signed sheet was uploaded is locked (`SemaineVerrouillee`): a later correction needs a
reason, kept in the history.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from parcours.models import TypePhase


class Moment(models.TextChoices):
    MATIN = "matin", "Matin"
    APRES_MIDI = "apres_midi", "Après-midi"


class Creneau(models.Model):
    """One half-day of a cohort on a working day."""

    cohorte = models.ForeignKey(
        "parcours.Cohorte",
        on_delete=models.CASCADE,
        related_name="creneaux",
        verbose_name="cohorte",
    )
    phase = models.ForeignKey(
        "parcours.PhaseCohorte",
        on_delete=models.SET_NULL,
        related_name="creneaux",
        verbose_name="phase",
        null=True,
        blank=True,
    )
    type = models.CharField("type", max_length=20, choices=TypePhase)
    date = models.DateField("date")
    moment = models.CharField("demi-journée", max_length=20, choices=Moment)
    heures_prevues = models.DecimalField("heures prévues", max_digits=3, decimal_places=1)
    lieu = models.CharField("lieu", max_length=200, blank=True)
    formateur = models.CharField("formateur", max_length=200, blank=True)

    class Meta:
        verbose_name = "demi-journée"
        verbose_name_plural = "demi-journées"
        ordering = ["date", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohorte", "date", "moment"], name="creneau_unique_par_demi_journee"
            ),
            models.CheckConstraint(
                condition=Q(heures_prevues__gt=0), name="creneau_heures_positives"
            ),
        ]
        # The home page's unjustified absences of the month read half-days by date.
        indexes = [models.Index(fields=["date"], name="creneau_date_idx")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_moment_display().lower()}"


class StatutPresence(models.TextChoices):
    PRESENT = "present", "Présent"
    RETARD = "retard", "En retard"
    ABSENT_JUSTIFIE = "absent_justifie", "Absent justifié"
    ABSENT_NON_JUSTIFIE = "absent_non_justifie", "Absent non justifié"
    NON_APPLICABLE = "non_applicable", "Non concerné"


class Presence(models.Model):
    """A trainee's attendance on one half-day."""

    creneau = models.ForeignKey(
        Creneau, on_delete=models.PROTECT, related_name="presences", verbose_name="demi-journée"
    )
    inscription = models.ForeignKey(
        "parcours.Inscription",
        on_delete=models.CASCADE,
        related_name="presences",
        verbose_name="inscription",
    )
    statut = models.CharField("présence", max_length=30, choices=StatutPresence)
    minutes_retard = models.PositiveSmallIntegerField("minutes de retard", null=True, blank=True)
    motif = models.CharField("motif de l'absence", max_length=200, blank=True)
    heures_realisees = models.DecimalField(
        "heures réalisées", max_digits=3, decimal_places=1, default=Decimal("0")
    )
    motif_correction = models.CharField(
        "motif de la correction",
        max_length=200,
        blank=True,
        help_text="Demandé quand la semaine est verrouillée par sa feuille signée.",
    )
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="saisie par",
        null=True,
        blank=True,
    )
    saisie_le = models.DateTimeField("saisie le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        ordering = ["creneau__date", "creneau__moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["inscription", "creneau"], name="presence_unique_par_demi_journee"
            ),
            models.CheckConstraint(
                condition=Q(heures_realisees__gte=0), name="presence_heures_positives"
            ),
            models.CheckConstraint(
                condition=~Q(statut="retard") | Q(minutes_retard__gt=0),
                name="presence_retard_en_minutes",
            ),
        ]
        indexes = [models.Index(fields=["creneau", "statut"], name="presence_creneau_statut_idx")]

    def __str__(self):
        return f"{self.get_statut_display()} — {self.creneau}"


class AbsencesDuMois(models.Model):
    """How many unjustified absences a trainee has in one month, when they have any: what
    the home page's alert reads through its (mois, absences) index, instead of every
    half-day of the month. Kept by `services.enregistrer_presences`, the only writer of
    attendance, and rebuilt by `reconstruire_indicateurs`."""

    inscription = models.ForeignKey(
        "parcours.Inscription",
        on_delete=models.CASCADE,
        related_name="absences_du_mois",
        verbose_name="inscription",
    )
    mois = models.DateField("mois")
    absences = models.PositiveIntegerField("absences non justifiées")

    class Meta:
        verbose_name = "absences non justifiées du mois"
        verbose_name_plural = "absences non justifiées par mois"
        constraints = [
            models.UniqueConstraint(fields=["inscription", "mois"], name="absences_du_mois_unique")
        ]
        indexes = [models.Index(fields=["mois", "absences"], name="absences_du_mois_idx")]

    def __str__(self):
        return f"{self.mois:%m/%Y} — {self.absences}"


class SemaineVerrouillee(models.Model):
    """A week of a cohort whose signed attendance sheet was uploaded."""

    cohorte = models.ForeignKey(
        "parcours.Cohorte",
        on_delete=models.CASCADE,
        related_name="semaines_verrouillees",
        verbose_name="cohorte",
    )
    lundi = models.DateField("semaine du")
    verrouillee_le = models.DateTimeField("verrouillée le", auto_now_add=True)
    verrouillee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="verrouillée par",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "semaine verrouillée"
        verbose_name_plural = "semaines verrouillées"
        ordering = ["cohorte", "lundi"]
        constraints = [
            models.UniqueConstraint(fields=["cohorte", "lundi"], name="semaine_verrouillee_unique"),
        ]

    def __str__(self):
        return f"{self.cohorte} — semaine du {self.lundi:%d/%m/%Y}"
