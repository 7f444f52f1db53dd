"""The programme's figures as each funder defines them, each with its definition.

The rate at exit counts every exit of the period. The figures at 6 months count the
former trainees who answered the survey of 6 months (online or on the phone) among the
exits of the period whose 6 months are over; those who did not answer are shown apart,
with the response rate, and never counted in a category.
"""

import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from echanges.exports import Colonne
from enquetes.models import SituationApresSortie
from parcours.dates import add_months
from parcours.models import Categorie

from .stats import pourcentage, taux

VAGUE = 6
DYNAMIQUES = [Categorie.EMPLOI_DURABLE, Categorie.EMPLOI_TRANSITION, Categorie.SORTIE_POSITIVE]


@dataclass
class Indicateur:
    nom: str
    definition: str
    numerateur: int
    denominateur: int
    # Survey figures only: the exits asked and how many answered.
    attendus: int | None = None

    @property
    def valeur(self) -> Decimal | None:
        return taux(self.numerateur, self.denominateur)

    @property
    def valeur_affichee(self):
        return pourcentage(self.valeur)

    @property
    def par_enquete(self):
        return self.attendus is not None

    @property
    def taux_de_reponse(self):
        return taux(self.denominateur, self.attendus) if self.par_enquete else None

    @property
    def sans_reponse(self):
        return self.attendus - self.denominateur if self.par_enquete else None

    @property
    def precision(self):
        """The counts behind the figure, in words, for the page and the exports."""
        texte = f"{self.numerateur} sur {self.denominateur}"
        if self.par_enquete:
            texte += (
                f" répondants ; taux de réponse {pourcentage(self.taux_de_reponse)} "
                f"({self.denominateur} sur {self.attendus} sorties attendues), "
                f"{self.sans_reponse} sans réponse, non comptées"
            )
        else:
            texte += " sorties"
        return texte


def indicateurs_des_financeurs(periode, user, today):
    """The four figures of the funders for `periode`, in two queries.

    The exits are summed from the cohorts' day rows (a column per category); the answers
    are read from the surveys of the period's exits.
    """
    fin_de_vague = add_months(today, -VAGUE)
    sommes = {
        "toutes": Sum("sorties"),
        "durables": Sum(Categorie.EMPLOI_DURABLE),
        "dynamiques": Sum(functools.reduce(operator.add, map(F, DYNAMIQUES))),
        "attendus": Sum("sorties", filter=Q(jour__lte=fin_de_vague)),
    }
    comptes = {nom: somme or 0 for nom, somme in periode.agregats(user).aggregate(**sommes).items()}
    reponses = SituationApresSortie.objects.filter(
        vague_mois=VAGUE,
        sortie__in=periode.sorties(user).filter(date_sortie__lte=fin_de_vague),
    ).aggregate(
        repondants=Count("pk"),
        durables=Count("pk", filter=Q(categorie=Categorie.EMPLOI_DURABLE)),
        en_emploi=Count("pk", filter=Q(emploi_un_mois=True)),
    )
    return [
        Indicateur(
            nom="Taux d'insertion à la sortie",
            definition=(
                "Sorties en emploi durable (CDI ; CDD ou intérim de 6 mois ou plus ; création "
                "d'entreprise ; titularisation) sur l'ensemble des sorties de la période, "
                "d'après la situation le jour de la sortie."
            ),
            numerateur=comptes["durables"],
            denominateur=comptes["toutes"],
        ),
        Indicateur(
            nom="Sorties dynamiques",
            definition=(
                "Sorties en emploi durable, en emploi de transition (CDD ou intérim de moins "
                "de 6 mois, contrat aidé) ou positives (formation qualifiante, embauche par un "
                "autre employeur d'insertion) sur l'ensemble des sorties de la période."
            ),
            numerateur=comptes["dynamiques"],
            denominateur=comptes["toutes"],
        ),
        Indicateur(
            nom="Emploi durable à 6 mois",
            definition=(
                "Anciens stagiaires en emploi durable 6 mois après leur sortie, sur ceux qui "
                "ont répondu à l'enquête à 6 mois, parmi les sorties de la période dont les "
                "6 mois sont passés."
            ),
            numerateur=reponses["durables"],
            denominateur=reponses["repondants"],
            attendus=comptes["attendus"],
        ),
        Indicateur(
            nom="Accès à l'emploi dans les 6 mois (France Travail)",
            definition=(
                "Anciens stagiaires en emploi, quel qu'il soit, d'au moins un mois à 6 mois de "
                "leur sortie, sur ceux qui ont répondu à l'enquête à 6 mois, parmi les sorties "
                "de la période dont les 6 mois sont passés."
            ),
            numerateur=reponses["en_emploi"],
            denominateur=reponses["repondants"],
            attendus=comptes["attendus"],
        ),
    ]


COLONNES_D_EXPORT = [
    Colonne("Indicateur", 40),
    Colonne("Valeur", 10),
    Colonne("Numérateur", 12),
    Colonne("Dénominateur", 12),
    Colonne("Sorties attendues (enquête)", 16),
    Colonne("Taux de réponse", 12),
    Colonne("Définition", 90),
    Colonne("Période", 26),
]


def lignes_d_export(indicateurs, periode):
    """The figures as rows of a file: each with its counts and its definition."""
    libelle = f"du {periode.debut:%d/%m/%Y} au {periode.fin:%d/%m/%Y}"
    for indicateur in indicateurs:
        yield (
            indicateur.nom,
            indicateur.valeur_affichee,
            indicateur.numerateur,
            indicateur.denominateur,
            "" if indicateur.attendus is None else indicateur.attendus,
            pourcentage(indicateur.taux_de_reponse) if indicateur.par_enquete else "",
            indicateur.definition,
            libelle,
        )
