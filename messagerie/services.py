"""The outbox: every e-mail is a row before it is sent, and is sent by a background job.

`mettre_en_file` writes the row (or finds it by its key) and the job that sends it;
`envoyer` sends it at most once: the row is claimed ("en cours") before the mail server is
called, so a second worker, or the same job run twice, finds it sent or being sent. A send
interrupted by a crash stays "en cours" and is tried again by `relancer` after
`PORTAIL_MESSAGES_DELAI_REPRISE_MINUTES`.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from .models import Message

logger = logging.getLogger(__name__)


def mettre_en_file(*, cle, destinataire, sujet, texte, html=""):
    """The message of key `cle`, written now if new, with the job that will send it.

    The job is a row of the same database (django-tasks-db), written in the same
    transaction: a worker sees the message only once it is committed, and a rollback takes
    both away.
    """
    message, cree = Message.objects.get_or_create(
        cle=cle,
        defaults={"destinataire": destinataire, "sujet": sujet, "texte": texte, "html": html},
    )
    if cree:
        from .tasks import envoyer_message

        envoyer_message.enqueue(message.pk)
    return message


def _a_envoyer():
    """Messages that may be claimed for a send: waiting, failed, or left "en cours" by a
    crash, with attempts left."""
    return Message.objects.filter(
        Q(etat__in=[Message.Etat.EN_ATTENTE, Message.Etat.ECHEC])
        | Q(etat=Message.Etat.EN_COURS, tente_le__lt=_limite_de_reprise()),
        tentatives__lt=settings.PORTAIL_MESSAGES_TENTATIVES_MAX,
    )


def _limite_de_reprise():
    return timezone.now() - datetime.timedelta(
        minutes=settings.PORTAIL_MESSAGES_DELAI_REPRISE_MINUTES
    )


def envoyer(message_id):
    """Send the message unless it was sent, or is being sent by someone else.

    The message is claimed by one conditional UPDATE: of two workers running the same job,
    one changes the row and sends, the other changes nothing and stops.
    """
    maintenant = timezone.now()
    reclame = (
        _a_envoyer()
        .filter(pk=message_id)
        .update(etat=Message.Etat.EN_COURS, tentatives=F("tentatives") + 1, tente_le=maintenant)
    )
    message = Message.objects.filter(pk=message_id).first()
    if not reclame:
        return message and message.etat
    courriel = EmailMultiAlternatives(
        subject=message.sujet,
        body=message.texte,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.destinataire],
        headers={"X-Portail-Message": message.cle},
    )
    if message.html:
        courriel.attach_alternative(message.html, "text/html")
    try:
        courriel.send()
    except Exception as error:  # noqa: BLE001 — whatever the backend raises is recorded
        logger.warning("Message %s non envoyé : %s", message.cle, error)
        Message.objects.filter(pk=message.pk).update(
            etat=Message.Etat.ECHEC, derniere_erreur=str(error)[:2000]
        )
        return Message.Etat.ECHEC
    statut = getattr(courriel, "anymail_status", None)
    Message.objects.filter(pk=message.pk).update(
        etat=Message.Etat.ENVOYE,
        envoye_le=timezone.now(),
        derniere_erreur="",
        identifiant_fournisseur=(statut.message_id or "") if statut else "",
    )
    return Message.Etat.ENVOYE


def relancer():
    """Send again what is left to send; the number of messages handed to the workers."""
    from .tasks import envoyer_message

    ids = list(_a_envoyer().values_list("pk", flat=True)[:1000])
    for message_id in ids:
        envoyer_message.enqueue(message_id)
    return len(ids)


def suivre_la_remise(sender, event, esp_name, **kwargs):
    """Anymail's tracking webhook: a bounced or rejected message is marked as such."""
    if event.event_type not in {"bounced", "rejected", "complained"} or not event.message_id:
        return
    Message.objects.filter(identifiant_fournisseur=event.message_id).update(
        etat=Message.Etat.REJETE, derniere_erreur=f"{esp_name} : {event.event_type}"
    )
