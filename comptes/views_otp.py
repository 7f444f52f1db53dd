"""The second-factor pages: account security, enrolling an app, the code after sign-in,
and the recovery codes shown once."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portail.liens import url_de_retour

from . import double_facteur
from .forms_otp import ConfirmationApplicationForm, VerificationForm

SESSION_CODES_SECOURS = "double_facteur_codes_secours"


def _suite(request):
    """Where to go once the code is given: the page first asked for, if it is ours."""
    return url_de_retour(request, resolve_url(settings.LOGIN_REDIRECT_URL))


def _verifier_la_session(request, appareil):
    # A new session key for a session that now opens more, as Django does at sign-in.
    request.session.cycle_key()
    django_otp.login(request, appareil)


@login_required
@require_GET
def securite(request):
    user = request.user
    context = {
        "application": double_facteur.application(user),
        "codes_restants": double_facteur.codes_secours_restants(user),
        "exigee": double_facteur.double_facteur_exige(user),
        "peut_changer": user.is_verified() or not double_facteur.a_un_appareil(user),
    }
    return render(request, "comptes/otp_securite.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def activer(request):
    user = request.user
    if not user.is_verified() and double_facteur.a_un_appareil(user):
        # The password alone must not let anyone put their own phone in place of the owner's.
        return redirect_to_login(request.get_full_path(), reverse("double_facteur:verifier"))
    appareil = double_facteur.appareil_en_attente(user)
    form = ConfirmationApplicationForm(
        request.POST if request.method == "POST" else None, appareil=appareil
    )
    if form.is_valid():
        codes = double_facteur.activer_application(appareil=appareil)
        _verifier_la_session(request, appareil)
        request.session[SESSION_CODES_SECOURS] = codes
        page_codes = reverse("double_facteur:codes_secours")
        return redirect(f"{page_codes}?{urlencode({'next': _suite(request)})}")
    context = {
        "form": form,
        "qr_code": double_facteur.qr_code_svg(appareil),
        "cle": double_facteur.cle_a_saisir(appareil),
        "next": _suite(request),
    }
    return render(request, "comptes/otp_activer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verifier(request):
    user = request.user
    if user.is_verified():
        return redirect(_suite(request))
    if not double_facteur.a_un_appareil(user):
        return redirect_to_login(_suite(request), reverse("double_facteur:activer"))
    form = VerificationForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        _verifier_la_session(request, form.appareil)
        if double_facteur.est_code_de_secours(form.appareil):
            restants = double_facteur.codes_secours_restants(user)
            messages.warning(
                request,
                f"Code de secours utilisé : il vous en reste {restants}. Téléphone perdu ? "
                "Enregistrez-en un nouveau depuis « Sécurité du compte ».",
            )
        return redirect(_suite(request))
    return render(request, "comptes/otp_verifier.html", {"form": form, "next": _suite(request)})


@login_required
@never_cache
@require_GET
def codes_secours(request):
    codes = request.session.pop(SESSION_CODES_SECOURS, None)
    if codes is None:
        messages.info(
            request,
            "Les codes de secours ne s'affichent qu'une fois, après l'enregistrement de "
            "l'application. Enregistrez-la de nouveau pour en obtenir d'autres.",
        )
        return redirect("double_facteur:securite")
    return render(
        request, "comptes/otp_codes_secours.html", {"codes": codes, "suite": _suite(request)}
    )
