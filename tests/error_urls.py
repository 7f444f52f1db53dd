"""A URLconf for the error-page tests: the project's URLs plus a view that fails."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("SELECT secret FROM internal_table — stack trace material")


def suspicious_view(request):
    raise SuspiciousOperation("forged header")


urlpatterns = [
    path("test-erreur/", failing_view),
    path("test-requete-invalide/", suspicious_view),
    *project_urlpatterns,
]
