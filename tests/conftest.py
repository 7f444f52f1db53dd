import pytest
from django.utils import timezone

from portail import pagination
from tests.factories import PartenaireFactory, UserFactory


@pytest.fixture
def staff_user(db):
    # A fixed name: the header shows it on every page, so a random one could match a
    # name a test expects to be absent.
    return UserFactory(first_name="Alix", last_name="Coordination")


@pytest.fixture
def admin_user(db):
    return UserFactory(administrateur=True, first_name="Sacha", last_name="Administration")


@pytest.fixture
def partner_user(db):
    """A partner with an active membership of one member company (`.appartenances`)."""
    return PartenaireFactory(first_name="Noa", last_name="Partenariat")


@pytest.fixture
def client_staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def borne(monkeypatch):
    """The bounded lists (`portail.pagination`): a bound of 5 rows stands for the 1,000 of
    the real pages, pages of 2 for 25."""
    monkeypatch.setattr(pagination, "LIGNES_PARCOURUES", 5)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    return 5


@pytest.fixture
def today_is(monkeypatch):
    """Freeze the day `timezone.localdate()` gives the views, the services and the factories."""
    real_localdate = timezone.localdate

    def freeze(day):
        monkeypatch.setattr(
            timezone,
            "localdate",
            lambda *args, **kwargs: real_localdate(*args, **kwargs) if args or kwargs else day,
        )
        return day

    return freeze
