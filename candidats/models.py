from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .doublons import cle_nom_naissance, email_minuscules, identifiant_majuscules
from .fields import NomField, TelephoneField
from .text import afficher_telephone, mots_de_recherche, normalize_for_search
from .validators import validate_code_postal


class CanalSourcing(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    EVENEMENT = "evenement", "Événement ou immersion"
    ENTREPRISE = "entreprise", "Entreprise adhérente"
    SPONTANEE = "spontanee", "Candidature spontanée"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    AUTRE = "autre", "Autre"


class CandidatQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Candidate files are for staff only; partners see trainees through their cohorts."""
        if user.is_authenticated and user.is_equipe:
            return self
        return self.none()

    def recherche(self, terms):
        query = self
        # LIKE '%word%' on the accent-free column: on PostgreSQL, a pg_trgm GIN index
        # serves it (migration 0005).
        for word in mots_de_recherche(terms):
            query = query.filter(recherche__contains=word)
        return query

    def jamais_inscrits(self):
        # NOT EXISTS: an anti-join for PostgreSQL, where a LEFT JOIN ... IS NULL is not.
        from parcours.models import Inscription

        return self.filter(~Exists(Inscription.objects.filter(candidat=OuterRef("pk"))))


class Candidat(models.Model):
    class Statut(models.TextChoices):
        A_CONTACTER = "a_contacter", "À contacter"
        PRESELECTIONNE = "preselectionne", "Présélectionné"
        RETENU = "retenu", "Retenu"
        NON_RETENU = "non_retenu", "Non retenu"

    nom = NomField("nom", max_length=100)
    prenom = NomField("prénom", max_length=100)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    email = models.EmailField("courriel", blank=True)
    telephone = TelephoneField("téléphone", max_length=30, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    code_postal = models.CharField(
        "code postal", max_length=5, blank=True, validators=[validate_code_postal]
    )
    identifiant_france_travail = models.CharField(
        "identifiant France Travail", max_length=20, blank=True
    )
    canal = models.CharField(
        "canal de sourcing",
        max_length=30,
        choices=CanalSourcing,
        default=CanalSourcing.FRANCE_TRAVAIL,
    )
    evenement_source = models.ForeignKey(
        "evenements.Evenement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidats_venus",
        verbose_name="événement d'origine",
    )
    ecole_visee = models.ForeignKey(
        "ecoles.Ecole",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidats",
        verbose_name="école visée",
    )
    statut = models.CharField(
        "statut de présélection", max_length=20, choices=Statut, default=Statut.A_CONTACTER
    )
    notes = models.TextField("notes de l'équipe", blank=True)
    date_consentement = models.DateField("date du consentement", null=True, blank=True)
    date_dernier_contact = models.DateField("date du dernier contact", null=True, blank=True)
    cree_le = models.DateTimeField("ajouté le", default=timezone.now)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    # The one-time token of the creation form: a double submit finds the record it made.
    jeton_creation = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # Lower-case, accent-free copy of the searchable fields: the same search works on
    # SQLite and PostgreSQL without extensions.
    recherche = models.TextField(editable=False, default="")
    # The duplicate rule's sign of close names born the same day (`doublons`), which
    # cannot be computed in SQL: stored, so that an index finds it.
    cle_nom_naissance = models.TextField(editable=False, blank=True, default="")

    objects = CandidatQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["recherche", "cle_nom_naissance", "jeton_creation"]
    )

    class Meta:
        verbose_name = "candidat"
        verbose_name_plural = "candidats"
        ordering = ["nom", "prenom"]
        indexes = [
            models.Index(fields=["nom", "prenom"], name="candidat_nom_idx"),
            # Also the home page's "pre-selected, oldest contact first" list.
            models.Index(
                fields=["statut", "date_dernier_contact", "nom"], name="candidat_statut_idx"
            ),
            models.Index(fields=["identifiant_france_travail"], name="candidat_ft_idx"),
            models.Index(fields=["email"], name="candidat_email_idx"),
            models.Index(fields=["-cree_le"], name="candidat_cree_le_idx"),
            # The likely-duplicate search of a whole import (`doublons`): its three keys.
            models.Index(identifiant_majuscules(), name="candidat_doublon_ft_idx"),
            models.Index(email_minuscules(), name="candidat_doublon_email_idx"),
            models.Index(fields=["cle_nom_naissance"], name="candidat_doublon_noms_idx"),
            # The enrollment picker's default list: a school's candidates, kept and
            # pre-selected first, read in index order whatever the table's size.
            models.Index(
                fields=["ecole_visee", "-statut", "nom", "prenom", "id"],
                name="candidat_ecole_statut_idx",
            ),
            # The list's sort keys, each with the primary key that breaks its ties: the
            # first rows of either order come straight from one index.
            models.Index(fields=["nom", "prenom", "id"], name="candidat_liste_nom_idx"),
            models.Index(fields=["statut", "id"], name="candidat_liste_statut_idx"),
            models.Index(fields=["canal", "id"], name="candidat_liste_canal_idx"),
            models.Index(fields=["cree_le", "id"], name="candidat_liste_cree_le_idx"),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def save(self, *args, **kwargs):
        self.recherche = self.texte_de_recherche()
        self.cle_nom_naissance = cle_nom_naissance(self.nom, self.prenom, self.date_naissance)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "recherche", "cle_nom_naissance"}
        super().save(*args, **kwargs)

    @property
    def telephone_affiche(self):
        return afficher_telephone(self.telephone)

    def texte_de_recherche(self):
        return normalize_for_search(
            " ".join([self.nom, self.prenom, self.email, self.identifiant_france_travail])
        )


class TelechargementDonnees(models.Model):
    """A staff member downloaded everything held on a person: who, when, whom.

    Kept when the person is anonymised: the row then points to the anonymised record.
    """

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        PAGE = "page", "Page imprimable"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="telechargements_donnees",
        verbose_name="utilisateur",
    )
    candidat = models.ForeignKey(
        Candidat,
        on_delete=models.PROTECT,
        related_name="telechargements_donnees",
        verbose_name="candidat",
    )
    telecharge_le = models.DateTimeField("téléchargé le", default=timezone.now, db_index=True)
    format = models.CharField("format", max_length=10, choices=Format, default=Format.JSON)

    class Meta:
        verbose_name = "téléchargement des données d'une personne"
        verbose_name_plural = "téléchargements des données des personnes"
        ordering = ["-telecharge_le"]

    def __str__(self):
        quand = timezone.localtime(self.telecharge_le)
        return f"{self.user} — {self.candidat} — {quand:%d/%m/%Y %H:%M}"
