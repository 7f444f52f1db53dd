"""Member companies' hiring needs per school, and the cohorts assigned to them.

Who may see a need is decided here (`BesoinQuerySet.visibles_par`): staff see every
need, a partner only those of the companies they are an active member of. Every write
goes through `besoins.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ecoles.models import Filiere
from parcours.models import Categorie
from portail.francais import pluriel


class Contrat(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD_6 = "cdd_6", "CDD de 6 mois"
    CDD_12 = "cdd_12", "CDD de 12 mois ou plus"


# An exit counts as a hire of its employer when it is a job, durable or not.
CATEGORIES_EMBAUCHE = (Categorie.EMPLOI_DURABLE, Categorie.EMPLOI_TRANSITION)


def entreprises_du_partenaire(user):
    """The member companies `user` is an active member of (a subquery of pks)."""
    from entreprises.models import Entreprise

    return Entreprise.objects.filter(
        type=Entreprise.Type.ADHERENTE,
        appartenances__user=user,
        appartenances__active=True,
    ).values("pk")


class BesoinQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Staff see every need; a partner those of their own companies; others none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_equipe:
            return self
        if user.is_partenaire:
            return self.filter(entreprise__in=entreprises_du_partenaire(user))
        return self.none()

    def a_pourvoir(self):
        """Needs still to be filled: stated or validated."""
        return self.filter(etat__in=Besoin.ETATS_A_POURVOIR)


class Besoin(models.Model):
    """A member company's need of hires at one school: a job, positions, a contract."""

    class Etat(models.TextChoices):
        EXPRIME = "exprime", "Exprimé"
        VALIDE = "valide", "Validé"
        COUVERT = "couvert", "Couvert"
        ANNULE = "annule", "Annulé"

    ETATS_A_POURVOIR = (Etat.EXPRIME, Etat.VALIDE)

    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        related_name="besoins",
        verbose_name="entreprise",
        limit_choices_to={"type": "adherente"},
    )
    ecole = models.ForeignKey(
        "ecoles.Ecole", on_delete=models.PROTECT, related_name="besoins", verbose_name="école"
    )
    metier = models.CharField("métier", max_length=200)
    filiere = models.CharField("filière", max_length=30, choices=Filiere)
    postes = models.PositiveSmallIntegerField("nombre de postes")
    contrat = models.CharField("contrat visé", max_length=20, choices=Contrat)
    mois_embauche = models.DateField(
        "mois d'embauche souhaité", help_text="Premier jour du mois souhaité."
    )
    site = models.CharField("site (commune)", max_length=100)
    etat = models.CharField("état", max_length=20, choices=Etat, default=Etat.EXPRIME)
    etat_modifie_le = models.DateTimeField("état mis à jour le")
    valide_le = models.DateTimeField("validé le", null=True, blank=True)
    couvert_le = models.DateField("couvert le", null=True, blank=True)
    # Derived from the exits by `services.recalculer_couverture`; stored for the lists.
    embauches = models.PositiveSmallIntegerField("embauches", default=0, editable=False)
    cree_le = models.DateTimeField("exprimé le", default=timezone.now, editable=False)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="exprimé par",
    )
    # The one-time token of the creation form: a double submit finds the need it made.
    jeton_creation = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = BesoinQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["jeton_creation"])

    class Meta:
        verbose_name = "besoin de recrutement"
        verbose_name_plural = "besoins de recrutement"
        ordering = ["mois_embauche", "entreprise__nom", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(postes__gt=0), name="besoin_postes_positifs"),
            models.CheckConstraint(
                condition=Q(mois_embauche__day=1), name="besoin_mois_premier_jour"
            ),
            models.CheckConstraint(
                condition=Q(etat__in=["exprime", "valide", "couvert", "annule"]),
                name="besoin_etat_connu",
            ),
            models.CheckConstraint(
                condition=Q(contrat__in=["cdi", "cdd_6", "cdd_12"]), name="besoin_contrat_connu"
            ),
        ]
        indexes = [
            models.Index(fields=["ecole", "etat", "mois_embauche"], name="besoin_ecole_etat_idx"),
            models.Index(fields=["entreprise", "ecole"], name="besoin_entreprise_idx"),
        ]

    def __str__(self):
        return f"{self.metier} — {self.entreprise.nom} ({self.postes} poste{pluriel(self.postes)})"

    @property
    def est_a_pourvoir(self):
        return self.etat in self.ETATS_A_POURVOIR

    @property
    def annulable(self):
        """A need may be cancelled while it is not covered (nor already cancelled)."""
        return self.est_a_pourvoir

    @property
    def modifiable(self):
        return self.est_a_pourvoir


class AffectationBesoin(models.Model):
    """Positions of a need that a cohort is to fill."""

    besoin = models.ForeignKey(
        Besoin, on_delete=models.CASCADE, related_name="affectations", verbose_name="besoin"
    )
    cohorte = models.ForeignKey(
        "parcours.Cohorte",
        on_delete=models.PROTECT,
        related_name="affectations_besoins",
        verbose_name="cohorte",
    )
    postes = models.PositiveSmallIntegerField("postes affectés")
    cree_le = models.DateTimeField("affecté le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "affectation d'un besoin à une cohorte"
        verbose_name_plural = "affectations des besoins aux cohortes"
        ordering = ["cohorte__date_debut", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["besoin", "cohorte"], name="affectation_unique"),
            models.CheckConstraint(condition=Q(postes__gt=0), name="affectation_postes_positifs"),
        ]

    def __str__(self):
        return f"{self.cohorte} — {self.postes} poste{pluriel(self.postes)}"
