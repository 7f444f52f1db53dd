"""How long the outbox and the survey links are kept (docs/domaine.md, « Données
personnelles »), purged each night by `purger_messages`.

A message keeps an address and a text that may name trainees (the weekly digest) or carry
a link (surveys, password resets): it is kept `PORTAIL_RETENTION_MESSAGES_JOURS` days
after it was written, time enough for the retries and the providers' delivery reports,
then deleted. A survey link is kept as long after its expiry, so that an old e-mail's
link still says "expired" for a while, then it is deleted too.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import Message


def limite_de_conservation(maintenant=None):
    maintenant = maintenant or timezone.now()
    return maintenant - datetime.timedelta(days=settings.PORTAIL_RETENTION_MESSAGES_JOURS)


def messages_a_purger(maintenant=None):
    return Message.objects.filter(cree_le__lt=limite_de_conservation(maintenant))


def jetons_a_purger(maintenant=None):
    # The survey app depends on the outbox, not the reverse: imported here only.
    from enquetes.models import JetonEnquete

    return JetonEnquete.objects.filter(expire_le__lt=limite_de_conservation(maintenant))


def purger(maintenant=None):
    """Delete the messages and the survey links past their keeping; how many of each.

    Neither has rows that point at it: each delete is one DELETE statement.
    """
    messages, _ = messages_a_purger(maintenant).delete()
    jetons, _ = jetons_a_purger(maintenant).delete()
    return {"messages": messages, "jetons": jetons}
