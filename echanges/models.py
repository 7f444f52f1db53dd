"""Imports waiting for confirmation: their files and the analysis of the large ones.

Both live in the database and in the `imports` storage, which every server reads.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AnalyseImportQuerySet(models.QuerySet):
    def a_reprendre(self, *, user, jeton, contenu, depuis):
        """The analysis of exactly `contenu`, by `user`, since `depuis`, with its rows kept."""
        return self.filter(
            user=user,
            jeton=jeton,
            etat=AnalyseImport.Etat.TERMINEE,
            empreinte=hashlib.sha256(contenu).hexdigest(),
            cree_le__gte=depuis,
            lignes_verifiees__isnull=False,
        ).first()


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
    # A valid file's rows as checked (`imports.garder`) and the SHA-256 of its bytes: the
    # confirmation of that very file checks only what may have changed since.
    lignes_verifiees = models.JSONField(null=True, blank=True)
    empreinte = models.CharField(max_length=64, blank=True)
    erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    objects = AnalyseImportQuerySet.as_manager()

    class Meta:
        verbose_name = "analyse d'import"
        verbose_name_plural = "analyses d'import"

    def __str__(self):
        return f"{self.nom_du_fichier} ({self.get_etat_display()})"

    @property
    def finie(self):
        return self.etat in (self.Etat.TERMINEE, self.Etat.ECHEC)


class FichierEnAttente(models.Model):
    """An uploaded file in the `imports` storage until its author confirms it.

    Only the SHA-256 of its token is kept: the token itself is in its author's session.
    """

    empreinte_du_jeton = models.CharField(max_length=64, unique=True)
    nom = models.CharField("nom dans le stockage", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fichiers_en_attente"
    )
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    # Set by the confirmation that took the file: a second one finds it taken.
    pris_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "fichier d'import en attente"
        verbose_name_plural = "fichiers d'import en attente"

    def __str__(self):
        return self.nom
