"""The address of the person behind a request, read through the proxies the portal trusts."""

import ipaddress

from django.conf import settings


def adresse_du_client(request):
    """The client's IP address, or None.

    Behind `PORTAIL_PROXIES_DE_CONFIANCE` reverse proxies, each appending the address it
    received the request from to X-Forwarded-For, REMOTE_ADDR is the last proxy's and the
    client's address is the one that many entries from the right. The entries further left
    come from the client itself and prove nothing. A request with fewer entries did not
    come through every proxy: its REMOTE_ADDR is kept, as werkzeug's ProxyFix does.

    Also `AXES_CLIENT_IP_CALLABLE`: sign-in lockouts count failures per real address.
    """
    adresse = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PORTAIL_PROXIES_DE_CONFIANCE
    if proxies:
        transmis = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chaine = [entree.strip() for entree in transmis.split(",")]
        if len(chaine) >= proxies and _est_une_adresse_ip(chaine[-proxies]):
            adresse = chaine[-proxies]
    return adresse


def _est_une_adresse_ip(texte):
    try:
        ipaddress.ip_address(texte)
    except ValueError:
        return False
    return True
