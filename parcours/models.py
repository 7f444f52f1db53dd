import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ecoles.models import Filiere, ecoles_visibles_filter
from entreprises.models import Entreprise
from portail.francais import de, pluriel
from portail.sql import compte

from .dates import (
    DATE_MAX,
    DATE_MIN,
    add_months,
    lasts_at_least_months,
    message_hors_bornes,
    months_between,
)

CDD_LONG_MOIS = 6


class TypePhase(models.TextChoices):
    THEORIE = "theorie", "Théorie"
    STAGE = "stage", "Stage en entreprise"
    # A planned break (holidays, closure): the only way to leave days between two phases.
    INTERRUPTION = "interruption", "Interruption"


class ParcoursQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "ecole__"))


class Parcours(models.Model):
    """A track template of one school: an ordered list of phases."""

    ecole = models.ForeignKey(
        "ecoles.Ecole", on_delete=models.PROTECT, related_name="parcours", verbose_name="école"
    )
    nom = models.CharField("nom", max_length=200)
    filiere = models.CharField("filière", max_length=30, choices=Filiere)
    description = models.TextField("description", blank=True)
    actif = models.BooleanField("actif", default=True)

    objects = ParcoursQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["ecole__ville", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["ecole", "nom"], name="parcours_unique_par_ecole"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.ecole.ville})"

    @property
    def duree_semaines(self):
        return sum(phase.duree_semaines for phase in self.phases.all())


class PhaseModele(models.Model):
    parcours = models.ForeignKey(
        Parcours, on_delete=models.CASCADE, related_name="phases", verbose_name="parcours"
    )
    ordre = models.PositiveSmallIntegerField("ordre")
    type = models.CharField("type", max_length=20, choices=TypePhase)
    intitule = models.CharField("intitulé", max_length=200)
    duree_semaines = models.PositiveSmallIntegerField("durée (semaines)")

    class Meta:
        verbose_name = "phase du parcours"
        verbose_name_plural = "phases du parcours"
        ordering = ["parcours", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "ordre"], name="phase_modele_ordre_unique"),
            models.CheckConstraint(
                condition=Q(duree_semaines__gt=0), name="phase_modele_duree_positive"
            ),
        ]

    def __str__(self):
        return f"{self.ordre}. {self.intitule} ({self.duree_semaines} sem.)"


class Dispositif(models.Model):
    """A funding scheme (POEC, POEI, regional programme…) and the limits a cohort keeps."""

    class Code(models.TextChoices):
        POEC = "poec", "POEC"
        POEI = "poei", "POEI"
        PRF = "prf", "Programme régional de formation"
        CONTRAT_PRO = "contrat_pro", "Contrat de professionnalisation"
        AUTRE = "autre", "Autre"

    code = models.CharField("dispositif", max_length=20, choices=Code, unique=True)
    heures_max = models.PositiveIntegerField(
        "heures au plus", null=True, blank=True, help_text="Vide : pas de plafond."
    )
    part_entreprise_max = models.PositiveSmallIntegerField(
        "part des heures en entreprise au plus (%)",
        null=True,
        blank=True,
        help_text="Vide : pas de plafond.",
    )
    duree_min_contrat_mois = models.PositiveSmallIntegerField(
        "durée minimale du CDD visé (mois)",
        null=True,
        blank=True,
        help_text="Le contrat visé à la sortie : un CDI, ou un CDD d'au moins cette durée. "
        "Vide : un CDI seulement.",
    )
    contrat_vise = models.BooleanField(
        "vise un contrat à la sortie",
        default=True,
        help_text="Décoché : le dispositif n'exige rien du contrat obtenu à la sortie.",
    )
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "dispositif de financement"
        verbose_name_plural = "dispositifs de financement"
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class CohorteQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "parcours__ecole__"))

    # The SQL twins of `Cohorte.etat` (tests/parcours/test_twins.py holds them together).
    def en_cours(self, day=None):
        day = day or timezone.localdate()
        return self.filter(date_debut__lte=day, date_fin__gte=day)

    def a_venir(self, day=None):
        return self.filter(date_debut__gt=day or timezone.localdate())

    def terminees(self, day=None):
        return self.filter(date_fin__lt=day or timezone.localdate())

    def avec_nb_inscrits(self, day=None):
        """Annotate `nb_inscrits` (every enrollment) and `nb_occupants`, the seats taken from
        `day` on: the SQL twin of `Inscription.occupe_une_place_le`."""
        day = day or timezone.localdate()
        # One count per cohort read, not a join of every enrollment grouped by cohort: a
        # page of a list sorted by date reads its 25 cohorts along the index, and counts
        # their enrollments only.
        inscriptions = Inscription.objects.filter(cohorte=OuterRef("pk"))
        return self.annotate(
            nb_inscrits=compte(inscriptions),
            nb_occupants=compte(inscriptions.filter(occupe_une_place_filter(day))),
        )

    def ouvertes_aux_inscriptions(self, day=None):
        """Cohorts not ended on `day` that still have a free seat, with `nb_inscrits`: the
        SQL twin of `Cohorte.accepte_des_inscriptions`."""
        day = day or timezone.localdate()
        return self.avec_nb_inscrits(day).filter(date_fin__gte=day, nb_occupants__lt=F("places"))


