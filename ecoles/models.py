"""Schools, and the one place that decides which schools a user may see.

Every scoped queryset (`Ecole.objects.visibles_par(user)`, `Cohorte...`, ...) starts
from `ecoles_visibles_filter`, so a view that forgets a check shows nothing rather
than another school's data.
"""

from django.db import models
from django.db.models import Q


class Filiere(models.TextChoices):
    MAINTENANCE = "maintenance", "Maintenance industrielle"
    CONDUITE_LIGNE = "conduite_ligne", "Conduite de ligne"
    USINAGE = "usinage", "Usinage"
    ELECTRICITE = "electricite", "Électricité"
    LOGISTIQUE = "logistique", "Logistique"
    ASSEMBLAGE = "assemblage", "Assemblage"


def ecoles_visibles_filter(user, prefix=""):
    """A Q object selecting the schools `user` may see, with `prefix` as the path to Ecole.

    A partner sees the schools of the organisations they are an active member of; a
    deactivated membership shows nothing more.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_equipe:
        return Q()
    if not user.is_partenaire:
        return Q(pk__in=[])
    ecole_ids = Ecole.objects.filter(
        Q(
            entreprises_adherentes__appartenances__user=user,
            entreprises_adherentes__appartenances__active=True,
        )
        | Q(
            organismes_formation__appartenances__user=user,
            organismes_formation__appartenances__active=True,
        )
    ).values("pk")
    return Q(**{f"{prefix}pk__in": ecole_ids})


class EcoleQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user))

    def actives(self):
        return self.filter(active=True)


class Ecole(models.Model):
    nom = models.CharField("nom", max_length=200)
    filiere = models.CharField("filière principale", max_length=30, choices=Filiere)
    ville = models.CharField("ville", max_length=100)
    entreprises_adherentes = models.ManyToManyField(
        "entreprises.Entreprise",
        related_name="ecoles_adherees",
        blank=True,
        verbose_name="entreprises adhérentes",
        limit_choices_to={"type": "adherente"},
    )
    organismes_formation = models.ManyToManyField(
        "entreprises.Entreprise",
        related_name="ecoles_formees",
        blank=True,
        verbose_name="organismes de formation",
        limit_choices_to={"type": "organisme_formation"},
    )
    active = models.BooleanField("active", default=True)

    objects = EcoleQuerySet.as_manager()

    class Meta:
        verbose_name = "école"
        verbose_name_plural = "écoles"
        ordering = ["ville", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["nom", "ville"], name="ecole_unique_par_ville"),
        ]

    def __str__(self):
        return f"{self.nom} — {self.ville}"
