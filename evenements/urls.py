from django.urls import path

from . import views

app_name = "evenements"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouveau/", views.creer, name="creer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/annuler/", views.annuler, name="annuler"),
    path("<int:pk>/supprimer/", views.supprimer, name="supprimer"),
    path("<int:pk>/participants/", views.choisir_participant, name="choisir_participant"),
    path(
        "<int:pk>/participants/<int:candidat_pk>/inscrire/",
        views.inscrire,
        name="inscrire",
    ),
    path(
        "<int:pk>/participants/nouveau/",
        views.nouveau_participant,
        name="nouveau_participant",
    ),
    path("<int:pk>/presences/", views.presences, name="presences"),
    path("<int:pk>/presences/import/", views.import_presences, name="import_presences"),
    path(
        "<int:pk>/presences/import/confirmer/",
        views.import_presences_confirmer,
        name="import_presences_confirmer",
    ),
    path("immersions/", views.immersions, name="immersions"),
    path(
        "immersions/candidat/<int:candidat_pk>/nouvelle/",
        views.immersion_creer,
        name="immersion_creer",
    ),
    path("immersions/<int:pk>/modifier/", views.immersion_modifier, name="immersion_modifier"),
    path(
        "immersions/<int:pk>/preselectionner/",
        views.preselectionner,
        name="preselectionner",
    ),
    path("accueillis/", views.accueillis, name="accueillis"),
    path("accueillis/<int:pk>/", views.accueilli, name="accueilli"),
]