class Cohorte(models.Model):
    """One run of a track, with its own phase calendar."""

    class Etat(models.TextChoices):
        A_VENIR = "a_venir", "À venir"
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"

    parcours = models.ForeignKey(
        Parcours, on_delete=models.PROTECT, related_name="cohortes", verbose_name="parcours"
    )
    nom = models.CharField("nom", max_length=200)
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin")
    places = models.PositiveSmallIntegerField("places")
    dispositif = models.ForeignKey(
        Dispositif,
        on_delete=models.PROTECT,
        related_name="cohortes",
        verbose_name="dispositif de financement",
        null=True,
        blank=True,
    )
    financeur = models.CharField(
        "financeur", max_length=200, blank=True, help_text="Ex. : France Travail, Région, OPCO 2i."
    )
    heures_par_demi_journee = models.DecimalField(
        "heures par demi-journée",
        max_digits=3,
        decimal_places=1,
        default=Decimal("3.5"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("6"))],
    )
    lieu = models.CharField("lieu de formation", max_length=200, blank=True)
    formateur = models.CharField("formateur référent", max_length=200, blank=True)
    # The documents of an FSE+ co-financed cohort are kept 10 years instead of 6.
    cofinancee_fse = models.BooleanField("cofinancée par le FSE+", default=False)

    objects = CohorteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cohorte"
        verbose_name_plural = "cohortes"
        ordering = ["-date_debut", "nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")), name="cohorte_fin_apres_debut"
            ),
            models.CheckConstraint(condition=Q(places__gt=0), name="cohorte_places_positives"),
            # Also what makes a double submit of the creation form create one cohort.
            models.UniqueConstraint(fields=["parcours", "nom"], name="cohorte_nom_unique"),
        ]
        indexes = [models.Index(fields=["date_debut", "date_fin"], name="cohorte_dates_idx")]

    def __str__(self):
        return self.nom

    def clean(self):
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La date de fin doit suivre la date de début."})

    @property
    def ecole(self):
        return self.parcours.ecole

    def etat(self, day=None):
        day = day or timezone.localdate()
        if day < self.date_debut:
            return self.Etat.A_VENIR
        if day > self.date_fin:
            return self.Etat.TERMINEE
        return self.Etat.EN_COURS

    def est_terminee(self, day=None):
        return self.etat(day) == self.Etat.TERMINEE

    def get_etat_display(self):
        return self.etat().label

    def phase_du_jour(self, day=None):
        day = day or timezone.localdate()
        for phase in self.phases.all():
            if phase.date_debut <= day <= phase.date_fin:
                return phase
        return None

    @property
    def places_libres(self):
        """Free seats; needs the `nb_occupants` annotation (`avec_nb_inscrits`)."""
        return max(self.places - self.nb_occupants, 0)

    @property
    def places_en_clair(self):
        return f"{self.places} place{pluriel(self.places)}"

    @property
    def places_libres_en_clair(self):
        """The free seats in words, "aucune place libre", "1 place libre", "3 places libres";
        needs `nb_occupants`."""
        libres = self.places_libres
        if libres == 0:
            return "aucune place libre"
        return f"{libres} place{pluriel(libres)} libre{pluriel(libres)}"

    @property
    def est_complete(self):
        """No free seat; needs the `nb_occupants` annotation (`avec_nb_inscrits`)."""
        return self.places_libres == 0

    def accepte_des_inscriptions(self, day=None):
        """Not ended and with a free seat; needs the `nb_occupants` annotation."""
        return not self.est_terminee(day) and not self.est_complete


