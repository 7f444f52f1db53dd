from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from portail.client import adresse_du_client

from .forms import DemandeDeReinitialisationForm
from .reinitialisation import demande_acceptee


class DemandeDeReinitialisation(auth_views.PasswordResetView):
    """The "mot de passe oublié" form, throttled (comptes/reinitialisation.py).

    Put in the outbox (comptes/forms.py), refused by the throttle or unknown address: the
    answer is the same page, which tells no one whether an address has an account. A mail
    server down is the outbox's business (recorded, retried), never the request's.
    """

    form_class = DemandeDeReinitialisationForm

    def form_valid(self, form):
        if demande_acceptee(
            email=form.cleaned_data["email"], adresse_du_client=adresse_du_client(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class Deconnexion(auth_views.LogoutView):
    """Django's logout, which then says so on the login page."""

    def post(self, request, *args, **kwargs):
        etait_connecte = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if etait_connecte:
            messages.success(request, "Vous êtes déconnecté. À bientôt !")
        return response
