from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from comptes.views import Deconnexion, DemandeDeReinitialisation
from portail.forms import ConnexionForm

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before django.contrib.auth's own, which it replaces: the username held to its length.
    path("login/", LoginView.as_view(authentication_form=ConnexionForm), name="login"),
    # Before django.contrib.auth's own, which it replaces: the throttled reset form.
    path("password_reset/", DemandeDeReinitialisation.as_view(), name="password_reset"),
    # Before django.contrib.auth's own, which it replaces: a message on the login page.
    path("logout/", Deconnexion.as_view(), name="logout"),
    path("", include("django.contrib.auth.urls")),
    path("compte/securite/", include("comptes.urls_otp")),
    path("", include("portail.urls")),
    path("candidats/", include("candidats.urls")),
    path("", include("parcours.urls")),
    path("organisations/", include("entreprises.urls")),
    path("partenaire/", include("partenaires.urls")),
    path("indicateurs/", include("indicateurs.urls")),
    path("echanges/", include("echanges.urls")),
    path("", include("enquetes.urls")),
    path("", include("evaluations.urls")),
    path("a-faire/", include("a_faire.urls")),
    path("", include("presences.urls")),
    path("documents/", include("documents.urls")),
    path("besoins/", include("besoins.urls")),
    path("evenements/", include("evenements.urls")),
    path("agenda/", include("agenda.urls")),
]

# The provider's delivery reports (bounces) where a webhook secret is configured (README).
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.append(path("anymail/", include("anymail.urls")))
