from django.urls import path

from . import views_otp

app_name = "double_facteur"

urlpatterns = [
    path("", views_otp.securite, name="securite"),
    path("activer/", views_otp.activer, name="activer"),
    path("verifier/", views_otp.verifier, name="verifier"),
    path("codes-de-secours/", views_otp.codes_secours, name="codes_secours"),
]
