import pytest

from tests.factories import CohorteFactory, EcoleFactory, EntrepriseFactory, PartenaireFactory


@pytest.fixture
def entreprise_a(db):
    return EntrepriseFactory(nom="Ampere Béthune")


@pytest.fixture
def ecole_a(entreprise_a):
    return EcoleFactory(nom="École de la conduite de ligne", entreprises_adherentes=[entreprise_a])


@pytest.fixture
def cohorte_a(ecole_a):
    return CohorteFactory(parcours__ecole=ecole_a, nom="Promotion Béthune 2025", places=200)


@pytest.fixture
def partenaire_a(entreprise_a):
    return PartenaireFactory(appartenance__entreprise=entreprise_a)


@pytest.fixture
def entreprise_b(db):
    return EntrepriseFactory(nom="Big Ben Douai")


@pytest.fixture
def ecole_b(entreprise_b):
    return EcoleFactory(nom="École de la Logistique", entreprises_adherentes=[entreprise_b])


@pytest.fixture
def cohorte_b(ecole_b):
    return CohorteFactory(parcours__ecole=ecole_b, nom="Promotion Douai 2025")


@pytest.fixture
def partenaire_b(entreprise_b):
    return PartenaireFactory(appartenance__entreprise=entreprise_b)
