"""The planning view of a school: the next 12 months of needs, seats and candidates.

Each figure is one aggregate per month, so the page costs the same few queries whatever
the number of needs, cohorts or candidates:

- positions needed: the needs stated or validated, by wished hiring month, company and
  contract;
- seats: those of the school's cohorts ending that month, whose trainees are then
  available for hire — the month to compare with the wished hiring month;
- trainees expected: the candidates retained in those cohorts, not exited before the
  cohort's end;
- the pool: candidates pre-selected or retained for the school and enrolled nowhere yet,
  who may take the seats still free.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from candidats.models import Candidat
from parcours.dates import add_months, first_of_month
from parcours.models import Cohorte, Inscription
from portail import pagination

from .models import Besoin, Contrat

MOIS_PLANIFIES = 12


@dataclass
class LigneBesoin:
    entreprise_id: int
    entreprise: str
    contrat: str
    postes: int

    @property
    def contrat_label(self):
        return Contrat(self.contrat).label


@dataclass
class MoisPlanifie:
    mois: datetime.date
    besoins: list = field(default_factory=list)
    places: int = 0
    cohortes: int = 0
    attendus: int = 0

    @property
    def postes(self):
        return sum(ligne.postes for ligne in self.besoins)

    @property
    def places_manquantes(self):
        """Positions needed beyond the seats of the cohorts ending that month."""
        return max(self.postes - self.places, 0)

    @property
    def places_sans_candidat(self):
        """Seats of the cohorts ending that month that no retained trainee holds."""
        return max(self.places - self.attendus, 0)


@dataclass
class Planification:
    ecole: object
    mois: list
    vivier: int

    @property
    def postes(self):
        return sum(mois.postes for mois in self.mois)

    @property
    def places(self):
        return sum(mois.places for mois in self.mois)

    @property
    def attendus(self):
        return sum(mois.attendus for mois in self.mois)

    @property
    def places_manquantes(self):
        return max(self.postes - self.places, 0)

    @property
    def places_sans_candidat(self):
        return max(self.places - self.attendus, 0)

    @property
    def places_a_pourvoir_apres_vivier(self):
        """Free seats the pool of candidates cannot fill either."""
        return max(self.places_sans_candidat - self.vivier, 0)


def planifier(ecole, besoins, today):
    """The next `MOIS_PLANIFIES` months of `ecole`, from `today`'s month.

    `besoins` is the queryset of the needs the user may see (a partner's own only).
    """
    premier = first_of_month(today)
    fin = add_months(premier, MOIS_PLANIFIES)
    mois = {
        add_months(premier, rang): MoisPlanifie(mois=add_months(premier, rang))
        for rang in range(MOIS_PLANIFIES)
    }

    lignes = (
        besoins.filter(
            ecole=ecole,
            etat__in=Besoin.ETATS_A_POURVOIR,
            mois_embauche__gte=premier,
            mois_embauche__lt=fin,
        )
        .values("mois_embauche", "entreprise_id", "entreprise__nom", "contrat")
        .annotate(total=Sum("postes"))
        .order_by("mois_embauche", "entreprise__nom", "contrat")
    )
    for ligne in lignes:
        mois[ligne["mois_embauche"]].besoins.append(
            LigneBesoin(
                entreprise_id=ligne["entreprise_id"],
                entreprise=ligne["entreprise__nom"],
                contrat=ligne["contrat"],
                postes=ligne["total"],
            )
        )

    dans_la_periode = {"date_fin__gte": premier, "date_fin__lt": fin}
    places = (
        Cohorte.objects.filter(parcours__ecole=ecole, **dans_la_periode)
        .annotate(mois=TruncMonth("date_fin"))
        .values("mois")
        .annotate(places=Sum("places"), cohortes=Count("pk"))
        .order_by()
    )
    for ligne in places:
        mois[_jour(ligne["mois"])].places = ligne["places"]
        mois[_jour(ligne["mois"])].cohortes = ligne["cohortes"]

    attendus = (
        Inscription.objects.filter(
            Q(sortie__isnull=True) | Q(sortie__date_sortie__gte=F("cohorte__date_fin")),
            cohorte__parcours__ecole=ecole,
            cohorte__date_fin__gte=premier,
            cohorte__date_fin__lt=fin,
        )
        .annotate(mois=TruncMonth("cohorte__date_fin"))
        .values("mois")
        .annotate(nombre=Count("pk"))
        .order_by()
    )
    for ligne in attendus:
        mois[_jour(ligne["mois"])].attendus = ligne["nombre"]

    plan = Planification(ecole=ecole, mois=list(mois.values()), vivier=0)
    # Counted no further than one past the bound, or past the seats it is set against:
    # beyond them the pool fills every seat either way, and a school's pool at regional
    # scale is tens of thousands of candidates, read one by one for an exact count.
    borne = max(pagination.LIGNES_PARCOURUES, plan.places_sans_candidat)
    plan.vivier = (
        Candidat.objects.jamais_inscrits()
        .filter(
            ecole_visee=ecole,
            statut__in=[Candidat.Statut.PRESELECTIONNE, Candidat.Statut.RETENU],
            anonymise_le__isnull=True,
        )
        .order_by()[: borne + 1]
        .count()
    )
    return plan


def _jour(valeur):
    """TruncMonth gives a date, or a datetime on some backends."""
    return valeur.date() if isinstance(valeur, datetime.datetime) else valeur
