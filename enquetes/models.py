"""The follow-up survey of former trainees: its waves, their secure links and the answers.

A survey (`Enquete`) is one wave of one exit: at the exit (wave 0), at 6 months, and at 3
or 12 months where `PORTAIL_ENQUETES_VAGUES_MOIS` asks for them. What the person answers,
by the link or on the phone, is a `SituationApresSortie`: it never changes the exit.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from ecoles.models import ecoles_visibles_filter
from parcours.models import (
    Categorie,
    Situation,
    Sortie,
    categorie_de_sortie,
    emploi_d_au_moins_un_mois,
)

VAGUES_POSSIBLES = (0, 3, 6, 12)
# A reminder follows the previous e-mail after this many days, and the call list the
# last reminder.
RELANCE_JOURS = 7
# The e-mails of a survey, by the key of their outbox message, with the field that
# records each one.
ENVOI = "envoi"
RELANCE_1 = "relance-1"
RELANCE_2 = "relance-2"
CHAMPS_DES_ENVOIS = {
    ENVOI: "envoyee_le",
    RELANCE_1: "relancee_1_le",
    RELANCE_2: "relancee_2_le",
}


def libelle_de_vague(vague_mois):
    return "à la sortie" if vague_mois == 0 else f"à {vague_mois} mois"


def empreinte_du_jeton(jeton):
    """What the database keeps of a link's token: its SHA-256, never the token itself."""
    return hashlib.sha256(jeton.encode()).hexdigest()


def verifier_contrat(situation, date_debut_contrat, date_fin_contrat):
    """Raise the exit's ValidationError on a situation and its contract dates.

    The rules are those of `Sortie.clean` (a contract needs its start, a CDD its end, a
    "CDD long" lasts 6 months or more), run on an unsaved exit that holds nothing else.
    """
    Sortie(
        situation=situation,
        date_debut_contrat=date_debut_contrat,
        date_fin_contrat=date_fin_contrat,
    ).clean()


def reponse_filter(prefix=""):
    """Surveys (at `prefix`) that have their answer: the situation of the same exit and wave."""
    return Exists(
        SituationApresSortie.objects.filter(
            sortie=OuterRef(f"{prefix}sortie_id"), vague_mois=OuterRef(f"{prefix}vague_mois")
        )
    )


class EnqueteQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(
            ecoles_visibles_filter(user, "sortie__inscription__cohorte__parcours__ecole__")
        )

    def ouvertes(self, day):
        """Surveys still asked on `day`: not answered, refused or closed as unreachable, of
        a person not anonymised, and not overtaken by a later wave of the same exit that is
        already due (a late exit is asked about its latest wave only)."""
        remplacee = Exists(
            Enquete.objects.filter(
                sortie=OuterRef("sortie_id"),
                vague_mois__gt=OuterRef("vague_mois"),
                date_prevue__lte=day,
            )
        )
        return self.filter(
            refusee_le__isnull=True,
            injoignable_le__isnull=True,
            sortie__inscription__candidat__anonymise_le__isnull=True,
        ).exclude(reponse_filter() | remplacee)

    def _par_courriel(self, day):
        return self.ouvertes(day).exclude(sortie__inscription__candidat__email="")

    def a_envoyer(self, day):
        """Due on `day`, not sent yet, to a person with an e-mail address."""
        return self._par_courriel(day).filter(envoyee_le__isnull=True, date_prevue__lte=day)

    def a_relancer(self, nature, day):
        """Sent, unanswered, whose reminder `nature` is due on `day`: `RELANCE_JOURS`
        after the previous e-mail."""
        precedent = CHAMPS_DES_ENVOIS[ENVOI if nature == RELANCE_1 else RELANCE_1]
        limite = day - datetime.timedelta(days=RELANCE_JOURS)
        return self._par_courriel(day).filter(
            **{f"{CHAMPS_DES_ENVOIS[nature]}__isnull": True, f"{precedent}__date__lte": limite}
        )

    def a_appeler(self, day):
        """The staff's call list: due surveys of a person without an e-mail address, and
        those still unanswered `RELANCE_JOURS` after the last reminder."""
        limite = day - datetime.timedelta(days=RELANCE_JOURS)
        return (
            self.ouvertes(day)
            .filter(date_prevue__lte=day)
            .filter(Q(sortie__inscription__candidat__email="") | Q(relancee_2_le__date__lte=limite))
        )


class Enquete(models.Model):
    """One wave of the follow-up survey of one exit."""

    sortie = models.ForeignKey(
        Sortie, on_delete=models.CASCADE, related_name="enquetes", verbose_name="sortie"
    )
    vague_mois = models.PositiveSmallIntegerField(
        "vague (mois après la sortie)", choices=[(mois, mois) for mois in VAGUES_POSSIBLES]
    )
    date_prevue = models.DateField("date prévue")
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    relancee_1_le = models.DateTimeField("première relance le", null=True, blank=True)
    relancee_2_le = models.DateTimeField("seconde relance le", null=True, blank=True)
    refusee_le = models.DateTimeField(
        "refus de l'enquête le",
        null=True,
        blank=True,
        help_text="La personne a demandé à ne plus recevoir d'enquête.",
    )
    injoignable_le = models.DateTimeField("déclarée injoignable le", null=True, blank=True)
    injoignable_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclarée injoignable par",
    )
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    objects = EnqueteQuerySet.as_manager()

    class Meta:
        verbose_name = "enquête"
        verbose_name_plural = "enquêtes"
        ordering = ["date_prevue", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sortie", "vague_mois"], name="enquete_unique_par_vague"
            ),
            models.CheckConstraint(
                condition=Q(vague_mois__in=VAGUES_POSSIBLES), name="enquete_vague_connue"
            ),
            # A reminder follows the first e-mail, the second the first.
            models.CheckConstraint(
                condition=Q(relancee_1_le__isnull=True)
                | Q(envoyee_le__isnull=False, relancee_1_le__gte=F("envoyee_le")),
                name="enquete_relance_1_apres_envoi",
            ),
            models.CheckConstraint(
                condition=Q(relancee_2_le__isnull=True)
                | Q(relancee_1_le__isnull=False, relancee_2_le__gte=F("relancee_1_le")),
                name="enquete_relance_2_apres_relance_1",
            ),
        ]
        indexes = [models.Index(fields=["date_prevue"], name="enquete_date_prevue_idx")]

    def __str__(self):
        return f"Enquête {self.libelle} — {self.sortie.inscription.candidat}"

    @property
    def libelle(self):
        return libelle_de_vague(self.vague_mois)

    def cle_du_message(self, nature):
        """The outbox key of one of its e-mails ("enquete-42-relance-1")."""
        return f"enquete-{self.pk}-{nature}"


