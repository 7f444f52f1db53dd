"""How often one client may open the survey links: guessing a token is not worth trying.

The count lives in Django's cache (the database cache every server shares), as the dates
of the client's requests of the last hour, under a hash of its address: the cache table
holds no address.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

FENETRE_SECONDES = 60 * 60


def requete_acceptee(adresse_du_client):
    """Whether this request to a survey link may be answered, which is then counted.

    Over `PORTAIL_ENQUETES_REQUETES_PAR_HEURE` requests in the last hour, it may not; a
    refused request is not counted, so the client gets in again as the hour moves on.
    """
    maintenant = time.time()
    empreinte = hashlib.sha256((adresse_du_client or "").encode()).hexdigest()
    cle = f"enquetes:client:{empreinte}"
    recentes = [date for date in cache.get(cle, []) if date > maintenant - FENETRE_SECONDES]
    if len(recentes) >= settings.PORTAIL_ENQUETES_REQUETES_PAR_HEURE:
        return False
    cache.set(cle, [*recentes, maintenant], timeout=FENETRE_SECONDES)
    return True
