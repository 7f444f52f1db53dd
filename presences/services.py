"""The only write path of half-days and attendance, and the attendance summaries.

Staff pages, partner pages, the Django admin, commands and the documents all go through
these functions: who may enter which cell (`droits_de_saisie`), a locked week's correction
reason and the hours done are decided here, once, under a lock of the cohort.
"""

import dataclasses
import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from entreprises.models import Entreprise
from parcours.calendrier import jours_feries
from parcours.dates import add_months
from parcours.models import Cohorte, Inscription, Niveau, Stage, TypePhase

from .models import (
    AbsencesDuMois,
    Creneau,
    Moment,
    Presence,
    SemaineVerrouillee,
    StatutPresence,
)

UN_JOUR = datetime.timedelta(days=1)
ZERO = Decimal("0")
STATUTS_SAISISSABLES = [
    StatutPresence.PRESENT,
    StatutPresence.RETARD,
    StatutPresence.ABSENT_JUSTIFIE,
    StatutPresence.ABSENT_NON_JUSTIFIE,
]


def lundi_de(day):
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


# Half-days


@dataclasses.dataclass
class RapportCreneaux:
    """What `generer_creneaux` did; `conserves` are the half-days with attendance that the
    calendar no longer yields (or yields with another type), kept as they are."""

    crees: int = 0
    modifies: int = 0
    supprimes: int = 0
    conserves: list = dataclasses.field(default_factory=list)
    messages: list = dataclasses.field(default_factory=list)


def demi_journees_du_calendrier(cohorte):
    """{(day, moment): phase} for every working half-day of the cohort's theory and
    internship phases; interruptions yield none."""
    phases = [phase for phase in cohorte.phases.all() if phase.type != TypePhase.INTERRUPTION]
    if not phases:
        return {}
    debut = min(phase.date_debut for phase in phases)
    fin = max(phase.date_fin for phase in phases)
    feries = {jour for jour, _ in jours_feries(debut, fin)}
    attendues = {}
    for phase in phases:
        jour = phase.date_debut
        while jour <= phase.date_fin:
            if jour.weekday() < 5 and jour not in feries:
                for moment in Moment:
                    attendues[(jour, moment.value)] = phase
            jour += UN_JOUR
    return attendues


@transaction.atomic
def generer_creneaux(cohorte):
    """Make `cohorte`'s half-days those of its calendar; idempotent.

    A half-day without attendance follows the calendar (created, moved to its new phase,
    removed); one with attendance is never removed nor retyped: it is kept and reported.
    Place and trainer set by staff on a half-day are kept.
    """
    cohorte = Cohorte.objects.select_for_update().get(pk=cohorte.pk)
    attendues = demi_journees_du_calendrier(cohorte)
    existants = {
        (creneau.date, creneau.moment): creneau
        for creneau in Creneau.objects.filter(cohorte=cohorte).annotate(
            a_des_presences=Exists(Presence.objects.filter(creneau=OuterRef("pk")))
        )
    }
    rapport = RapportCreneaux()
    a_supprimer = []
    for cle, creneau in existants.items():
        phase = attendues.get(cle)
        if phase is not None and phase.type == creneau.type:
            if creneau.phase_id != phase.pk:
                creneau.phase = phase
                creneau.save(update_fields=["phase"])
                rapport.modifies += 1
        elif creneau.a_des_presences:
            rapport.conserves.append(creneau)
        elif phase is not None:
            creneau.phase = phase
            creneau.type = phase.type
            creneau.save(update_fields=["phase", "type"])
            rapport.modifies += 1
        else:
            a_supprimer.append(creneau.pk)
    if a_supprimer:
        rapport.supprimes, _ = Creneau.objects.filter(pk__in=a_supprimer).delete()
    nouveaux = [
        Creneau(
            cohorte=cohorte,
            phase=phase,
            type=phase.type,
            date=jour,
            moment=moment,
            heures_prevues=cohorte.heures_par_demi_journee,
            lieu=cohorte.lieu,
            formateur=cohorte.formateur,
        )
        for (jour, moment), phase in sorted(attendues.items(), key=lambda item: item[0])
        if (jour, moment) not in existants
    ]
    Creneau.objects.bulk_create(nouveaux)
    rapport.crees = len(nouveaux)
    rapport.conserves.sort(key=lambda creneau: (creneau.date, creneau.moment))
    for creneau in rapport.conserves:
        attendue = attendues.get((creneau.date, creneau.moment))
        raison = (
            f"le calendrier en fait désormais un jour de {attendue.get_type_display().lower()}"
            if attendue
            else "le calendrier ne la prévoit plus"
        )
        rapport.messages.append(
            f"La demi-journée du {creneau} ({creneau.get_type_display().lower()}) a des "
            f"présences saisies : elle est conservée telle quelle, mais {raison}."
        )
    return rapport


