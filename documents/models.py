"""Documents a training programme keeps: generated PDFs and uploaded signed scans.

A document is written once, through `services`, and never changed: regenerating makes a
new version of the same subject. Its bytes live in the `documents` storage (on disk, or
an S3-compatible store in production), named by the portal, never served as media.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ecoles.models import ecoles_visibles_filter


def stockage_des_documents():
    return storages["documents"]


class TypeDocument(models.TextChoices):
    EMARGEMENT = "emargement", "Feuille d'émargement hebdomadaire"
    CONVENTION_STAGE = "convention_stage", "Convention de stage tripartite"
    CERTIFICAT_REALISATION = "certificat_realisation", "Certificat de réalisation"
    ATTESTATION_FIN = "attestation_fin", "Attestation de fin de formation"
    EMARGEMENT_SIGNE = "emargement_signe", "Feuille d'émargement signée"


class DocumentImmuable(Exception):
    """A kept document is never changed: regenerate it to make a new version."""


class DocumentQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "cohorte__parcours__ecole__"))

    def update(self, **kwargs):
        raise DocumentImmuable("Un document conservé ne se modifie pas.")


class Document(models.Model):
    """One version of a document about a cohort, a trainee's enrollment, an internship or
    a week."""

    type = models.CharField("type", max_length=30, choices=TypeDocument)
    cohorte = models.ForeignKey(
        "parcours.Cohorte",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="cohorte",
    )
    inscription = models.ForeignKey(
        "parcours.Inscription",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="inscription",
        null=True,
        blank=True,
    )
    # An internship whose host company changes is replaced: its agreements stay, under
    # their subject.
    stage = models.ForeignKey(
        "parcours.Stage",
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name="stage",
        null=True,
        blank=True,
    )
    lundi = models.DateField("semaine du", null=True, blank=True)
    # What the versions are counted on: the kind and what it is about ("emargement:12:2025-01-06").
    sujet = models.CharField("sujet", max_length=100, editable=False)
    version = models.PositiveIntegerField("version")
    version_gabarit = models.CharField("version du gabarit", max_length=30, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)")
    type_contenu = models.CharField("type de contenu", max_length=50)
    nom_fichier = models.CharField("nom du fichier", max_length=200)
    fichier = models.FileField("fichier", storage=stockage_des_documents, max_length=200)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="auteur",
    )
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    # The one-time token of the form or job that made it: a double submit finds it.
    jeton = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["sujet", "version"], name="document_version_unique"),
            models.CheckConstraint(condition=Q(version__gt=0), name="document_version_positive"),
            models.CheckConstraint(condition=Q(taille__gt=0), name="document_taille_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"
            ),
            models.CheckConstraint(condition=~Q(sujet=""), name="document_sujet_renseigne"),
        ]
        indexes = [
            models.Index(fields=["cohorte", "type", "-cree_le"], name="document_cohorte_idx"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.nom_fichier} (v{self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DocumentImmuable("Un document conservé ne se modifie pas.")
        super().save(*args, **kwargs)

    @property
    def est_pdf(self):
        return self.type_contenu == "application/pdf"


class TelechargementDocument(models.Model):
    """Someone downloaded a kept document: who, when, which."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="telechargements_documents",
        verbose_name="utilisateur",
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="telechargements",
        verbose_name="document",
    )
    telecharge_le = models.DateTimeField("téléchargé le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "téléchargement d'un document"
        verbose_name_plural = "téléchargements des documents"
        ordering = ["-telecharge_le"]

    def __str__(self):
        quand = timezone.localtime(self.telecharge_le)
        return f"{self.user} — {self.document} — {quand:%d/%m/%Y %H:%M}"
