import datetime

import pytest

from parcours.models import TypePhase
from tests.factories import CohorteFactory, ParcoursFactory

# The Béthune line-operation cohort of January 2025 as the demo runs it: 6 weeks of theory,
# 5 weeks at Ampere, 3 weeks of theory, the Easter break, 10 weeks of theory to July.
PHASES_BETHUNE_2025 = [
    (TypePhase.THEORIE, "Théorie : fondamentaux", 6),
    (TypePhase.STAGE, "Stage chez Ampere", 5),
    (TypePhase.THEORIE, "Théorie : consolidation", 3),
    (TypePhase.INTERRUPTION, "Vacances de printemps", 2),
    (TypePhase.THEORIE, "Théorie : approfondissement", 10),
]
LUNDI_6_JANVIER_2025 = datetime.date(2025, 1, 6)


@pytest.fixture
def cohorte_bethune(db):
    parcours = ParcoursFactory(
        ecole__ville="Béthune",
        ecole__nom="École de la Maintenance et conduite de ligne",
        phases=PHASES_BETHUNE_2025,
    )
    return CohorteFactory(
        parcours=parcours, nom="Béthune — janvier 2025", date_debut=LUNDI_6_JANVIER_2025
    )