class PhaseCohorte(models.Model):
    """A concrete phase of a cohort, created from the track and adjustable."""

    cohorte = models.ForeignKey(
        Cohorte, on_delete=models.CASCADE, related_name="phases", verbose_name="cohorte"
    )
    ordre = models.PositiveSmallIntegerField("ordre")
    type = models.CharField("type", max_length=20, choices=TypePhase)
    intitule = models.CharField("intitulé", max_length=200)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")

    class Meta:
        verbose_name = "phase de cohorte"
        verbose_name_plural = "phases de cohorte"
        ordering = ["cohorte", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["cohorte", "ordre"], name="phase_cohorte_ordre_unique"),
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")), name="phase_cohorte_fin_apres_debut"
            ),
        ]

    def __str__(self):
        return f"{self.intitule} ({self.date_debut:%d/%m/%Y} – {self.date_fin:%d/%m/%Y})"

    @property
    def est_stage(self):
        return self.type == TypePhase.STAGE


def occupe_une_place_filter(day, prefix=""):
    """Enrollments that hold a seat from `day` on: not exited before that day.

    A seat left by an early exit can be refilled for the remaining dates. The Python twin
    is `Inscription.occupe_une_place_le`.
    """
    return Q(**{f"{prefix}sortie__isnull": True}) | Q(**{f"{prefix}sortie__date_sortie__gte": day})


def stages_du_moment(day):
    """The internships of each enrollment, the one "of the moment" on `day` first.

    The one under way, else the next one, else the last one that ended: a trainee whose
    internships are over still shows where they were hosted. The Python twin is
    `Inscription.stage_du_moment`.
    """
    return Stage.objects.annotate(
        termine=Case(When(phase__date_fin__lt=day, then=Value(1)), default=Value(0))
    ).order_by(
        "termine",
        Case(When(phase__date_fin__gte=day, then=F("phase__date_debut"))).asc(nulls_last=True),
        F("phase__date_debut").desc(),
    )


def etape_du_stagiaire(*, date_entree, date_sortie, cohorte_fin, phase, day):
    """Where a trainee is in the track on `day`, in words; shared by staff and partner pages.

    `phase` is the cohort's phase of the day (its title), or None between two phases.
    """
    if date_sortie:
        return "Sorti·e du parcours"
    if day < date_entree:
        return "Pas encore entré·e"
    if day > cohorte_fin:
        return "Parcours terminé"
    return phase or "Entre deux phases"


def en_formation_durant_filter(mois):
    """A Q object selecting enrollments in training for at least one day of month `mois`."""
    fin_du_mois = add_months(mois, 1) - datetime.timedelta(days=1)
    return Q(
        Q(sortie__isnull=True) | Q(sortie__date_sortie__gte=mois),
        date_entree__lte=fin_du_mois,
        cohorte__date_fin__gte=mois,
    )


class InscriptionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "cohorte__parcours__ecole__"))

    def en_formation(self):
        return self.filter(statut=Inscription.Statut.EN_FORMATION)

    def en_formation_durant(self, mois):
        """Enrollments in training for at least one day of the calendar month `mois`."""
        return self.filter(en_formation_durant_filter(mois))

    def occupant_une_place_le(self, day):
        return self.filter(occupe_une_place_filter(day))

    def avec_dernier_suivi(self):
        """Annotate the latest check-in: `dernier_suivi_id`, `_mois`, `_date`, `_assiduite`
        and `_progression`."""
        dernier = Suivi.objects.filter(inscription=OuterRef("pk")).order_by("-mois")[:1]
        return self.annotate(
            dernier_suivi_id=Subquery(dernier.values("pk")),
            dernier_suivi_mois=Subquery(dernier.values("mois")),
            dernier_suivi_date=Subquery(dernier.values("date_entretien")),
            dernier_suivi_assiduite=Subquery(dernier.values("assiduite")),
            dernier_suivi_progression=Subquery(dernier.values("progression")),
        )

    def avec_stage_du_moment(self, day=None):
        """Annotate the host company of the moment (`entreprise_du_moment`) and the dates of
        its internship (`stage_du_moment_debut`, `_fin`): the SQL twin of `stage_du_moment`."""
        stage = stages_du_moment(day or timezone.localdate()).filter(inscription=OuterRef("pk"))
        return self.annotate(
            entreprise_du_moment=Subquery(stage.values("entreprise__nom")[:1]),
            stage_du_moment_debut=Subquery(stage.values("phase__date_debut")[:1]),
            stage_du_moment_fin=Subquery(stage.values("phase__date_fin")[:1]),
        )

    def sans_entreprise_de_stage(self, day=None):
        """One row per enrollment and internship phase not over on `day` that has no host
        company yet, while the trainee is in training during that phase; each row is
        annotated with the phase (`phase_id`, `phase_intitule`, `phase_debut`, `phase_fin`).

        Read from `StageSansEntreprise` through its index on the phase's end.
        """
        day = day or timezone.localdate()
        # One filter() call, whose join the annotations reuse: one row per missing host.
        return self.filter(stages_sans_entreprise__phase_fin__gte=day).annotate(
            phase_id=F("stages_sans_entreprise__phase_id"),
            phase_intitule=F("stages_sans_entreprise__phase__intitule"),
            phase_debut=F("stages_sans_entreprise__phase_debut"),
            phase_fin=F("stages_sans_entreprise__phase_fin"),
        )

    def avec_phase_du_jour(self, day=None):
        """Annotate `phase_du_jour`: the title of the cohort's phase of `day`."""
        phase = PhaseCohorte.objects.filter(
            cohorte=OuterRef("cohorte_id"),
            date_debut__lte=day or timezone.localdate(),
            date_fin__gte=day or timezone.localdate(),
        )
        return self.annotate(phase_du_jour=Subquery(phase.values("intitule")[:1]))

    def avec_suivi_en_retard(self, day=None):
        """Annotate `suivi_en_retard`: in training during `dernier_mois_echu(day)` without
        that month's check-in."""
        mois = dernier_mois_echu(day)
        sans_suivi = ~Exists(Suivi.objects.filter(inscription=OuterRef("pk"), mois=mois))
        return self.annotate(
            suivi_en_retard=ExpressionWrapper(
                en_formation_durant_filter(mois) & sans_suivi, output_field=BooleanField()
            )
        )

    def avec_suivi_du_mois(self, mois):
        """Annotate `suivi_du_mois_id`: the id of the month's check-in, or None."""
        suivi = Suivi.objects.filter(inscription=OuterRef("pk"), mois=mois)
        return self.annotate(suivi_du_mois_id=Subquery(suivi.values("pk")[:1]))

    def sans_sortie_enregistree(self, day=None):
        """Trainees whose cohort has ended but whose exit is not recorded yet, the oldest
        cohort end first, then by cohort.

        Read from `SortieAttendue` through its (fin_de_cohorte, cohorte, inscription)
        index: the first rows of the page come without sorting every trainee of every
        ended cohort.
        """
        return self.filter(
            sortie_attendue__fin_de_cohorte__lt=day or timezone.localdate()
        ).order_by("sortie_attendue__fin_de_cohorte", "sortie_attendue__cohorte_id", "pk")


