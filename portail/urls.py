from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import pages, views

app_name = "portail"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("mentions-legales/", pages.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", pages.donnees_personnelles, name="donnees_personnelles"),
    path("accessibilite/", pages.accessibilite, name="accessibilite"),
    # Browsers ask for it at the root whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
]
