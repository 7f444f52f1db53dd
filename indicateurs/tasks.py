"""The indicators' summary rows counted again when what places a candidate changes."""

from django.db import transaction
from django.db.models import Q
from django_tasks import task

from candidats.models import Candidat

from . import agregats


@task()
def recompter_apres_changement(*, ecole_id=None, parcours_id=None):
    """The funnel places a candidate in the job family of the school they aim for and in
    the school and job family of their cohorts' track: a change of either in the admin
    counts their days again (`agregats.recompter_les_jours_de`)."""
    concernes = Q(pk__in=[])
    if ecole_id is not None:
        concernes |= Q(ecole_visee_id=ecole_id)
    if parcours_id is not None:
        concernes |= Q(inscriptions__cohorte__parcours_id=parcours_id)
    return agregats.recompter_les_jours_de(Candidat.objects.filter(concernes).distinct())


def apres_changement(**cles):
    """Queue the count once the admin's change is committed."""
    transaction.on_commit(lambda: recompter_apres_changement.enqueue(**cles))