class Inscription(models.Model):
    """A candidate enrolled in a cohort."""

    class Statut(models.TextChoices):
        EN_FORMATION = "en_formation", "En formation"
        SORTIE = "sortie", "Sortie"

    candidat = models.ForeignKey(
        "candidats.Candidat",
        on_delete=models.PROTECT,
        related_name="inscriptions",
        verbose_name="candidat",
    )
    cohorte = models.ForeignKey(
        Cohorte, on_delete=models.PROTECT, related_name="inscriptions", verbose_name="cohorte"
    )
    date_entree = models.DateField("date d'entrée")
    statut = models.CharField("statut", max_length=20, choices=Statut, default=Statut.EN_FORMATION)
    creee_le = models.DateTimeField("créée le", auto_now_add=True)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    objects = InscriptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["cohorte", "candidat__nom", "candidat__prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidat", "cohorte"], name="inscription_unique_par_cohorte"
            ),
        ]
        indexes = [models.Index(fields=["statut", "cohorte"], name="inscription_statut_idx")]

    def __str__(self):
        return f"{self.candidat} — {self.cohorte}"

    def clean(self):
        if self.date_entree and self.cohorte_id:
            cohorte = self.cohorte
            if not cohorte.date_debut <= self.date_entree <= cohorte.date_fin:
                message = (
                    f"La date d'entrée doit être comprise entre le {cohorte.date_debut:%d/%m/%Y} "
                    f"et le {cohorte.date_fin:%d/%m/%Y}."
                )
                raise ValidationError({"date_entree": message})

    @property
    def sortie_enregistree(self):
        """The exit, or None while none is recorded (no query after `select_related`)."""
        return getattr(self, "sortie", None)

    def fin_de_formation(self):
        sortie = self.sortie_enregistree
        return sortie.date_sortie if sortie else self.cohorte.date_fin

    def occupe_une_place_le(self, day):
        """Whether this enrollment holds a seat from `day` on (SQL twin:
        `occupe_une_place_filter`)."""
        sortie = self.sortie_enregistree
        return sortie is None or sortie.date_sortie >= day

    def phase_du_jour(self, day=None):
        """The cohort's phase of `day` if the trainee is in training that day."""
        day = day or timezone.localdate()
        if not self.date_entree <= day <= self.fin_de_formation():
            return None
        return self.cohorte.phase_du_jour(day)

    def stage_du_moment(self, day=None):
        """The internship under way on `day`, else the next one, else the last one (SQL
        twin: `stages_du_moment`)."""
        day = day or timezone.localdate()
        stages = sorted(self.stages.all(), key=lambda stage: stage.phase.date_debut)
        for stage in stages:
            if stage.phase.date_fin >= day:
                return stage
        return stages[-1] if stages else None

    def mois_de_suivi(self, day=None):
        """First days of the months in training up to `day`'s month: the months to check in."""
        day = day or timezone.localdate()
        return [mois for mois in self.mois_en_formation() if mois <= day]

    def en_formation_pendant(self, phase):
        """Whether the trainee is in training for at least one day of `phase`: entered
        before its end, and not left before its start."""
        sortie = self.sortie_enregistree
        return phase.date_fin >= self.date_entree and (
            sortie is None or sortie.date_sortie >= phase.date_debut
        )

    def mois_en_formation(self):
        """First days of every month with a day in training, from the entry to the exit or
        the cohort's end (SQL twin: `en_formation_durant_filter`)."""
        return list(months_between(self.date_entree, self.fin_de_formation()))


