"""The daily job of the surveys: send those due and the reminders, through the outbox."""

from django_tasks import task

from . import services


@task()
def envoyer_enquetes():
    return services.envoyer_enquetes()
