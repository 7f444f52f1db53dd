import datetime
from decimal import Decimal

import pytest

from presences import services as presences
from presences.models import StatutPresence
from tests.factories import (
    CohorteFactory,
    ContactFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    StageFactory,
)

# The Béthune cohort of January 2025 (docs/domaine.md): its first week has ten half-days.
LUNDI = datetime.date(2025, 1, 6)


@pytest.fixture
def ecole(db):
    return EcoleFactory(
        nom="École de la Maintenance et conduite de ligne",
        ville="Béthune",
        entreprises_adherentes=[EntrepriseFactory(nom="Ampere", ville="Douvrin")],
        organismes_formation=[
            EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)
        ],
    )


@pytest.fixture
def cohorte(ecole):
    cohorte = CohorteFactory(
        parcours__ecole=ecole,
        parcours__nom="Conduite de ligne",
        nom="Béthune janvier 2025",
        date_debut=LUNDI,
        financeur="France Travail",
    )
    presences.generer_creneaux(cohorte)
    return cohorte


@pytest.fixture
def lea(cohorte):
    return InscriptionFactory(cohorte=cohorte, candidat__nom="Durand", candidat__prenom="Léa")


@pytest.fixture
def stage(lea):
    tuteur = ContactFactory(
        entreprise=lea.cohorte.parcours.ecole.entreprises_adherentes.get(),
        nom="Martin",
        prenom="Paul",
        fonction="Chef d'équipe",
    )
    return StageFactory(
        inscription=lea,
        tuteur=tuteur,
        heures_hebdomadaires=Decimal("35"),
        activites="Conduite de la ligne d'emboutissage",
    )


def saisir_la_semaine(cohorte, inscription, par, lundi=LUNDI, absences=1):
    """Present on every half-day of the week but the last `absences` ones (unjustified)."""
    creneaux = list(cohorte.creneaux.filter(date__range=(lundi, lundi + datetime.timedelta(4))))
    saisies = [
        presences.Saisie(
            inscription_id=inscription.pk,
            creneau_id=creneau.pk,
            statut=StatutPresence.ABSENT_NON_JUSTIFIE
            if rang >= len(creneaux) - absences
            else StatutPresence.PRESENT,
        )
        for rang, creneau in enumerate(
            sorted(creneaux, key=lambda c: (c.date, c.moment != "matin"))
        )
    ]
    return presences.enregistrer_presences(cohorte=cohorte, saisies=saisies, par=par)