class Stage(models.Model):
    """The host company of one internship phase for one trainee."""

    inscription = models.ForeignKey(
        Inscription, on_delete=models.CASCADE, related_name="stages", verbose_name="inscription"
    )
    phase = models.ForeignKey(
        PhaseCohorte, on_delete=models.CASCADE, related_name="stages", verbose_name="phase"
    )
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        related_name="stages",
        verbose_name="entreprise d'accueil",
    )
    tuteur = models.ForeignKey(
        "entreprises.Contact",
        on_delete=models.SET_NULL,
        related_name="stages_tutores",
        verbose_name="tuteur",
        null=True,
        blank=True,
    )
    heures_hebdomadaires = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        default=Decimal("35"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("48"))],
    )
    activites = models.TextField("activités confiées", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "stage"
        verbose_name_plural = "stages"
        ordering = ["phase__date_debut"]
        constraints = [
            models.UniqueConstraint(fields=["inscription", "phase"], name="stage_unique_par_phase"),
        ]

    def __str__(self):
        return f"{self.entreprise.nom} — {self.phase}"

    def clean(self):
        if self.phase_id and self.phase.type != TypePhase.STAGE:
            raise ValidationError({"phase": "Seule une phase de stage accueille une entreprise."})
        if not (self.phase_id and self.inscription_id):
            return
        if self.phase.cohorte_id != self.inscription.cohorte_id:
            raise ValidationError({"phase": "Cette phase appartient à une autre cohorte."})
        ecole = self.inscription.cohorte.parcours.ecole
        if (
            self.entreprise_id
            and not ecole.entreprises_adherentes.filter(pk=self.entreprise_id).exists()
        ):
            raise ValidationError(
                {
                    "entreprise": f"{self.entreprise.nom} n'est pas une entreprise adhérente "
                    f"de l'{ecole.nom} — {ecole.ville}."
                }
            )
        if (
            self.tuteur_id
            and self.entreprise_id
            and (refus := refus_du_tuteur(self.tuteur, self.entreprise))
        ):
            raise ValidationError({"tuteur": refus})
        if (
            self.phase.date_fin < self.inscription.date_entree
            or self.phase.date_debut > self.inscription.fin_de_formation()
        ):
            raise ValidationError(
                {"phase": "Le stagiaire n'est pas en formation pendant cette phase."}
            )


def refus_du_tuteur(tuteur, entreprise):
    """Why `tuteur` (a Contact) cannot tutor an internship at `entreprise`, or None: the
    tutor is always a contact of the host company."""
    if tuteur.entreprise_id == entreprise.pk:
        return None
    return (
        f"{tuteur} est un contact {de(tuteur.entreprise.nom)}, pas de l'entreprise d'accueil : "
        f"choisissez un tuteur {de(entreprise.nom)}."
    )


def echeance_du_suivi(mois):
    """The day from which a month without a check-in is overdue (the 10th of the next month)."""
    return add_months(mois, 1).replace(day=settings.PORTAIL_SUIVI_RETARD_JOUR)


def suivi_en_retard(mois, day=None):
    return (day or timezone.localdate()) >= echeance_du_suivi(mois)


def dernier_mois_echu(day=None):
    """The latest month whose check-ins are already overdue when missing."""
    day = day or timezone.localdate()
    mois = add_months(day.replace(day=1), -1)
    return mois if suivi_en_retard(mois, day) else add_months(mois, -1)


class Niveau(models.TextChoices):
    BON = "bon", "Bon"
    MOYEN = "moyen", "Moyen"
    INSUFFISANT = "insuffisant", "Insuffisant"


class Risque(models.TextChoices):
    FAIBLE = "faible", "Faible"
    MOYEN = "moyen", "Moyen"
    ELEVE = "eleve", "Élevé"


class SuiviQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "inscription__cohorte__parcours__ecole__"))


