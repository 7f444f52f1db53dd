"""How often one client may read the calendar feeds: guessing a token is not worth trying.

As for the survey links (`enquetes.limitation`): the dates of the client's requests of the
last hour in Django's shared cache, under a hash of its address. A calendar app reads a
feed every hour or so: the default leaves room for many feeds behind one address.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

FENETRE_SECONDES = 60 * 60


def requete_acceptee(adresse_du_client):
    """Whether this request to a feed may be answered, which is then counted.

    Over `PORTAIL_AGENDA_REQUETES_PAR_HEURE` requests in the last hour, it may not; a
    refused request is not counted, so the client gets in again as the hour moves on.
    """
    maintenant = time.time()
    empreinte = hashlib.sha256((adresse_du_client or "").encode()).hexdigest()
    cle = f"agenda:client:{empreinte}"
    recentes = [date for date in cache.get(cle, []) if date > maintenant - FENETRE_SECONDES]
    if len(recentes) >= settings.PORTAIL_AGENDA_REQUETES_PAR_HEURE:
        return False
    cache.set(cle, [*recentes, maintenant], timeout=FENETRE_SECONDES)
    return True
