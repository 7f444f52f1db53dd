"""The portal's address in the links of e-mails sent by background jobs (no request)."""

from django.conf import settings


def url_du_site():
    """`PORTAIL_URL_DU_SITE`, else the development server of `make run` in debug, else the
    first allowed host over HTTPS."""
    if settings.PORTAIL_URL_DU_SITE:
        return settings.PORTAIL_URL_DU_SITE.rstrip("/")
    hotes = [hote.lstrip(".") for hote in settings.ALLOWED_HOSTS if hote != "*"]
    if settings.DEBUG or not hotes:
        return "http://127.0.0.1:8000"
    return f"https://{hotes[0]}"
