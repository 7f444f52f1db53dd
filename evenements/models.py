"""Events that attract candidates, their participants, and company immersions (PMSMP).

Seats: a participant who is registered (inscrit) or present (présent) holds a seat; an
excused or absent participant frees it, so that a seat given back before the event can be
offered to someone else. The rule is read in Python (`Participation.OCCUPE_UNE_PLACE`) and
in SQL (`ParticipationQuerySet.occupant_une_place`) from the same tuple.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ecoles.models import ecoles_visibles_filter
from portail.sql import compte


def un_mois_apres(day):
    """The same day of the next month, or its last day when the month is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class TypeEvenement(models.TextChoices):
    INFORMATION = "information", "Réunion d'information"
    JOB_DATING = "job_dating", "Job dating"
    FORUM = "forum", "Forum"
    VISITE = "visite", "Visite d'entreprise"
    IMMERSION = "immersion", "Immersion collective"


class StatutParticipation(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit"
    PRESENT = "present", "Présent"
    EXCUSE = "excuse", "Excusé"
    ABSENT = "absent", "Absent"


class EvenementQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Staff see every event; a partner only the events its organisations host."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_equipe:
            return self
        if not user.is_partenaire:
            return self.none()
        return self.filter(
            pk__in=Evenement.objects.filter(
                entreprises_hotes__appartenances__user=user,
                entreprises_hotes__appartenances__active=True,
            ).values("pk")
        )

    def des_ecoles_visibles_par(self, user):
        """The events of the schools `user` may see (the indicators' scope)."""
        return self.filter(
            pk__in=Evenement.objects.filter(ecoles_visibles_filter(user, "ecoles__")).values("pk")
        )

    def avec_places_prises(self):
        """Annotate `places_prises` and `nombre_participants`, counted for each event read
        (a page of a list counts its own events only)."""
        participations = Participation.objects.filter(evenement=OuterRef("pk"))
        return self.annotate(
            places_prises=compte(participations.filter(statut__in=Participation.OCCUPE_UNE_PLACE)),
            nombre_participants=compte(participations),
        )


class Evenement(models.Model):
    type = models.CharField("type", max_length=20, choices=TypeEvenement)
    titre = models.CharField("titre", max_length=200)
    date = models.DateField("date")
    heure_debut = models.TimeField("heure de début", null=True, blank=True)
    heure_fin = models.TimeField("heure de fin", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200)
    ecoles = models.ManyToManyField(
        "ecoles.Ecole", related_name="evenements", blank=True, verbose_name="écoles"
    )
    entreprises_hotes = models.ManyToManyField(
        "entreprises.Entreprise",
        related_name="evenements_accueillis",
        blank=True,
        verbose_name="entreprises hôtes",
    )
    organisateur = models.CharField("organisateur", max_length=200)
    capacite = models.PositiveIntegerField("capacité", help_text="Nombre de places.")
    annule_le = models.DateTimeField("annulé le", null=True, blank=True, editable=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)
    # The one-time token of the creation form: a double submit finds the event it made.
    jeton_creation = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = EvenementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["jeton_creation"])

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["-date", "-heure_debut", "titre"]
        constraints = [
            models.CheckConstraint(condition=Q(capacite__gt=0), name="evenement_capacite_positive"),
            models.CheckConstraint(
                condition=Q(heure_debut__isnull=True)
                | Q(heure_fin__isnull=True)
                | Q(heure_fin__gt=F("heure_debut")),
                name="evenement_fin_apres_debut",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="evenement_date_idx")]

    def __str__(self):
        return f"{self.titre} — {self.date:%d/%m/%Y}"

    def clean(self):
        if self.heure_debut and self.heure_fin and self.heure_fin <= self.heure_debut:
            raise ValidationError({"heure_fin": "L'heure de fin doit suivre l'heure de début."})
        if self.capacite is not None and self.capacite < 1:
            raise ValidationError({"capacite": "La capacité doit être d'au moins une place."})

    @property
    def est_annule(self):
        return self.annule_le is not None

    def places_occupees(self):
        return self.participations.occupant_une_place().count()


class ParticipationQuerySet(models.QuerySet):
    def occupant_une_place(self):
        return self.filter(statut__in=Participation.OCCUPE_UNE_PLACE)


class Participation(models.Model):
    OCCUPE_UNE_PLACE = (StatutParticipation.INSCRIT, StatutParticipation.PRESENT)

    evenement = models.ForeignKey(
        Evenement,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name="événement",
    )
    candidat = models.ForeignKey(
        "candidats.Candidat",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name="candidat",
    )
    statut = models.CharField(
        "statut", max_length=10, choices=StatutParticipation, default=StatutParticipation.INSCRIT
    )
    inscrit_le = models.DateTimeField("inscrit le", default=timezone.now, editable=False)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "participation"
        verbose_name_plural = "participations"
        ordering = ["candidat__nom", "candidat__prenom", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "candidat"], name="participation_unique_par_evenement"
            ),
        ]

    def __str__(self):
        return f"{self.candidat} — {self.evenement}"

    @property
    def occupe_une_place(self):
        return self.statut in self.OCCUPE_UNE_PLACE


class ResultatImmersion(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    CONCLUANTE = "concluante", "Concluante"
    NON_CONCLUANTE = "non_concluante", "Non concluante"
    INTERROMPUE = "interrompue", "Interrompue"


class ImmersionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Immersions belong to candidate files: staff only."""
        if user.is_authenticated and user.is_active and user.is_equipe:
            return self
        return self.none()


class Immersion(models.Model):
    """A company immersion (PMSMP: période de mise en situation en milieu professionnel)."""

    candidat = models.ForeignKey(
        "candidats.Candidat",
        on_delete=models.CASCADE,
        related_name="immersions",
        verbose_name="candidat",
    )
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        related_name="immersions",
        verbose_name="entreprise",
    )
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin")
    prescripteur = models.CharField(
        "prescripteur", max_length=200, help_text="Ex. : France Travail, Mission locale."
    )
    reference_convention = models.CharField("référence de la convention", max_length=100)
    resultat = models.CharField(
        "résultat", max_length=20, choices=ResultatImmersion, default=ResultatImmersion.EN_COURS
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    jeton_creation = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = ImmersionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["jeton_creation"])

    class Meta:
        verbose_name = "immersion en entreprise"
        verbose_name_plural = "immersions en entreprise"
        ordering = ["-date_debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")), name="immersion_fin_apres_debut"
            ),
        ]
        indexes = [models.Index(fields=["-date_debut"], name="immersion_date_idx")]

    def __str__(self):
        return f"{self.candidat} chez {self.entreprise} — {self.date_debut:%d/%m/%Y}"

    def clean(self):
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La date de fin doit suivre la date de début."})

    @property
    def depasse_un_mois(self):
        """A PMSMP normally lasts at most one month: beyond, the form warns, never refuses."""
        if not (self.date_debut and self.date_fin):
            return False
        return self.date_fin >= un_mois_apres(self.date_debut)

    @property
    def est_concluante(self):
        return self.resultat == ResultatImmersion.CONCLUANTE
