from django.urls import path

from . import views

app_name = "a_faire"

urlpatterns = [
    path("", views.a_faire, name="a_faire"),
    path("synthese/", views.synthese, name="synthese"),
    path("sorties/", views.sorties, name="sorties"),
]
