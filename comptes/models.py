from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    class Role(models.TextChoices):
        EQUIPE = "equipe", "Équipe"
        PARTENAIRE = "partenaire", "Partenaire"
        ADMINISTRATEUR = "administrateur", "Administrateur"

    role = models.CharField("rôle", max_length=20, choices=Role, default=Role.PARTENAIRE)
    # Staff only: the weekly digest of their "À faire" page (a_faire/synthese.py).
    recoit_synthese = models.BooleanField("reçoit la synthèse hebdomadaire", default=True)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_equipe(self):
        """Staff of the employers' group, administrators included."""
        return self.is_active and (
            self.role in (self.Role.EQUIPE, self.Role.ADMINISTRATEUR) or self.is_superuser
        )

    @property
    def is_partenaire(self):
        return self.is_active and self.role == self.Role.PARTENAIRE and not self.is_superuser


class AppartenanceQuerySet(models.QuerySet):
    def actives(self):
        return self.filter(active=True)


class Appartenance(models.Model):
    """A partner user's membership of an organisation: deactivated, never deleted."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="appartenances", verbose_name="utilisateur"
    )
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        related_name="appartenances",
        verbose_name="organisation",
    )
    active = models.BooleanField("active", default=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    desactivee_le = models.DateTimeField("désactivée le", null=True, blank=True)

    objects = AppartenanceQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entreprise"], name="appartenance_unique_par_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.entreprise}"

    def desactiver(self):
        self.active = False
        self.desactivee_le = timezone.now()
        self.save(update_fields=["active", "desactivee_le"])
