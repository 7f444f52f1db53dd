"""Sign-in throttling, on top of django-axes.

django-axes locks an account for one address after `AXES_FAILURE_LIMIT` failures from that
address (`AXES_LOCKOUT_PARAMETERS`): whoever guesses from elsewhere cannot lock the real
user out of their own address. Guesses spread over many addresses then slow the account
down instead: once it has `PORTAIL_CONNEXION_ECHECS_COMPTE` failures within the cool-off,
from any address, an attempt less than `PORTAIL_CONNEXION_ATTENTE_SECONDES` after the last
failure is refused, without checking the password and without counting as a failure, with
a "réessayez dans N secondes" page. At most one guess per wait thus reaches the password,
and the wait never grows into a lockout.

A refusal rather than a delay, because a sleeping request holds a server worker: a few
parallel guesses would hold them all. The addresses from which the account has already
signed in (django-axes' access log) are not slowed down, so that someone hammering the
account cannot keep its owner out of their usual office or home either.
"""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render


def attente_avant_essai(*, username, adresse, maintenant, recul):
    """Seconds before `username` may be tried again from `adresse`; 0 when it may now.

    `recul` is the cool-off: the failures older than that are forgotten.
    """
    echecs = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=maintenant - recul
    ).aggregate(nombre=Sum("failures_since_start"), dernier=Max("attempt_time"))
    if (echecs["nombre"] or 0) < settings.PORTAIL_CONNEXION_ECHECS_COMPTE:
        return 0
    attente = datetime.timedelta(seconds=settings.PORTAIL_CONNEXION_ATTENTE_SECONDES)
    fin = echecs["dernier"] + attente
    if fin <= maintenant:
        return 0
    if AccessLog.objects.filter(username=username, ip_address=adresse).exists():
        return 0
    return math.ceil((fin - maintenant).total_seconds())


class PortailAxesHandler(AxesDatabaseHandler):
    """`AXES_HANDLER`: django-axes' lockout per account and address, and the slow-down
    per account above. A slowed-down attempt is refused as a locked-out one is: with
    `AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT` off, it is not recorded."""

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        if username is None:
            return False
        request.portail_attente = attente_avant_essai(
            username=username,
            adresse=request.axes_ip_address,
            maintenant=request.axes_attempt_time,
            recul=get_cool_off(request),
        )
        return request.portail_attente > 0


def reponse_de_blocage(request, original_response, credentials):
    """`AXES_LOCKOUT_CALLABLE`: the lockout page, or the slow-down page with its wait."""
    attente = getattr(request, "portail_attente", 0)
    response = render(
        request,
        "registration/lockout.html",
        {"attente": attente, "heures": settings.AXES_COOLOFF_TIME},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if attente:
        response["Retry-After"] = str(attente)
    return response
