"""The weekly digest: each staff member's "À faire" page, by e-mail, once a week.

Each digest is a message of the outbox with the key `digest-<user>-<ISO week>`: run again
in the same week, the job finds the message and sends nothing more.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from messagerie.models import Message
from messagerie.services import mettre_en_file

from .sections import sections_de


def semaine_iso(day):
    annee, semaine, _ = day.isocalendar()
    return f"{annee}-W{semaine:02d}"


def cle_de_synthese(user, day):
    return f"digest-{user.pk}-{semaine_iso(day)}"


def destinataires():
    """The staff who receive the digest: active, with an e-mail address, not switched off.

    The role condition is the SQL twin of `User.is_equipe` (tests/a_faire holds them
    together): partners never receive it.
    """
    return (
        User.objects.filter(is_active=True, recoit_synthese=True)
        .filter(Q(role__in=[User.Role.EQUIPE, User.Role.ADMINISTRATEUR]) | Q(is_superuser=True))
        .exclude(email="")
        .order_by("pk")
    )


def mettre_en_file_la_synthese(user, *, site_url, day):
    sections = sections_de(user, day)
    lundi = day - datetime.timedelta(days=day.weekday())
    context = {
        "user": user,
        "sections": sections,
        "total": sum(section.nombre for section in sections),
        "lundi": lundi,
        "site_url": site_url,
        "a_faire_url": f"{site_url}{reverse('a_faire:a_faire')}",
    }
    return mettre_en_file(
        cle=cle_de_synthese(user, day),
        destinataire=user.email,
        sujet=render_to_string("a_faire/synthese_sujet.txt", context).strip(),
        texte=render_to_string("a_faire/synthese.txt", context),
    )


def envoyer_syntheses(*, site_url, day=None):
    """Queue this week's digest of every recipient who has none yet; the counts of digests
    queued now and of those already queued this week."""
    day = day or timezone.localdate()
    recipients = list(destinataires())
    deja = set(
        Message.objects.filter(
            cle__in=[cle_de_synthese(user, day) for user in recipients]
        ).values_list("cle", flat=True)
    )
    envoyees = 0
    for user in recipients:
        if cle_de_synthese(user, day) in deja:
            continue
        # The message and the job that sends it, together or not at all.
        with transaction.atomic():
            mettre_en_file_la_synthese(user, site_url=site_url, day=day)
        envoyees += 1
    return {"envoyees": envoyees, "deja_envoyees": len(deja)}
