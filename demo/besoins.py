"""Demo hiring needs: a year of needs of each member company of the article, per school.

Written through `besoins.services`, once (when the database holds no need yet): stated and
validated needs over the next months, some assigned to the schools' upcoming cohorts, one
cancelled, and one of the past year covered by the hires of the demo exits.
"""

import datetime
import random

from django.db.models import Count
from django.utils import timezone

from besoins import services
from besoins.models import Besoin, Contrat
from ecoles.models import Ecole
from parcours.dates import add_months, first_of_month
from parcours.models import Categorie, Cohorte, Sortie

RANDOM_SEED = 2026

METIERS = {
    "maintenance": ["Technicien de maintenance industrielle", "Électromécanicien"],
    "conduite_ligne": ["Conducteur de ligne", "Régleur de ligne automatisée"],
    "electricite": ["Monteur électricien industriel", "Câbleur"],
    "logistique": ["Agent logistique cariste", "Préparateur de commandes"],
}


def seed_besoins(today):
    """Create the demo needs if there are none; returns how many the database holds."""
    if Besoin.objects.exists():
        return Besoin.objects.count()
    rng = random.Random(RANDOM_SEED)
    couvert = _besoin_couvert_par_les_sorties()
    for ecole in Ecole.objects.prefetch_related("entreprises_adherentes").order_by("pk"):
        metiers = METIERS.get(ecole.filiere, METIERS["maintenance"])
        a_venir = (
            Cohorte.objects.filter(parcours__ecole=ecole, date_debut__gt=today)
            .order_by("date_debut")
            .first()
        )
        for rang, entreprise in enumerate(ecole.entreprises_adherentes.order_by("nom")):
            for numero in range(rng.randint(1, 2)):
                besoin, _ = services.exprimer_besoin(
                    entreprise=entreprise,
                    ecole=ecole,
                    metier=metiers[(rang + numero) % len(metiers)],
                    postes=rng.randint(1, 4),
                    contrat=rng.choice(Contrat.values),
                    mois_embauche=first_of_month(add_months(today, rng.randint(2, 11))),
                    site=entreprise.ville,
                )
                tirage = rng.random()
                if tirage < 0.55:
                    services.valider_besoin(besoin=besoin)
                    if a_venir is not None and numero == 0:
                        _affecter_si_possible(besoin, a_venir)
                elif tirage > 0.92 and besoin != couvert:
                    services.annuler_besoin(besoin=besoin)
    return Besoin.objects.count()


def _besoin_couvert_par_les_sorties():
    """A need stated before the exits of the past cohorts, by the company that hired the
    most of them: the exits cover it as soon as it is recorded."""
    employeur = (
        Sortie.objects.filter(
            categorie__in=[Categorie.EMPLOI_DURABLE, Categorie.EMPLOI_TRANSITION],
            entreprise_utilisatrice__isnull=False,
        )
        .values("entreprise_utilisatrice", "inscription__cohorte__parcours__ecole")
        .annotate(embauches=Count("pk"))
        .order_by("-embauches", "entreprise_utilisatrice")
        .first()
    )
    if employeur is None:
        return None
    sorties = Sortie.objects.filter(
        entreprise_utilisatrice=employeur["entreprise_utilisatrice"],
        inscription__cohorte__parcours__ecole=employeur["inscription__cohorte__parcours__ecole"],
    )
    premiere = sorties.order_by("date_sortie").values_list("date_sortie", flat=True).first()
    ecole = Ecole.objects.get(pk=employeur["inscription__cohorte__parcours__ecole"])
    entreprise = ecole.entreprises_adherentes.get(pk=employeur["entreprise_utilisatrice"])
    besoin, _ = services.exprimer_besoin(
        entreprise=entreprise,
        ecole=ecole,
        metier=METIERS.get(ecole.filiere, METIERS["maintenance"])[0],
        postes=employeur["embauches"],
        contrat=Contrat.CDI,
        mois_embauche=first_of_month(premiere),
        site=entreprise.ville,
        exprime_le=_debut_du_jour(add_months(premiere, -3)),
    )
    return besoin


def _debut_du_jour(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _affecter_si_possible(besoin, cohorte):
    """Assign what the cohort's seats still allow of the need's positions."""
    pris = sum(cohorte.affectations_besoins.values_list("postes", flat=True))
    postes = min(besoin.postes, cohorte.places - pris)
    if postes > 0:
        services.affecter_cohorte(besoin=besoin, cohorte=cohorte, postes=postes)
