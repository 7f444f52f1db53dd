from django.urls import path

from . import pages, views

app_name = "portail"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("mentions-legales/", pages.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", pages.donnees_personnelles, name="donnees_personnelles"),
    path("accessibilite/", pages.accessibilite, name="accessibilite"),
    # Browsers ask for it at the root whatever the page says.
    path("favicon.ico", pages.favicon),
]
