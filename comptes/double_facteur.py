"""The second factor (TOTP): who must give a code, how a code is checked, and its writes.

django-otp keeps the devices: one TOTP device per user (the authenticator app on their
phone) and one static device holding their recovery codes. Staff and administrators
give a code after every sign-in where `PORTAIL_OTP_EQUIPE` is on; a partner once they
have chosen to enrol. Each device counts its own wrong codes and makes the next try
wait longer (django-otp's throttling, `OTP_TOTP_THROTTLE_FACTOR`).
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

NOMBRE_CODES_SECOURS = 10
NOM_APPLICATION = "Application d'authentification"
NOM_CODES_SECOURS = "Codes de secours"
CHIFFRES_CODE_APPLICATION = 6


def double_facteur_exige(user):
    """Whether this signed-in user must give a code before any page but the code pages."""
    if not settings.PORTAIL_OTP_EQUIPE or not user.is_authenticated:
        return False
    return user.is_equipe or user.is_staff or user_has_device(user)


def a_un_appareil(user):
    """A confirmed app or recovery codes: the user is asked for a code, not to enrol."""
    return user_has_device(user)


def application(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def codes_secours_restants(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def appareil_en_attente(user):
    """The app being enrolled: kept until confirmed, so a reload shows the same QR code."""
    en_attente = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return en_attente or TOTPDevice.objects.create(user=user, name=NOM_APPLICATION, confirmed=False)


def qr_code_svg(appareil):
    """The app's configuration link as an inline SVG, drawn here: nothing for the CSP to block."""
    image = qrcode.make(appareil.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    # Safe to mark: the document is qrcode's own shapes; no text of the link appears in it.
    return mark_safe(image.to_string(encoding="unicode"))


def cle_a_saisir(appareil):
    """The secret as the apps ask for it when it is typed: base32, in groups of four."""
    cle = b32encode(appareil.bin_key).decode()
    return " ".join(cle[debut : debut + 4] for debut in range(0, len(cle), 4))


def normaliser(code):
    return "".join(code.split()).lower()


def _appareils_pour(user, code):
    """The devices a code may belong to: six digits come from the app, the rest are
    recovery codes. Trying a code only there keeps a run of wrong app codes from also
    throttling the recovery codes."""
    if len(code) == CHIFFRES_CODE_APPLICATION and code.isdigit():
        modele = TOTPDevice
    else:
        modele = StaticDevice
    return modele.objects.devices_for_user(user, confirmed=True)


def bloque_jusqu_a(user, code):
    """When the devices this code would be tried on accept a try again, if they are waiting."""
    attentes = [
        details["locked_until"]
        for autorise, details in (
            appareil.verify_is_allowed() for appareil in _appareils_pour(user, normaliser(code))
        )
        if not autorise and details and "locked_until" in details
    ]
    return max(attentes, default=None)


def appareil_du_code(user, code):
    """The confirmed device that accepts this code (used up if it is a recovery code), or None."""
    code = normaliser(code)
    for appareil in _appareils_pour(user, code):
        verifie = verify_token(user, appareil.persistent_id, code)
        if verifie is not None:
            return verifie
    return None


def est_code_de_secours(appareil):
    return isinstance(appareil, StaticDevice)


def code_de_l_appareil_en_attente(appareil, code):
    """Whether the app being enrolled gives this code (a wrong one counts towards throttling)."""
    return verify_token(appareil.user, appareil.persistent_id, normaliser(code)) is not None


@transaction.atomic
def activer_application(*, appareil):
    """The app's first code was right: it becomes the user's only app, with new recovery
    codes, returned to be shown once."""
    TOTPDevice.objects.filter(user_id=appareil.user_id).exclude(pk=appareil.pk).delete()
    appareil.confirmed = True
    appareil.save(update_fields=["confirmed"])
    return renouveler_codes_secours(user=appareil.user)


@transaction.atomic
def renouveler_codes_secours(*, user):
    """Replace every recovery code of the user (those of `addstatictoken` too)."""
    StaticDevice.objects.filter(user=user).delete()
    appareil = StaticDevice.objects.create(user=user, name=NOM_CODES_SECOURS, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(NOMBRE_CODES_SECOURS)]
    StaticToken.objects.bulk_create(StaticToken(device=appareil, token=code) for code in codes)
    return codes


@transaction.atomic
def reinitialiser_double_facteur(*, user):
    """Forget the user's app and recovery codes: their verified sessions end being verified,
    staff enrol a new app at their next page, partners are back to the password alone."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
