from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from .validators import validate_siret


class Entreprise(models.Model):
    """An organisation: member company, training organisation or employment partner."""

    class Type(models.TextChoices):
        ADHERENTE = "adherente", "Entreprise adhérente"
        ORGANISME_FORMATION = "organisme_formation", "Organisme de formation"
        PARTENAIRE_EMPLOI = "partenaire_emploi", "Partenaire emploi"

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField(
        "SIRET", max_length=14, unique=True, validators=[validate_siret], help_text="14 chiffres."
    )
    ville = models.CharField("ville", max_length=100)
    type = models.CharField("type", max_length=30, choices=Type, default=Type.ADHERENTE)
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("siret"), 14), name="entreprise_siret_14_caracteres"
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.ville})"


class Contact(models.Model):
    entreprise = models.ForeignKey(
        Entreprise, on_delete=models.CASCADE, related_name="contacts", verbose_name="organisation"
    )
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100, blank=True)
    fonction = models.CharField("fonction", max_length=100, blank=True)
    email = models.EmailField("courriel", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["nom", "prenom"]
        constraints = [
            # Also what makes a double submit of the contact form create one contact.
            models.UniqueConstraint(
                fields=["entreprise", "nom", "prenom"],
                name="contact_unique_par_organisation",
                violation_error_message="Cette organisation a déjà un contact de ce nom et "
                "de ce prénom.",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip()
