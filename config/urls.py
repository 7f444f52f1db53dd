from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Portail Plan Marshall — administration"
admin.site.site_title = "Portail Plan Marshall"
admin.site.index_title = "Données de référence et comptes"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("django.contrib.auth.urls")),
]
