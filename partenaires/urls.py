from django.urls import path

from . import views

app_name = "partenaires"

urlpatterns = [
    path("", views.ecoles, name="ecoles"),
    path("cohortes/<int:pk>/", views.cohorte, name="cohorte"),
    path("stagiaires/export/<str:format>/", views.export_stagiaires, name="export_stagiaires"),
]
