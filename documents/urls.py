from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("cohortes/<int:pk>/", views.cohorte, name="cohorte"),
    path("cohortes/<int:pk>/emargement/", views.emargement, name="emargement"),
    path("cohortes/<int:pk>/emargement-signe/", views.feuille_signee, name="feuille_signee"),
    path("cohortes/<int:pk>/certificats/", views.certificats, name="certificats"),
    path("stages/<int:pk>/convention/", views.convention, name="convention"),
    path("inscriptions/<int:pk>/certificat/", views.certificat, name="certificat"),
    path("inscriptions/<int:pk>/attestation/", views.attestation, name="attestation"),
    path("<int:pk>/telecharger/", views.telecharger, name="telecharger"),
]
