from django.urls import path

from . import views

app_name = "entreprises"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/comptes/nouveau/", views.creer_compte, name="creer_compte"),
    path("<int:pk>/contacts/nouveau/", views.contact_ajouter, name="contact_ajouter"),
    path("contacts/<int:pk>/modifier/", views.contact_modifier, name="contact_modifier"),
    path(
        "appartenances/<int:pk>/renvoyer/",
        views.renvoyer_invitation,
        name="renvoyer_invitation",
    ),
    path(
        "appartenances/<int:pk>/desactiver/",
        views.desactiver_appartenance,
        name="desactiver_appartenance",
    ),
]
