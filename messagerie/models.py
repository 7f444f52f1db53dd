from django.db import models
from django.db.models import Q


class Message(models.Model):
    """An e-mail of the outbox: written here before any attempt to send it.

    Its `cle` says what the message is for ("enquete-42-relance-1"): whoever asks for the
    same message again gets this row back, so a job run twice sends once.
    """

    class Etat(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "Envoi en cours"
        ENVOYE = "envoye", "Envoyé"
        ECHEC = "echec", "Échec"
        REJETE = "rejete", "Rejeté par le destinataire"

    cle = models.CharField("clé d'idempotence", max_length=200, unique=True)
    destinataire = models.EmailField("destinataire")
    sujet = models.CharField("sujet", max_length=300)
    texte = models.TextField("texte")
    html = models.TextField("HTML", blank=True)
    etat = models.CharField("état", max_length=20, choices=Etat, default=Etat.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)
    identifiant_fournisseur = models.CharField(
        "identifiant chez le fournisseur", max_length=200, blank=True, db_index=True
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    tente_le = models.DateTimeField("dernière tentative", null=True, blank=True)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["-cree_le"]
        indexes = [
            models.Index(
                fields=["etat", "tente_le"],
                condition=~Q(etat="envoye"),
                name="message_a_envoyer_idx",
            )
        ]

    def __str__(self):
        return f"{self.sujet} → {self.destinataire}"
