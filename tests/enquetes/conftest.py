import datetime

import pytest
from django.utils import timezone


class Horloge:
    """The portal's clock, moved forward by the tests: days go by, the cron runs."""

    def __init__(self):
        self.decalage = datetime.timedelta(0)

    def avancer(self, **duree):
        self.decalage += datetime.timedelta(**duree)

    def aller_au(self, day):
        self.avancer(days=(day - timezone.localdate()).days)


@pytest.fixture
def horloge(monkeypatch):
    horloge = Horloge()
    heure_reelle = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: heure_reelle() + horloge.decalage)
    return horloge
