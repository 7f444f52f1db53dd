from django_tasks import task

from . import synthese


@task()
def envoyer_syntheses(site_url):
    """This week's digests, queued in the outbox; the workers send them."""
    return synthese.envoyer_syntheses(site_url=site_url)
