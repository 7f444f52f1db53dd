"""What anonymising a person does to their events and immersions (called by
`candidats.retention`).

Participations and immersions stay, for the funnel and the events' counts; the immersion
agreement's reference, which names the person in the prescriber's files, goes, and so do
the history rows and the admin log entries whose text is « the person — the event ».
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from .models import Immersion, Participation

EFFACEE = "Anonymisée"


def anonymiser(*, candidat_ids, libelle):
    Immersion.objects.filter(candidat_id__in=candidat_ids).update(reference_convention=EFFACEE)
    types = ContentType.objects.get_for_models(Participation, Immersion)
    entries = Q(pk__in=[])
    for model in (Participation, Immersion):
        vivants = model.objects.filter(candidat_id__in=candidat_ids)
        supprimes = model.history.filter(candidat_id__in=candidat_ids, history_type="-")
        entries |= Q(content_type=types[model]) & (
            Q(object_id__in=vivants.values_list(Cast("pk", TextField())))
            | Q(object_id__in=supprimes.values_list(Cast("id", TextField())))
        )
    LogEntry.objects.filter(entries).update(object_repr=libelle, change_message="")
    Participation.history.filter(candidat_id__in=candidat_ids).delete()
    Immersion.history.filter(candidat_id__in=candidat_ids).delete()