class Suivi(models.Model):
    """The monthly check-in of a trainee, held with the teaching team."""

    inscription = models.ForeignKey(
        Inscription, on_delete=models.CASCADE, related_name="suivis", verbose_name="inscription"
    )
    mois = models.DateField("mois", help_text="Premier jour du mois suivi.")
    date_entretien = models.DateField("date de l'entretien")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="suivis",
        verbose_name="auteur",
    )
    participants = models.CharField(
        "participants de l'équipe pédagogique", max_length=300, blank=True
    )
    assiduite = models.CharField("assiduité", max_length=20, choices=Niveau)
    progression = models.CharField("progression", max_length=20, choices=Niveau)
    risque_decrochage = models.CharField("risque de décrochage", max_length=20, choices=Risque)
    commentaire = models.TextField("commentaire", blank=True)
    actions = models.TextField("actions convenues", blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    objects = SuiviQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi mensuel"
        verbose_name_plural = "suivis mensuels"
        ordering = ["-mois"]
        constraints = [
            models.UniqueConstraint(fields=["inscription", "mois"], name="suivi_unique_par_mois"),
            models.CheckConstraint(condition=Q(mois__day=1), name="suivi_mois_premier_jour"),
        ]
        indexes = [models.Index(fields=["mois"], name="suivi_mois_idx")]

    def __str__(self):
        return f"Suivi {self.mois:%m/%Y} — {self.inscription.candidat}"

    def clean(self):
        errors = {}
        if self.mois and self.mois.day != 1:
            self.mois = self.mois.replace(day=1)
        if self.date_entretien and self.date_entretien > timezone.localdate():
            errors["date_entretien"] = "L'entretien ne peut pas être daté dans le futur."
        if self.mois and self.inscription_id:
            inscription = self.inscription
            fin = inscription.fin_de_formation()
            if not inscription.date_entree.replace(day=1) <= self.mois <= fin:
                errors["mois"] = (
                    f"Ce mois est en dehors de la formation du stagiaire (du "
                    f"{inscription.date_entree:%d/%m/%Y} au {fin:%d/%m/%Y})."
                )
        if errors:
            raise ValidationError(errors)


class SuiviManquantQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "cohorte__parcours__ecole__"))

    def dans_l_ordre(self):
        """Oldest month first, then by cohort: the order of the
        (mois, debut_de_cohorte, cohorte, inscription) index."""
        return self.order_by("mois", "debut_de_cohorte", "cohorte_id", "inscription_id")


class SuiviManquant(models.Model):
    """A month in training of an enrollment whose check-in is not recorded: one row per
    enrollment and month, from the entry to the end of the training, future months
    included, so a month becomes due or overdue with no row to write.

    The home page and "À faire" read their overdue check-ins here through one index,
    instead of looking for the missing check-in of every trainee of twelve months. The
    rows are kept by the services that write check-ins, enrollments, exits and calendars
    (`echeances.recalculer_manquants`), and rebuilt by `reconstruire_indicateurs`.
    """

    inscription = models.ForeignKey(
        Inscription, on_delete=models.CASCADE, related_name="+", verbose_name="inscription"
    )
    mois = models.DateField("mois")
    cohorte = models.ForeignKey(
        Cohorte, on_delete=models.CASCADE, related_name="+", verbose_name="cohorte"
    )
    # The cohort's start, copied for the index to hand over rows in the page's order.
    debut_de_cohorte = models.DateField("début de la cohorte")

    objects = SuiviManquantQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi manquant"
        verbose_name_plural = "suivis manquants"
        constraints = [
            models.UniqueConstraint(
                fields=["inscription", "mois"], name="suivi_manquant_unique_par_mois"
            )
        ]
        indexes = [
            models.Index(
                fields=["mois", "debut_de_cohorte", "cohorte", "inscription"],
                name="suivi_manquant_ordre_idx",
            )
        ]

    def __str__(self):
        return f"{self.mois:%m/%Y} — {self.inscription_id}"


class SortieAttendue(models.Model):
    """An enrollment whose exit is not recorded, with its cohort's end: once that day has
    passed, the exit is to record. Kept beside `SuiviManquant` by the same services
    (`echeances.recalculer_manquants`)."""

    inscription = models.OneToOneField(
        Inscription,
        on_delete=models.CASCADE,
        related_name="sortie_attendue",
        verbose_name="inscription",
    )
    cohorte = models.ForeignKey(
        Cohorte, on_delete=models.CASCADE, related_name="+", verbose_name="cohorte"
    )
    fin_de_cohorte = models.DateField("fin de la cohorte")

    class Meta:
        verbose_name = "sortie attendue"
        verbose_name_plural = "sorties attendues"
        indexes = [
            models.Index(
                fields=["fin_de_cohorte", "cohorte", "inscription"],
                name="sortie_attendue_ordre_idx",
            )
        ]

    def __str__(self):
        return f"{self.inscription_id} — {self.fin_de_cohorte:%d/%m/%Y}"


