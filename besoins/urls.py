from django.urls import path

from . import views

app_name = "besoins"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("mes-besoins/", views.mes_besoins, name="mes_besoins"),
    path("nouveau/", views.creer, name="creer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/annuler/", views.annuler, name="annuler"),
    path("<int:pk>/valider/", views.valider, name="valider"),
    path("<int:pk>/affecter/", views.affecter, name="affecter"),
    path(
        "affectations/<int:pk>/retirer/",
        views.retirer_affectation,
        name="retirer_affectation",
    ),
    path("planification/", views.planification_ecoles, name="planification_ecoles"),
    path("planification/ecoles/<int:pk>/", views.planification, name="planification"),
    path("ecoles/<int:pk>/", views.ecole, name="ecole"),
]
