"""Links: the portal's address in e-mails sent by background jobs, and the page to go
back to after a form."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import RetourForm


def url_du_site():
    """`PORTAIL_URL_DU_SITE`, else the development server of `make run` in debug, else the
    first allowed host over HTTPS."""
    if settings.PORTAIL_URL_DU_SITE:
        return settings.PORTAIL_URL_DU_SITE.rstrip("/")
    hotes = [hote.lstrip(".") for hote in settings.ALLOWED_HOSTS if hote != "*"]
    if settings.DEBUG or not hotes:
        return "http://127.0.0.1:8000"
    return f"https://{hotes[0]}"


def url_de_retour(request, default):
    """`next` when it is a local URL of this site, else `default`."""
    suivante = RetourForm(request.POST).suivante() or RetourForm(request.GET).suivante()
    # A path: `redirect` takes any other word for the name of a URL, and fails.
    if suivante.startswith("/") and url_has_allowed_host_and_scheme(
        suivante, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return suivante
    return default