def modifier_creneau(*, creneau, lieu, formateur, heures_prevues):
    """Staff set one half-day's place, trainer or planned hours; the hours done of its
    attendance follow the planned hours."""
    with transaction.atomic():
        Cohorte.objects.select_for_update().filter(pk=creneau.cohorte_id).first()
        creneau = Creneau.objects.select_for_update().get(pk=creneau.pk)
        creneau.lieu = lieu
        creneau.formateur = formateur
        creneau.heures_prevues = heures_prevues
        creneau.full_clean(validate_constraints=False)
        creneau.save(update_fields=["lieu", "formateur", "heures_prevues"])
        for presence in creneau.presences.select_for_update():
            heures = heures_realisees(
                presence.statut, presence.minutes_retard, creneau.heures_prevues
            )
            if heures != presence.heures_realisees:
                presence.heures_realisees = heures
                presence.save(update_fields=["heures_realisees", "saisie_le"])
    return creneau


# Locked weeks


def semaine_verrouillee(cohorte, lundi):
    return SemaineVerrouillee.objects.filter(cohorte=cohorte, lundi=lundi_de(lundi)).exists()


def verrouiller_semaine(*, cohorte, lundi, par):
    """Lock `cohorte`'s week of `lundi` (its signed sheet is uploaded); idempotent."""
    lundi = lundi_de(lundi)
    try:
        with transaction.atomic():
            semaine, _ = SemaineVerrouillee.objects.get_or_create(
                cohorte=cohorte, lundi=lundi, defaults={"verrouillee_par": par}
            )
    except IntegrityError:
        semaine = SemaineVerrouillee.objects.get(cohorte=cohorte, lundi=lundi)
    return semaine


# Who enters what


def organisations_de(user):
    return Entreprise.objects.filter(appartenances__user=user, appartenances__active=True)


@dataclasses.dataclass
class DroitsDeSaisie:
    """Which cells of a cohort's grid `user` may fill.

    Staff fill everything; a training organisation of the school the theory half-days of
    every trainee; a host company the internship half-days of its own trainees, on the
    dates of their internship there (`stages`: enrollment id → [(start, end)]).
    """

    tout: bool = False
    theorie: bool = False
    stages: dict = dataclasses.field(default_factory=dict)

    @property
    def aucun(self):
        return not (self.tout or self.theorie or self.stages)

    def voit_la_ligne(self, inscription_id):
        return self.tout or self.theorie or inscription_id in self.stages

    def peut_saisir(self, creneau, inscription_id):
        if self.tout:
            return True
        if creneau.type == TypePhase.THEORIE:
            return self.theorie
        if creneau.type == TypePhase.STAGE:
            return any(
                debut <= creneau.date <= fin for debut, fin in self.stages.get(inscription_id, [])
            )
        return False

    def peut_saisir_le_creneau(self, creneau):
        """Whether some cell of this half-day is the user's (the tablet page)."""
        if self.tout:
            return True
        if creneau.type == TypePhase.THEORIE:
            return self.theorie
        return any(
            debut <= creneau.date <= fin
            for periodes in self.stages.values()
            for debut, fin in periodes
        )


def droits_de_saisie(user, cohorte):
    """`user`'s DroitsDeSaisie on `cohorte` (two queries for a partner, none for staff)."""
    if not (user.is_authenticated and user.is_active):
        return DroitsDeSaisie()
    if user.is_equipe:
        return DroitsDeSaisie(tout=True)
    if not user.is_partenaire:
        return DroitsDeSaisie()
    organisations = organisations_de(user).values("pk")
    theorie = cohorte.parcours.ecole.organismes_formation.filter(
        pk__in=organisations, type=Entreprise.Type.ORGANISME_FORMATION
    ).exists()
    stages = {}
    for inscription_id, debut, fin in Stage.objects.filter(
        inscription__cohorte=cohorte, entreprise__in=organisations
    ).values_list("inscription_id", "phase__date_debut", "phase__date_fin"):
        stages.setdefault(inscription_id, []).append((debut, fin))
    return DroitsDeSaisie(theorie=theorie, stages=stages)


