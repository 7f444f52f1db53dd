from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("django.contrib.auth.urls")),
    path("", include("portail.urls")),
    path("candidats/", include("candidats.urls")),
    path("", include("parcours.urls")),
    path("organisations/", include("entreprises.urls")),
    path("partenaire/", include("partenaires.urls")),
    path("indicateurs/", include("indicateurs.urls")),
    path("echanges/", include("echanges.urls")),
]
