from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    # Public: calendar apps read the feed without signing in; the token is the only key.
    path("<str:jeton>.ics", views.flux, name="flux"),
    path("ecoles/", views.ecoles, name="ecoles"),
    path("ecoles/<int:pk>/", views.ecole, name="ecole"),
    path("calendriers/<int:pk>/revoquer/", views.revoquer, name="revoquer"),
]
