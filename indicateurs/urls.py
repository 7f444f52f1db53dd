from django.urls import path

from . import views

app_name = "indicateurs"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("financeurs.<str:format>", views.export_financeurs, name="export_financeurs"),
]