def cohortes_saisissables_par(user):
    """The cohorts whose grid `user` may open: all for staff; for a partner, the visible
    cohorts of the schools its training organisation teaches or where it hosts a trainee."""
    cohortes = Cohorte.objects.visibles_par(user)
    if user.is_authenticated and user.is_equipe:
        return cohortes
    organisations = organisations_de(user).values("pk")
    return cohortes.filter(
        Q(
            parcours__ecole__organismes_formation__in=organisations.filter(
                type=Entreprise.Type.ORGANISME_FORMATION
            )
        )
        | Q(inscriptions__stages__entreprise__in=organisations)
    ).distinct()


# Attendance


class SaisieInterdite(Exception):
    """A cell the user may not fill: the pages answer 404."""


@dataclasses.dataclass
class Saisie:
    """One cell of the grid as submitted."""

    inscription_id: int
    creneau_id: int
    statut: str
    minutes_retard: int | None = None
    motif: str = ""


def heures_realisees(statut, minutes_retard, heures_prevues):
    """Planned hours, minus the lateness (to the tenth of an hour below), 0 when absent."""
    if statut == StatutPresence.PRESENT:
        return heures_prevues
    if statut == StatutPresence.RETARD:
        retard = (Decimal(minutes_retard or 0) / 60).quantize(Decimal("0.1"), rounding="ROUND_UP")
        return max(heures_prevues - retard, ZERO).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return ZERO


def erreurs_de_saisie(statut, minutes_retard, motif, heures_prevues):
    """The form errors of one cell, as {field: message}."""
    erreurs = {}
    if statut not in STATUTS_SAISISSABLES:
        erreurs["statut"] = "Choisissez une présence valide."
    elif statut == StatutPresence.RETARD:
        if not minutes_retard:
            erreurs["minutes_retard"] = "Indiquez les minutes de retard."
        elif minutes_retard > heures_prevues * 60:
            erreurs["minutes_retard"] = (
                f"Le retard dépasse la demi-journée ({heures_prevues} h) : "
                f"saisissez plutôt une absence."
            )
    elif statut == StatutPresence.ABSENT_JUSTIFIE and not motif.strip():
        erreurs["motif"] = "Indiquez le motif de l'absence justifiée."
    return erreurs


def en_formation_le(inscription, day):
    """Whether the trainee is in training on `day` (needs `sortie` and `cohorte` loaded)."""
    return inscription.date_entree <= day <= inscription.fin_de_formation()


@dataclasses.dataclass
class ResultatSaisie:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0


