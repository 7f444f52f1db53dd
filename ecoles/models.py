from django.db import models

from comptes.visibility import ecoles_visibles_filter


class Filiere(models.TextChoices):
    MAINTENANCE = "maintenance", "Maintenance industrielle"
    CONDUITE_LIGNE = "conduite_ligne", "Conduite de ligne"
    USINAGE = "usinage", "Usinage"
    ELECTRICITE = "electricite", "Électricité"
    LOGISTIQUE = "logistique", "Logistique"
    ASSEMBLAGE = "assemblage", "Assemblage"


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
