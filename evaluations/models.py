"""The tutor's evaluation at the end of an internship, and which internships await one.

Who may evaluate is decided here, on top of `ecoles_visibles_filter`: a partner evaluates
the internships hosted by an organisation they are an active member of, and no other.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ecoles.models import ecoles_visibles_filter
from entreprises.models import Entreprise
from parcours.models import Stage

# The tutor may fill the form from a week before the internship ends.
OUVERTURE_JOURS_AVANT_LA_FIN = 7


class Appreciation(models.TextChoices):
    TRES_SATISFAISANT = "tres_satisfaisant", "Très satisfaisant"
    SATISFAISANT = "satisfaisant", "Satisfaisant"
    A_AMELIORER = "a_ameliorer", "À améliorer"
    INSUFFISANT = "insuffisant", "Insuffisant"


class Embauche(models.TextChoices):
    OUI = "oui", "Oui"
    PEUT_ETRE = "peut_etre", "Peut-être"
    NON = "non", "Non"


def ouverture_de_l_evaluation(fin_du_stage):
    """The first day the tutor may evaluate an internship ending on `fin_du_stage` (the
    Python twin of `evaluation_ouverte_filter`)."""
    return fin_du_stage - datetime.timedelta(days=OUVERTURE_JOURS_AVANT_LA_FIN)


def evaluation_ouverte_filter(day):
    """Internships the tutor may evaluate on `day`: ended, or ending within a week."""
    return Q(phase__date_fin__lte=day + datetime.timedelta(days=OUVERTURE_JOURS_AVANT_LA_FIN))


def stages_visibles_par(user):
    """The internships of the schools `user` may see that took place: a trainee who left
    before an internship began never went, and that internship has nothing to evaluate."""
    return Stage.objects.filter(
        ecoles_visibles_filter(user, "inscription__cohorte__parcours__ecole__")
    ).filter(
        Q(inscription__sortie__isnull=True)
        | Q(inscription__sortie__date_sortie__gte=F("phase__date_debut"))
    )


def stages_du_tuteur(user):
    """The internships a partner evaluates: those hosted by one of their organisations,
    while their membership is active. Staff evaluate none."""
    if not (user.is_authenticated and user.is_partenaire):
        return Stage.objects.none()
    organisations = Entreprise.objects.filter(
        appartenances__user=user, appartenances__active=True
    ).values("pk")
    return stages_visibles_par(user).filter(entreprise__in=organisations)


def en_attente_d_evaluation(stages, day):
    """`stages` open to evaluation on `day` that have none yet."""
    return stages.filter(evaluation_ouverte_filter(day), evaluation__isnull=True)


class EvaluationDeStage(models.Model):
    """The host company tutor's evaluation of a trainee at the end of an internship."""

    stage = models.OneToOneField(
        Stage, on_delete=models.CASCADE, related_name="evaluation", verbose_name="stage"
    )
    ponctualite = models.CharField("ponctualité", max_length=20, choices=Appreciation)
    qualite_du_travail = models.CharField("qualité du travail", max_length=20, choices=Appreciation)
    integration = models.CharField("intégration dans l'équipe", max_length=20, choices=Appreciation)
    embaucherait = models.CharField("l'embaucheriez-vous ?", max_length=20, choices=Embauche)
    commentaire = models.TextField("commentaire", blank=True)
    tuteur = models.CharField("nom du tuteur", max_length=200)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="saisie par",
    )
    saisie_le = models.DateTimeField("saisie le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation de stage"
        verbose_name_plural = "évaluations de stage"
        ordering = ["-saisie_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ponctualite__in=Appreciation.values)
                & Q(qualite_du_travail__in=Appreciation.values)
                & Q(integration__in=Appreciation.values),
                name="evaluation_appreciations_connues",
            ),
            models.CheckConstraint(
                condition=Q(embaucherait__in=Embauche.values),
                name="evaluation_embauche_connue",
            ),
        ]

    def __str__(self):
        return f"Évaluation du stage {self.stage}"