class StageSansEntreprise(models.Model):
    """An internship phase of an enrollment, with the trainee in training during it, whose
    host company is not chosen: kept beside `SuiviManquant` by the same services and by
    those that write internships (`echeances.recalculer_manquants`)."""

    inscription = models.ForeignKey(
        Inscription,
        on_delete=models.CASCADE,
        related_name="stages_sans_entreprise",
        verbose_name="inscription",
    )
    phase = models.ForeignKey(
        PhaseCohorte, on_delete=models.CASCADE, related_name="+", verbose_name="phase"
    )
    phase_debut = models.DateField("début du stage")
    phase_fin = models.DateField("fin du stage")

    class Meta:
        verbose_name = "stage sans entreprise"
        verbose_name_plural = "stages sans entreprise"
        constraints = [
            models.UniqueConstraint(
                fields=["inscription", "phase"], name="stage_sans_entreprise_unique"
            )
        ]
        indexes = [models.Index(fields=["phase_fin"], name="stage_sans_entreprise_fin_idx")]

    def __str__(self):
        return f"{self.inscription_id} — {self.phase_id}"


class Categorie(models.TextChoices):
    EMPLOI_DURABLE = "emploi_durable", "Emploi durable"
    EMPLOI_TRANSITION = "emploi_transition", "Emploi de transition"
    SORTIE_POSITIVE = "sortie_positive", "Sortie positive"
    AUTRE = "autre", "Autre"


