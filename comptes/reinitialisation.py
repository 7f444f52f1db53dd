"""How many password-reset e-mails one address, or one client, may ask for.

The counts live in Django's cache, the database cache that every server shares
(`CACHES`), as the dates of the requests of the last hour. Their keys are hashes: the
cache table holds no e-mail address.
"""

import hashlib
from time import time

from django.conf import settings
from django.core.cache import cache

FENETRE_SECONDES = 60 * 60


def _cle(nature, valeur):
    empreinte = hashlib.sha256(valeur.encode()).hexdigest()
    return f"reinitialisation:{nature}:{empreinte}"


def demande_acceptee(*, email, adresse_du_client):
    """Whether an e-mail may be sent for this request, which is then counted.

    Over `PORTAIL_REINITIALISATION_PAR_ADRESSE` requests for one e-mail address, or
    `PORTAIL_REINITIALISATION_PAR_CLIENT` from one client, in the last hour, it may not;
    a refused request is not counted, so the owner of the address still gets the next
    link once the hour has moved on, whoever keeps asking.
    """
    maintenant = time()
    limites = {
        _cle("adresse", email.strip().lower()): settings.PORTAIL_REINITIALISATION_PAR_ADRESSE,
        _cle("client", adresse_du_client or ""): settings.PORTAIL_REINITIALISATION_PAR_CLIENT,
    }
    recentes = {
        cle: [date for date in dates if date > maintenant - FENETRE_SECONDES]
        for cle, dates in cache.get_many(limites).items()
    }
    if any(len(recentes.get(cle, [])) >= maximum for cle, maximum in limites.items()):
        return False
    cache.set_many(
        {cle: [*recentes.get(cle, []), maintenant] for cle in limites},
        timeout=FENETRE_SECONDES,
    )
    return True
