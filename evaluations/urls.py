from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("partenaire/evaluations/", views.a_evaluer, name="a_evaluer"),
    path("partenaire/evaluations/<int:pk>/", views.evaluer, name="evaluer"),
    path("evaluations/en-attente/", views.en_attente, name="en_attente"),
]