@transaction.atomic
def enregistrer_presences(*, cohorte, saisies, par, motif_correction="", day=None):
    """Record `saisies` (Saisie) of `cohorte` in one transaction, as `par`.

    Raises SaisieInterdite for a cell that is not `par`'s, ValidationError for a wrong
    cell or a change in a locked week without `motif_correction`. The cohort's row lock
    makes two saves of the same week follow one another: each cell stays one row. A
    trainee out of training that half-day is "non concerné", whatever was submitted.
    """
    cohorte = (
        Cohorte.objects.select_for_update(of=("self",))
        .select_related("parcours__ecole")
        .get(pk=cohorte.pk)
    )
    droits = droits_de_saisie(par, cohorte)
    saisies = list(saisies)
    creneaux = Creneau.objects.in_bulk({saisie.creneau_id for saisie in saisies})
    inscriptions = (
        Inscription.objects.filter(
            cohorte=cohorte, pk__in={saisie.inscription_id for saisie in saisies}
        )
        .select_related("candidat", "sortie", "cohorte")
        .in_bulk()
    )
    erreurs = []
    for saisie in saisies:
        creneau = creneaux.get(saisie.creneau_id)
        inscription = inscriptions.get(saisie.inscription_id)
        if creneau is None or creneau.cohorte_id != cohorte.pk or inscription is None:
            raise SaisieInterdite("Cette demi-journée ou ce stagiaire n'est pas de la cohorte.")
        if not droits.peut_saisir(creneau, inscription.pk):
            raise SaisieInterdite("Cette présence n'est pas à saisir par votre organisation.")
        if en_formation_le(inscription, creneau.date):
            for message in erreurs_de_saisie(
                saisie.statut, saisie.minutes_retard, saisie.motif, creneau.heures_prevues
            ).values():
                erreurs.append(f"{inscription.candidat}, {creneau} : {message}")
    if erreurs:
        raise ValidationError(erreurs)

    existantes = {
        (presence.inscription_id, presence.creneau_id): presence
        for presence in Presence.objects.select_for_update().filter(
            creneau__in=list(creneaux), inscription__in=list(inscriptions)
        )
    }
    verrouillees = set(
        SemaineVerrouillee.objects.filter(
            cohorte=cohorte, lundi__in={lundi_de(creneau.date) for creneau in creneaux.values()}
        ).values_list("lundi", flat=True)
    )
    resultat = ResultatSaisie()
    a_ecrire = []
    for saisie in saisies:
        creneau = creneaux[saisie.creneau_id]
        inscription = inscriptions[saisie.inscription_id]
        valeurs = _valeurs_de(saisie, creneau, inscription)
        presence = existantes.get((inscription.pk, creneau.pk))
        if presence is not None and all(
            getattr(presence, champ) == valeur for champ, valeur in valeurs.items()
        ):
            resultat.inchanges += 1
            continue
        a_ecrire.append((presence, creneau, inscription, valeurs))
    motif_correction = motif_correction.strip()
    if not motif_correction and any(
        lundi_de(creneau.date) in verrouillees for _, creneau, _, _ in a_ecrire
    ):
        raise ValidationError(
            {
                "motif_correction": "Cette semaine est verrouillée par sa feuille signée : "
                "indiquez le motif de la correction."
            }
        )
    maintenant = timezone.now()
    nouvelles, modifiees = [], []
    for presence, creneau, inscription, valeurs in a_ecrire:
        correction = motif_correction if lundi_de(creneau.date) in verrouillees else ""
        if presence is None:
            presence = Presence(creneau=creneau, inscription=inscription)
            nouvelles.append(presence)
        else:
            modifiees.append(presence)
        for champ, valeur in valeurs.items():
            setattr(presence, champ, valeur)
        presence.motif_correction = correction
        presence.saisie_par = par
        presence.saisie_le = maintenant
        # The history row keeps the correction's reason.
        presence._change_reason = correction or None
    _creer(nouvelles, par)
    if modifiees:
        bulk_update_with_history(modifiees, Presence, CHAMPS_SAISIS, default_user=par)
    recompter_absences(
        inscriptions={inscription.pk for _, _, inscription, _ in a_ecrire},
        mois={creneau.date.replace(day=1) for _, creneau, _, _ in a_ecrire},
    )
    resultat.crees, resultat.modifies = len(nouvelles), len(modifiees)
    return resultat


CHAMPS_SAISIS = [
    "statut",
    "minutes_retard",
    "motif",
    "heures_realisees",
    "motif_correction",
    "saisie_par",
    "saisie_le",
]


def _creer(presences, par):
    """Insert the new rows with their history in one go. The cohort's lock orders the saves
    of its weeks; a row that another path wrote meanwhile meets the unique constraint, and
    the whole save is refused rather than doubled."""
    if not presences:
        return
    try:
        with transaction.atomic():
            bulk_create_with_history(presences, Presence, default_user=par)
    except IntegrityError as error:
        raise ValidationError(
            "Des présences de cette semaine viennent d'être saisies par une autre personne : "
            "rechargez la page pour les voir avant d'enregistrer."
        ) from error


def _valeurs_de(saisie, creneau, inscription):
    if not en_formation_le(inscription, creneau.date):
        return {
            "statut": StatutPresence.NON_APPLICABLE,
            "minutes_retard": None,
            "motif": "",
            "heures_realisees": ZERO,
        }
    retard = saisie.minutes_retard if saisie.statut == StatutPresence.RETARD else None
    motif = saisie.motif.strip() if saisie.statut == StatutPresence.ABSENT_JUSTIFIE else ""
    return {
        "statut": saisie.statut,
        "minutes_retard": retard,
        "motif": motif,
        "heures_realisees": heures_realisees(saisie.statut, retard, creneau.heures_prevues),
    }