class JetonEnquete(models.Model):
    """The secret of one e-mailed link to a survey, kept as its SHA-256 only.

    Each e-mail (first send and reminders) carries its own token: none is ever stored in
    the clear, so a reminder cannot repeat the first one.
    """

    enquete = models.ForeignKey(
        Enquete, on_delete=models.CASCADE, related_name="jetons", verbose_name="enquête"
    )
    empreinte = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    cree_le = models.DateTimeField("créé le")
    expire_le = models.DateTimeField("expire le")

    class Meta:
        verbose_name = "lien d'enquête"
        verbose_name_plural = "liens d'enquête"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_le__gt=F("cree_le")), name="jeton_enquete_expire_apres"
            ),
        ]

    def __str__(self):
        return f"Lien de l'{self.enquete} (jusqu'au {self.expire_le:%d/%m/%Y})"

    def est_expire(self, maintenant):
        return maintenant >= self.expire_le


class Satisfaction(models.IntegerChoices):
    TRES_SATISFAIT = 5, "Très satisfait·e"
    SATISFAIT = 4, "Satisfait·e"
    MOYENNEMENT = 3, "Moyennement satisfait·e"
    PEU_SATISFAIT = 2, "Peu satisfait·e"
    PAS_DU_TOUT = 1, "Pas du tout satisfait·e"


class SituationApresSortie(models.Model):
    """The situation of a former trainee some months after the exit, as they told it."""

    class Source(models.TextChoices):
        ENQUETE = "enquete", "Enquête en ligne"
        TELEPHONE = "telephone", "Téléphone"

    sortie = models.ForeignKey(
        Sortie, on_delete=models.CASCADE, related_name="situations", verbose_name="sortie"
    )
    vague_mois = models.PositiveSmallIntegerField(
        "vague (mois après la sortie)", choices=[(mois, mois) for mois in VAGUES_POSSIBLES]
    )
    situation = models.CharField("situation", max_length=40, choices=Situation)
    date_debut_contrat = models.DateField("début du contrat", null=True, blank=True)
    date_fin_contrat = models.DateField("fin du contrat", null=True, blank=True)
    # Derived by the exit's own `categorie_de_sortie`, stored for the aggregates, and kept
    # when the person is anonymised.
    categorie = models.CharField(
        "catégorie", max_length=30, choices=Categorie, editable=False, default=Categorie.AUTRE
    )
    # Derived the same way by `emploi_d_au_moins_un_mois`: France Travail's access to
    # employment, aggregated in SQL by the indicators.
    emploi_un_mois = models.BooleanField("emploi d'au moins un mois", editable=False, default=False)
    source = models.CharField("source", max_length=20, choices=Source)
    satisfaction = models.PositiveSmallIntegerField(
        "satisfaction", choices=Satisfaction, null=True, blank=True
    )
    commentaire = models.TextField("commentaire", blank=True, max_length=2000)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    repondu_le = models.DateTimeField("répondu le")

    class Meta:
        verbose_name = "situation après la sortie"
        verbose_name_plural = "situations après la sortie"
        ordering = ["-repondu_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["sortie", "vague_mois"], name="situation_apres_sortie_unique_par_vague"
            ),
            models.CheckConstraint(
                condition=Q(date_fin_contrat__isnull=True)
                | Q(date_debut_contrat__isnull=True)
                | Q(date_fin_contrat__gte=F("date_debut_contrat")),
                name="situation_apres_sortie_fin_contrat_apres_debut",
            ),
            models.CheckConstraint(
                condition=Q(categorie__in=Categorie.values),
                name="situation_apres_sortie_categorie_connue",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__in=Satisfaction.values),
                name="situation_apres_sortie_satisfaction_connue",
            ),
        ]
        indexes = [
            models.Index(fields=["vague_mois", "categorie"], name="situation_vague_categorie_idx")
        ]

    def __str__(self):
        return f"Situation {libelle_de_vague(self.vague_mois)} — {self.get_situation_display()}"

    def save(self, *args, **kwargs):
        self.categorie = self.categorie_calculee()
        self.emploi_un_mois = emploi_d_au_moins_un_mois(
            self.situation, self.date_debut_contrat, self.date_fin_contrat
        )
        super().save(*args, **kwargs)

    def clean(self):
        verifier_contrat(self.situation, self.date_debut_contrat, self.date_fin_contrat)

    def categorie_calculee(self):
        return categorie_de_sortie(self.situation, self.date_debut_contrat, self.date_fin_contrat)
