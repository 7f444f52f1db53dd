from django.urls import path

from . import views

app_name = "parcours"

urlpatterns = [
    path("cohortes/", views.cohortes, name="cohortes"),
    path("cohortes/<int:pk>/", views.cohorte, name="cohorte"),
    path("cohortes/<int:pk>/inscrire/", views.choisir_candidat, name="choisir_candidat"),
    path(
        "cohortes/<int:pk>/inscrire/<int:candidat_pk>/",
        views.inscrire,
        name="inscrire",
    ),
    path(
        "inscriptions/candidat/<int:candidat_pk>/",
        views.choisir_cohorte,
        name="choisir_cohorte",
    ),
    path("inscriptions/<int:pk>/suivi/", views.suivi_creer, name="suivi_creer"),
    path("inscriptions/<int:pk>/sortie/", views.sortie, name="sortie"),
    path("suivis/", views.suivis_du_mois, name="suivis_du_mois"),
    path("suivis/<int:pk>/modifier/", views.suivi_modifier, name="suivi_modifier"),
]
