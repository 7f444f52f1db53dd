from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from . import double_facteur

# What a signed-in user may open before giving their code: the code pages and sign-out.
PAGES_AVANT_LE_CODE = {
    "double_facteur:activer",
    "double_facteur:verifier",
    "logout",
    "admin:logout",
}


class DoubleFacteurMiddleware:
    """Sends a user who must give a second factor (see `double_facteur_exige`) and has
    not yet, in this session, to the code page, or to enrolment if they have no device.

    Placed after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PORTAIL_OTP_EQUIPE:
            # Checked first so that, switched off, the user is not even loaded here.
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in PAGES_AVANT_LE_CODE:
            return None
        if not double_facteur.double_facteur_exige(user):
            return None
        if double_facteur.a_un_appareil(user):
            page = "double_facteur:verifier"
        else:
            page = "double_facteur:activer"
        return redirect_to_login(request.get_full_path(), reverse(page))
