from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from portail.client import adresse_du_client

from .reinitialisation import demande_acceptee


class DemandeDeReinitialisation(auth_views.PasswordResetView):
    """The "mot de passe oublié" form, throttled (comptes/reinitialisation.py).

    Sent, refused by the throttle, unknown address or mail server down (Django's form logs
    the failure and carries on): the answer is the same page, which tells no one whether
    an address has an account.
    """

    def form_valid(self, form):
        if demande_acceptee(
            email=form.cleaned_data["email"], adresse_du_client=adresse_du_client(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