# Summaries


@dataclasses.dataclass
class BilanPresence:
    """A trainee's attendance over a period. `heures_prevues` counts every half-day of the
    period while in training (entered or not); `taux` is the hours done over the planned
    hours of the half-days entered, in %, None before any entry. "Non concerné" is left out.
    """

    heures_prevues: Decimal = ZERO
    heures_realisees: Decimal = ZERO
    demi_journees: int = 0
    presents: int = 0
    retards: int = 0
    absences_justifiees: int = 0
    absences_non_justifiees: int = 0
    heures_prevues_saisies: Decimal = ZERO
    taux: Decimal | None = None

    @property
    def absences(self):
        return self.absences_justifiees + self.absences_non_justifiees


def _bornes(prefixe, debut, fin):
    """SQL expressions of the training period of an enrollment (`prefixe` leads to it)
    within [`debut`, `fin`]."""
    entree = F(f"{prefixe}date_entree")
    fin_de_formation = Coalesce(
        F(f"{prefixe}sortie__date_sortie"), F(f"{prefixe}cohorte__date_fin")
    )
    return (
        Greatest(entree, Value(debut)) if debut else entree,
        Least(fin_de_formation, Value(fin)) if fin else fin_de_formation,
    )


def bilans_de_presence(inscriptions, debut=None, fin=None):
    """{enrollment id: BilanPresence} of `inscriptions` from `debut` to `fin` (both
    optional, included), within each one's time in training.

    Two queries whatever the number of enrollments, on the (inscription, half-day) and
    (cohort, date) indexes.
    """
    pks = [inscription.pk for inscription in inscriptions]
    if not pks:
        return {}
    premier, dernier = _bornes("", debut, fin)
    non_concerne = Presence.objects.filter(
        creneau=OuterRef("pk"),
        inscription=OuterRef(OuterRef("pk")),
        statut=StatutPresence.NON_APPLICABLE,
    )
    prevues = (
        Creneau.objects.filter(
            cohorte=OuterRef("cohorte_id"),
            date__gte=OuterRef("debut_du_bilan"),
            date__lte=OuterRef("fin_du_bilan"),
        )
        .exclude(Exists(non_concerne))
        .order_by()
        .values("cohorte")
        .annotate(total=Sum("heures_prevues"))
        .values("total")
    )
    bilans = {
        pk: BilanPresence(heures_prevues=total or ZERO)
        for pk, total in Inscription.objects.filter(pk__in=pks)
        .annotate(debut_du_bilan=premier, fin_du_bilan=dernier)
        .annotate(prevues=Subquery(prevues))
        .values_list("pk", "prevues")
    }
    premier, dernier = _bornes("inscription__", debut, fin)
    totaux = (
        Presence.objects.filter(inscription__in=pks)
        .exclude(statut=StatutPresence.NON_APPLICABLE)
        # alias(): the exit's join stays an outer one (no exit: the cohort's end).
        .alias(debut_du_bilan=premier, fin_du_bilan=dernier)
        .filter(creneau__date__gte=F("debut_du_bilan"), creneau__date__lte=F("fin_du_bilan"))
        .order_by()
        .values("inscription_id")
        .annotate(
            demi_journees=Count("pk"),
            presents=Count("pk", filter=Q(statut=StatutPresence.PRESENT)),
            retards=Count("pk", filter=Q(statut=StatutPresence.RETARD)),
            absences_justifiees=Count("pk", filter=Q(statut=StatutPresence.ABSENT_JUSTIFIE)),
            absences_non_justifiees=Count(
                "pk", filter=Q(statut=StatutPresence.ABSENT_NON_JUSTIFIE)
            ),
            heures_realisees=Sum("heures_realisees"),
            heures_prevues_saisies=Sum("creneau__heures_prevues"),
        )
    )
    for ligne in totaux:
        bilan = bilans[ligne.pop("inscription_id")]
        for champ, valeur in ligne.items():
            setattr(bilan, champ, valeur)
        if bilan.heures_prevues_saisies:
            bilan.taux = (bilan.heures_realisees * 100 / bilan.heures_prevues_saisies).quantize(
                Decimal("0.1")
            )
    return bilans


