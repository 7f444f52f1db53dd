"""Imports waiting for confirmation: their files and the analysis of the large ones.

Both live in the database and in the `imports` storage, which every server reads.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AnalyseImportQuerySet(models.QuerySet):
    def a_reprendre(self, *, user, jeton, depuis):
        """The analysis of `jeton`'s file, by `user`, since `depuis`, with its rows kept.

        Its `empreinte` tells whether the file is still the one analysed.
        """
        return self.filter(
            user=user,
            jeton=jeton,
            etat=AnalyseImport.Etat.TERMINEE,
            confirmation="",
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
    # The import of the rows kept, by a task too (`tasks.confirmer`): empty until asked.
    confirmation = models.CharField(max_length=20, choices=Etat.choices, blank=True)
    ecole_par_defaut = models.ForeignKey(
        "ecoles.Ecole", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"nombre": how many were saved, "ids": the first ones, listed on the result page}.
    importes = models.JSONField(null=True, blank=True)

    objects = AnalyseImportQuerySet.as_manager()

    class Meta:
        verbose_name = "analyse d'import"
        verbose_name_plural = "analyses d'import"

    def __str__(self):
        return f"{self.nom_du_fichier} ({self.get_etat_display()})"

    @property
    def finie(self):
        etat = self.confirmation or self.etat
        return etat in (self.Etat.TERMINEE, self.Etat.ECHEC)

    def analyse_le_fichier(self, contenu):
        """Whether `contenu` is the very file analysed, byte for byte."""
        return self.empreinte == hashlib.sha256(contenu).hexdigest()


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


class DemandeExportQuerySet(models.QuerySet):
    def en_attente_ou_en_cours(self):
        return self.filter(etat__in=DemandeExport.ETATS_EN_COURS)

    def expirees(self, maintenant=None):
        return self.filter(expire_le__lte=maintenant or timezone.now())


class DemandeExport(models.Model):
    """A full export (candidates or exits) written by a task into the `exports` storage.

    The criteria are the query string of the page it was asked from: the task validates
    them again with that page's filter, over what the requester may see.
    """

    class Export(models.TextChoices):
        CANDIDATS = "candidats", "Candidats"
        SORTIES = "sorties", "Rapport des sorties"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    Etat = AnalyseImport.Etat
    ETATS_EN_COURS = (Etat.EN_ATTENTE, Etat.EN_COURS)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demandes_export"
    )
    export = models.CharField(max_length=20, choices=Export.choices)
    format = models.CharField(max_length=4, choices=Format.choices)
    criteres = models.TextField("critères", blank=True)
    etat = models.CharField(max_length=20, choices=Etat.choices, default=Etat.EN_ATTENTE)
    lignes_ecrites = models.PositiveIntegerField(default=0)
    lignes_attendues = models.PositiveIntegerField(null=True, blank=True)
    # The name in the `exports` storage, set only once the file was read back whole.
    fichier = models.CharField("nom dans le stockage", max_length=255, blank=True)
    # The name offered to the browser, `candidats-2025-06-30.csv`.
    nom_du_fichier = models.CharField(max_length=255, blank=True)
    nombre_de_lignes = models.PositiveIntegerField(null=True, blank=True)
    erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    terminee_le = models.DateTimeField(null=True, blank=True)
    expire_le = models.DateTimeField(null=True, blank=True)

    objects = DemandeExportQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'export"
        verbose_name_plural = "demandes d'export"
        constraints = [
            # A second click while the first export is waiting or running is the same one.
            models.UniqueConstraint(
                fields=["user", "export", "format", "criteres"],
                condition=models.Q(etat__in=["en_attente", "en_cours"]),
                name="une_demande_d_export_en_cours_par_critere",
            ),
            models.CheckConstraint(
                condition=~models.Q(etat="terminee") | ~models.Q(fichier=""),
                name="demande_d_export_terminee_avec_son_fichier",
            ),
        ]

    def __str__(self):
        export, format, etat = (
            self.get_export_display(),
            self.get_format_display(),
            self.get_etat_display(),
        )
        return f"{export} ({format}, {etat})"

    @property
    def finie(self):
        return self.etat in (self.Etat.TERMINEE, self.Etat.ECHEC)

    def expiree(self, maintenant=None):
        return self.expire_le is not None and self.expire_le <= (maintenant or timezone.now())

    @property
    def telechargeable(self):
        return self.etat == self.Etat.TERMINEE and not self.expiree()
