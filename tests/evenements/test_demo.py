import datetime

import pytest
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from demo.evenements import seed_evenements
from evenements.models import Evenement, Immersion, Participation
from tests.factories import CandidatFactory, EcoleFactory, EntrepriseFactory

pytestmark = pytest.mark.django_db


def test_demo_events_give_event_candidates_a_source_event_where_they_were_present():
    today = timezone.localdate()
    ecole = EcoleFactory(entreprises_adherentes=[EntrepriseFactory(nom="Big Ben")])
    venus = [CandidatFactory(canal=CanalSourcing.EVENEMENT, ecole_visee=ecole) for _ in range(5)]
    CandidatFactory.create_batch(8, canal=CanalSourcing.FRANCE_TRAVAIL, ecole_visee=ecole)

    assert seed_evenements(today) == 15
    assert seed_evenements(today) == 0

    dates = Evenement.objects.values_list("date", flat=True)
    assert min(dates) < today - datetime.timedelta(days=300) and max(dates) > today
    for candidat in Candidat.objects.filter(pk__in=[c.pk for c in venus]):
        assert candidat.evenement_source is not None
        assert (
            Participation.objects.get(candidat=candidat, evenement=candidat.evenement_source).statut
            == "present"
        )
    assert Evenement.objects.filter(entreprises_hotes__isnull=False).exists()
    assert Immersion.objects.filter(candidat__in=venus).exists() or len(venus) < 3
