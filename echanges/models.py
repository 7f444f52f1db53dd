"""The analysis of a large import, run by a task: its state is read by every server."""

import uuid

from django.conf import settings
from django.db import models


class AnalyseImport(models.Model):
    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"
        ECHEC = "echec", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyses_import"
    )
    etat = models.CharField(max_length=20, choices=Etat.choices, default=Etat.EN_ATTENTE)
    nom_du_fichier = models.CharField(max_length=255, blank=True)
    # The depot's token of the file analysed, offered for confirmation once it is valid.
    jeton = models.CharField(max_length=43, blank=True)
    lignes_lues = models.PositiveIntegerField(default=0)
    resultat = models.JSONField(null=True, blank=True)
    erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "analyse d'import"
        verbose_name_plural = "analyses d'import"

    def __str__(self):
        return f"{self.nom_du_fichier} ({self.get_etat_display()})"

    @property
    def finie(self):
        return self.etat in (self.Etat.TERMINEE, self.Etat.ECHEC)
