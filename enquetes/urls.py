from django.urls import path

from . import views

app_name = "enquetes"

urlpatterns = [
    # Public: the link of the e-mail, without sign-in.
    path("enquete/<str:jeton>/", views.repondre, name="repondre"),
    path("enquetes/a-appeler/", views.a_appeler, name="a_appeler"),
    path("enquetes/<int:pk>/appel/", views.appel, name="appel"),
    path("enquetes/<int:pk>/injoignable/", views.injoignable, name="injoignable"),
]
