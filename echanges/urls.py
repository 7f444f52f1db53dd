from django.urls import path

from . import views

app_name = "echanges"

urlpatterns = [
    path("candidats/export/<str:format>/", views.export_candidats, name="export_candidats"),
    path("cohortes/<int:pk>/export/<str:format>/", views.export_cohorte, name="export_cohorte"),
    path("sorties/export/<str:format>/", views.export_sorties, name="export_sorties"),
    path("exports/", views.exports_list, name="exports"),
    path("exports/<uuid:pk>/", views.export_demande, name="export_demande"),
    path("exports/<uuid:pk>/fichier/", views.export_fichier, name="export_fichier"),
    path("candidats/import/", views.import_candidats, name="import_candidats"),
    path(
        "candidats/import/<str:jeton>/confirmer/",
        views.import_confirmer,
        name="import_confirmer",
    ),
    path("candidats/import/termine/", views.import_termine, name="import_termine"),
    path("candidats/import/modele/<str:format>/", views.modele_import, name="modele_import"),
]