class Situation(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD_LONG = "cdd_long", "CDD long (6 mois ou plus)"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim"
    CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"
    FONCTION_PUBLIQUE = "fonction_publique", "Titularisation dans la fonction publique"
    CONTRAT_AIDE = "contrat_aide", "Contrat aidé"
    FORMATION_QUALIFIANTE = "formation_qualifiante", "Entrée en formation qualifiante"
    AUTRE_EMPLOYEUR_INSERTION = (
        "autre_employeur_insertion",
        "Embauche par un autre employeur d'insertion",
    )
    RECHERCHE_EMPLOI = "recherche_emploi", "En recherche d'emploi"
    INACTIF = "inactif", "Inactif"
    INCONNUE = "inconnue", "Situation inconnue"


SITUATIONS_DURABLES = {
    Situation.CDI,
    Situation.CDD_LONG,
    Situation.CREATION_ENTREPRISE,
    Situation.FONCTION_PUBLIQUE,
}
SITUATIONS_SELON_DUREE = {Situation.CDD, Situation.INTERIM}
SITUATIONS_AVEC_CONTRAT = {
    Situation.CDI,
    Situation.CDD_LONG,
    *SITUATIONS_SELON_DUREE,
    Situation.CONTRAT_AIDE,
}
SITUATIONS_A_DATE_DE_FIN = {Situation.CDD_LONG, *SITUATIONS_SELON_DUREE}
SITUATIONS_POSITIVES = {Situation.FORMATION_QUALIFIANTE, Situation.AUTRE_EMPLOYEUR_INSERTION}


def categorie_de_sortie(situation, debut_contrat=None, fin_contrat=None):
    """The reporting category of an exit, from its situation and contract dates."""
    if situation in SITUATIONS_DURABLES:
        return Categorie.EMPLOI_DURABLE
    if situation in SITUATIONS_SELON_DUREE:
        if (
            debut_contrat
            and fin_contrat
            and lasts_at_least_months(debut_contrat, fin_contrat, CDD_LONG_MOIS)
        ):
            return Categorie.EMPLOI_DURABLE
        return Categorie.EMPLOI_TRANSITION
    if situation == Situation.CONTRAT_AIDE:
        return Categorie.EMPLOI_TRANSITION
    if situation in SITUATIONS_POSITIVES:
        return Categorie.SORTIE_POSITIVE
    return Categorie.AUTRE


class SortieQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(ecoles_visibles_filter(user, "inscription__cohorte__parcours__ecole__"))


class Sortie(models.Model):
    """How and where an enrollment ended."""

    class Motif(models.TextChoices):
        FIN_PARCOURS = "fin_parcours", "Fin de parcours"
        EMBAUCHE_ANTICIPEE = "embauche_anticipee", "Embauche avant la fin du parcours"
        ABANDON = "abandon", "Abandon"
        EXCLUSION = "exclusion", "Exclusion"
        AUTRE = "autre", "Autre motif"

    inscription = models.OneToOneField(
        Inscription, on_delete=models.CASCADE, related_name="sortie", verbose_name="inscription"
    )
    date_sortie = models.DateField("date de sortie")
    motif = models.CharField("motif", max_length=30, choices=Motif)
    situation = models.CharField("situation à la sortie", max_length=40, choices=Situation)
    # Derived from the situation and the contract dates by `categorie_de_sortie`,
    # stored so that the indicators aggregate it in SQL; never typed.
    categorie = models.CharField(
        "catégorie", max_length=30, choices=Categorie, editable=False, default=Categorie.AUTRE
    )
    employeur = models.CharField("employeur", max_length=200, blank=True)
    entreprise_utilisatrice = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sorties",
        verbose_name="entreprise utilisatrice",
        # Only a member company employs: France Travail, the Région, an OPCO or a
        # training organisation never appear as the employer of an exit.
        limit_choices_to={"type": Entreprise.Type.ADHERENTE},
    )
    date_debut_contrat = models.DateField("début du contrat", null=True, blank=True)
    date_fin_contrat = models.DateField("fin du contrat", null=True, blank=True)
    commentaire = models.TextField("commentaire", blank=True)
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    objects = SortieQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sortie"
        verbose_name_plural = "sorties"
        ordering = ["-date_sortie"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin_contrat__isnull=True)
                | Q(date_debut_contrat__isnull=True)
                | Q(date_fin_contrat__gte=F("date_debut_contrat")),
                name="sortie_fin_contrat_apres_debut",
            ),
            models.CheckConstraint(
                condition=Q(categorie__in=Categorie.values), name="sortie_categorie_connue"
            ),
        ]
        indexes = [
            models.Index(fields=["date_sortie", "categorie"], name="sortie_date_categorie_idx")
        ]

    def __str__(self):
        return f"Sortie {de(str(self.inscription.candidat))} le {self.date_sortie:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.categorie = self.categorie_calculee()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "categorie"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.date_sortie and self.date_sortie > timezone.localdate():
            errors["date_sortie"] = (
                "Une sortie s'enregistre une fois survenue : la date ne peut être dans le futur."
            )
        elif (
            self.inscription_id
            and self.date_sortie
            and self.date_sortie < self.inscription.date_entree
        ):
            errors["date_sortie"] = (
                f"La sortie ne peut précéder l'entrée en formation "
                f"({self.inscription.date_entree:%d/%m/%Y})."
            )
        debut, fin = self.date_debut_contrat, self.date_fin_contrat
        hors_bornes = {
            name: message_hors_bornes()
            for name, day in [("date_debut_contrat", debut), ("date_fin_contrat", fin)]
            if day and not DATE_MIN <= day <= DATE_MAX
        }
        if hors_bornes:
            errors.update(hors_bornes)
        elif debut and fin and fin < debut:
            errors["date_fin_contrat"] = "La fin du contrat doit suivre son début."
        elif self.situation in SITUATIONS_AVEC_CONTRAT and not debut:
            errors["date_debut_contrat"] = "Indiquez la date de début du contrat."
        elif self.situation in SITUATIONS_A_DATE_DE_FIN and not fin:
            errors["date_fin_contrat"] = "Indiquez la date de fin du contrat."
        elif self.situation == Situation.CDD_LONG and not lasts_at_least_months(
            debut, fin, CDD_LONG_MOIS
        ):
            errors["date_fin_contrat"] = (
                f"Un CDD long dure au moins {CDD_LONG_MOIS} mois : ce contrat finirait au plus tôt "
                f"le {add_months(debut, CDD_LONG_MOIS) - datetime.timedelta(days=1):%d/%m/%Y}."
            )
        if errors:
            raise ValidationError(errors)

    def categorie_calculee(self):
        return categorie_de_sortie(self.situation, self.date_debut_contrat, self.date_fin_contrat)


SITUATIONS_EN_EMPLOI = {
    *SITUATIONS_DURABLES,
    *SITUATIONS_SELON_DUREE,
    Situation.CONTRAT_AIDE,
}


def emploi_d_au_moins_un_mois(situation, debut_contrat=None, fin_contrat=None):
    """Whether a situation is a job of at least one month: France Travail's "access to
    employment". A contract with no end date counts (it runs on)."""
    if situation not in SITUATIONS_EN_EMPLOI:
        return False
    if debut_contrat and fin_contrat:
        return lasts_at_least_months(debut_contrat, fin_contrat, 1)
    return True
