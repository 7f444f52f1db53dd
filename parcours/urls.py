from django.urls import path

from . import views

app_name = "parcours"

urlpatterns = [
    path("cohortes/", views.cohortes, name="cohortes"),
    path("cohortes/nouvelle/", views.cohorte_creer, name="cohorte_creer"),
    path("cohortes/<int:pk>/", views.cohorte, name="cohorte"),
    path("cohortes/<int:pk>/modifier/", views.cohorte_modifier, name="cohorte_modifier"),
    path("cohortes/<int:pk>/calendrier/", views.cohorte_calendrier, name="cohorte_calendrier"),
    path("inscriptions/<int:pk>/stages/", views.stages, name="stages"),
    path("stages/sans-entreprise/", views.stages_sans_entreprise, name="stages_sans_entreprise"),
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
