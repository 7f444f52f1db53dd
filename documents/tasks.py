"""Background jobs of the documents: all the certificates of a cohort at once."""

from django.contrib.auth import get_user_model
from django_tasks import task

from parcours.models import Cohorte

from . import services


@task()
def generer_certificats(cohorte_id, auteur_id, jeton):
    return services.generer_certificats_de_la_cohorte(
        cohorte=Cohorte.objects.get(pk=cohorte_id),
        auteur=get_user_model().objects.get(pk=auteur_id),
        jeton=jeton,
    )
