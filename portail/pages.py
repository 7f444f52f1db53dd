"""The pages every public service publishes: legal notice, personal data, accessibility."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.generic import TemplateView


class PagePublique(TemplateView):
    """Open to everyone, signed in or not: the footer links to it from the login page."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contact=settings.PORTAIL_ENQUETES_CONTACT,
            conservation_candidat_mois=settings.PORTAIL_RETENTION_CANDIDAT_MOIS,
            conservation_stagiaire_mois=settings.PORTAIL_RETENTION_STAGIAIRE_MOIS,
            **kwargs,
        )


mentions_legales = PagePublique.as_view(template_name="portail/pages/mentions_legales.html")
donnees_personnelles = PagePublique.as_view(template_name="portail/pages/donnees_personnelles.html")
accessibilite = PagePublique.as_view(template_name="portail/pages/accessibilite.html")


def favicon(request):
    """Browsers ask for it at the root whatever the page says; its address is known once the
    static files are collected, so it is looked up at each request, not at import."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
