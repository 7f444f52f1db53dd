"""The limits of a cohort's funding scheme, read against its calendar and its exits.

Nothing here blocks a write: the cohort page and its admin form list the gaps as
warnings (docs/domaine.md, "Dispositifs de financement").
"""

import dataclasses
from decimal import Decimal

from .calendrier import jours_ouvres
from .dates import lasts_at_least_months
from .models import Situation, Sortie, TypePhase

# Durable situations that are not a contract of employment: they meet any scheme's aim.
SITUATIONS_HORS_CONTRAT = {Situation.CREATION_ENTREPRISE, Situation.FONCTION_PUBLIQUE}
# Contracts judged on their length against the scheme's minimum.
CONTRATS_A_DUREE = {Situation.CDD, Situation.CDD_LONG, Situation.INTERIM}
SITUATIONS_D_EMPLOI = {
    Situation.CDI,
    *SITUATIONS_HORS_CONTRAT,
    *CONTRATS_A_DUREE,
    Situation.CONTRAT_AIDE,
}


def heures(valeur):
    """`Decimal("3.5")` as "3,5", `Decimal("400.0")` as "400": hours as French users write them."""
    texte = f"{Decimal(valeur).normalize():f}"
    return texte.replace(".", ",")


@dataclasses.dataclass(frozen=True)
class Volume:
    """The working half-days of a cohort's calendar, split by phase type."""

    demi_journees: int
    demi_journees_en_entreprise: int
    heures_par_demi_journee: Decimal

    @property
    def heures_prevues(self):
        return self.demi_journees * self.heures_par_demi_journee

    @property
    def part_entreprise(self):
        """The company share, in whole percent (a third is 33 %)."""
        if not self.demi_journees:
            return 0
        return round(100 * self.demi_journees_en_entreprise / self.demi_journees)


def volume_du_calendrier(cohorte):
    """Working half-days (Monday to Friday, French public holidays aside, two a day) of the
    theory and internship phases of `cohorte`; reads `cohorte.phases.all()`."""
    total = en_entreprise = 0
    for phase in cohorte.phases.all():
        if phase.type == TypePhase.INTERRUPTION:
            continue
        demi_journees = 2 * jours_ouvres(phase.date_debut, phase.date_fin)
        total += demi_journees
        if phase.type == TypePhase.STAGE:
            en_entreprise += demi_journees
    return Volume(total, en_entreprise, cohorte.heures_par_demi_journee)


def contrat_vise(dispositif):
    """The contract `dispositif` aims at, in words, or "" when it aims at none."""
    if not dispositif.contrat_vise:
        return ""
    if dispositif.duree_min_contrat_mois is None:
        return "un CDI"
    return f"un CDI ou un CDD d'au moins {dispositif.duree_min_contrat_mois} mois"


def atteint_le_contrat_vise(dispositif, situation, debut_contrat=None, fin_contrat=None):
    """Whether an exit into `situation` meets the scheme's aim; None when the exit is not
    into a job (job seeking, training…), which this aim does not judge."""
    if situation not in SITUATIONS_D_EMPLOI:
        return None
    if not dispositif.contrat_vise:
        return True
    if situation == Situation.CDI or situation in SITUATIONS_HORS_CONTRAT:
        return True
    if situation in CONTRATS_A_DUREE and dispositif.duree_min_contrat_mois is not None:
        return bool(
            debut_contrat
            and fin_contrat
            and lasts_at_least_months(debut_contrat, fin_contrat, dispositif.duree_min_contrat_mois)
        )
    return False


def ecarts_du_calendrier(dispositif, volume):
    """French messages for each limit of `dispositif` that `volume` goes beyond."""
    ecarts = []
    if dispositif.heures_max is not None and volume.heures_prevues > dispositif.heures_max:
        ecarts.append(
            f"Le calendrier prévoit {heures(volume.heures_prevues)} h "
            f"({volume.demi_journees} demi-journées de {heures(volume.heures_par_demi_journee)} h),"
            f" au-delà des {dispositif.heures_max} h permises par le dispositif {dispositif}."
        )
    if (
        dispositif.part_entreprise_max is not None
        and volume.part_entreprise > dispositif.part_entreprise_max
    ):
        ecarts.append(
            f"{volume.part_entreprise} % des demi-journées sont en entreprise "
            f"({volume.demi_journees_en_entreprise} sur {volume.demi_journees}), au-delà des "
            f"{dispositif.part_entreprise_max} % permis par le dispositif {dispositif}."
        )
    return ecarts


def description_du_contrat(sortie):
    libelle = sortie.get_situation_display()
    if sortie.date_debut_contrat and sortie.date_fin_contrat:
        return (
            f"{libelle} du {sortie.date_debut_contrat:%d/%m/%Y} "
            f"au {sortie.date_fin_contrat:%d/%m/%Y}"
        )
    return libelle


def ecarts_des_sorties(dispositif, sorties):
    """French messages for each exit into a job that is not the contract the scheme aims at;
    `sorties` carry their `inscription.candidat`."""
    vise = contrat_vise(dispositif)
    return [
        f"Sortie de {sortie.inscription.candidat} ({sortie.date_sortie:%d/%m/%Y}) : "
        f"{description_du_contrat(sortie)}, pas le contrat visé par le dispositif "
        f"{dispositif} ({vise})."
        for sortie in sorties
        if atteint_le_contrat_vise(
            dispositif, sortie.situation, sortie.date_debut_contrat, sortie.date_fin_contrat
        )
        is False
    ]


def ecarts_au_dispositif(cohorte):
    """The gaps between `cohorte` and the limits of its funding scheme, as French messages.

    Reads `cohorte.dispositif`, `cohorte.phases.all()` (prefetch them) and the cohort's
    exits into a job, in one query.
    """
    dispositif = cohorte.dispositif
    if dispositif is None:
        return []
    ecarts = ecarts_du_calendrier(dispositif, volume_du_calendrier(cohorte))
    if dispositif.contrat_vise:
        sorties = (
            Sortie.objects.filter(
                inscription__cohorte=cohorte,
                situation__in=SITUATIONS_D_EMPLOI - {Situation.CDI, *SITUATIONS_HORS_CONTRAT},
            )
            .select_related("inscription__candidat")
            .order_by("date_sortie", "pk")
        )
        ecarts.extend(ecarts_des_sorties(dispositif, sorties))
    return ecarts