def bilan_de_presence(inscription, debut=None, fin=None):
    """The BilanPresence of `inscription` from `debut` to `fin` (both optional, included);
    the certificate's hours. Two queries."""
    return bilans_de_presence([inscription], debut, fin)[inscription.pk]


def stagiaires_souvent_absents(inscriptions, day, seuil=None):
    """The enrollments among `inscriptions` with at least `seuil` unjustified absences in
    `day`'s month (the setting PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE), with `absences`:
    read from `AbsencesDuMois`, the few trainees over the threshold through its index."""
    seuil = seuil or settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE
    return (
        inscriptions.filter(
            absences_du_mois__mois=day.replace(day=1), absences_du_mois__absences__gte=seuil
        )
        .annotate(absences=F("absences_du_mois__absences"))
        .select_related("candidat", "cohorte")
        .order_by("-absences", "candidat__nom", "pk")
    )


@transaction.atomic(savepoint=False)
def recompter_absences(*, inscriptions, mois=None):
    """Count again the unjustified absences of `inscriptions` (pks) in the months `mois`
    (first days; every month when None), in the writer's transaction."""
    if not inscriptions:
        return
    comptes = AbsencesDuMois.objects.filter(inscription_id__in=inscriptions)
    absences = Presence.objects.filter(
        inscription_id__in=inscriptions, statut=StatutPresence.ABSENT_NON_JUSTIFIE
    )
    if mois is not None:
        comptes = comptes.filter(mois__in=mois)
        # The trainees' own rows, by their (inscription, creneau) index: a few hundred.
        absences = absences.annotate(mois_de_l_absence=TruncMonth("creneau__date")).filter(
            mois_de_l_absence__in=mois
        )
    comptes.delete()
    _ecrire_absences(absences)


def reconstruire_absences():
    """Every month's unjustified absences counted again from the attendance; returns how
    many rows were written."""
    AbsencesDuMois.objects.all().delete()
    _ecrire_absences(Presence.objects.filter(statut=StatutPresence.ABSENT_NON_JUSTIFIE))
    return AbsencesDuMois.objects.count()


def _ecrire_absences(absences, *, lot=5_000):
    """One row per trainee and month of `absences`, written by lots as they are counted."""
    lignes = []
    comptes = (
        absences.values("inscription_id", mois=TruncMonth("creneau__date"))
        .annotate(nombre=Count("pk"))
        .order_by()
    )
    for ligne in comptes.iterator(chunk_size=lot):
        lignes.append(
            AbsencesDuMois(
                inscription_id=ligne["inscription_id"], mois=ligne["mois"], absences=ligne["nombre"]
            )
        )
        if len(lignes) == lot:
            AbsencesDuMois.objects.bulk_create(lignes)
            lignes = []
    AbsencesDuMois.objects.bulk_create(lignes)


def conserves_hors_calendrier(cohorte):
    """The half-days of `cohorte` with attendance that its calendar no longer yields as
    they are (what `generer_creneaux` kept and reported), in order."""
    attendues = demi_journees_du_calendrier(cohorte)
    conserves = [
        creneau
        for creneau in Creneau.objects.filter(cohorte=cohorte)
        .filter(Exists(Presence.objects.filter(creneau=OuterRef("pk"))))
        .order_by("date", "moment")
        if (phase := attendues.get((creneau.date, creneau.moment))) is None
        or phase.type != creneau.type
    ]
    return conserves


def assiduite_suggeree(inscription, mois):
    """The monthly check-in's attendance rating that the month's attendance rate gives,
    with the month's BilanPresence; (None, bilan) before any attendance is entered."""
    fin_du_mois = add_months(mois, 1) - UN_JOUR
    bilan = bilan_de_presence(inscription, debut=mois, fin=fin_du_mois)
    if bilan.taux is None:
        return None, bilan
    if bilan.taux >= settings.PORTAIL_ASSIDUITE_SEUIL_BON:
        return Niveau.BON, bilan
    if bilan.taux >= settings.PORTAIL_ASSIDUITE_SEUIL_MOYEN:
        return Niveau.MOYEN, bilan
    return Niveau.INSUFFISANT, bilan


def taux_en_francais(taux):
    """A rate as French prose writes it: "96,5 %"."""
    return f"{taux:.1f} %".replace(".", ",")
