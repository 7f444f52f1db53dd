import pytest

from tests.factories import PartenaireFactory, UserFactory


@pytest.fixture
def staff_user(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    return UserFactory(administrateur=True)


@pytest.fixture
def partner_user(db):
    """A partner with an active membership of one member company (`.appartenances`)."""
    return PartenaireFactory()


@pytest.fixture
def client_staff(client, staff_user):
    client.force_login(staff_user)
    return client
