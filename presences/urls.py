from django.urls import path

from . import views

app_name = "presences"

urlpatterns = [
    path("cohortes/<int:pk>/presences/", views.grille, name="grille"),
    path("cohortes/<int:pk>/presences/regenerer/", views.regenerer, name="regenerer"),
    path("presences/demi-journees/<int:pk>/", views.creneau, name="creneau"),
]
