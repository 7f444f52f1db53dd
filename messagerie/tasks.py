"""The outbox's job: send one message, at most once, whoever runs it."""

from django_tasks import task

from . import services


@task()
def envoyer_message(message_id):
    return services.envoyer(message_id)


@task()
def relancer_messages():
    return services.relancer()
