"""Partner accounts: created by staff, the password chosen by the partner."""

import enum
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes.models import Appartenance, User
from messagerie.services import mettre_en_file


class Issue(enum.Enum):
    COMPTE_CREE = "compte_cree"
    APPARTENANCE_AJOUTEE = "appartenance_ajoutee"
    APPARTENANCE_REACTIVEE = "appartenance_reactivee"
    DEJA_MEMBRE = "deja_membre"


@dataclass(frozen=True)
class CompteOuvert:
    user: User
    appartenance: Appartenance
    issue: Issue


def lien_pour_choisir_le_mot_de_passe(user, site_url):
    """The one-time link of Django's password reset, valid PASSWORD_RESET_TIMEOUT seconds."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{site_url}{path}"


def envoyer_acces(*, user, entreprise, site_url):
    """Put in the outbox the e-mail telling the partner about their access, with a
    set-password link while they have no password.

    Each call is a new message (its key holds a random part): a resend is a fresh link.
    The message is written in the caller's transaction and sent by a background job; a
    mail server failure is recorded on the message ("Échec") and retried, never raised here.
    """
    context = {
        "user": user,
        "entreprise": entreprise,
        "lien_mot_de_passe": None,
        "lien_connexion": f"{site_url}{reverse('login')}",
        "validite_jours": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    if not user.has_usable_password():
        context["lien_mot_de_passe"] = lien_pour_choisir_le_mot_de_passe(user, site_url)
    return mettre_en_file(
        cle=f"acces-{user.pk}-{uuid.uuid4().hex}",
        destinataire=user.email,
        sujet=render_to_string("partenaires/email_acces_sujet.txt", context).strip(),
        texte=render_to_string("partenaires/email_acces.txt", context),
    )


def _compte_existant(email):
    return (
        User.objects.select_for_update()
        .filter(Q(username=email) | Q(email__iexact=email))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def ouvrir_compte_partenaire(*, entreprise, prenom, nom, email, site_url):
    """Give the person at `email` a partner access to `entreprise`.

    A new account gets no password: the e-mail put in the outbox, in the same
    transaction, holds a link to choose one (a rollback takes it away). An
    existing partner account gets the membership (reactivated if it had been
    deactivated). Submitting the same person twice changes nothing.
    """
    email = email.strip().lower()
    user = _compte_existant(email)
    issue = None
    if user is None:
        user = User(
            username=email, email=email, first_name=prenom, last_name=nom, role=User.Role.PARTENAIRE
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
            issue = Issue.COMPTE_CREE
        except IntegrityError:
            # The same form submitted twice at once: the other request created it.
            user = _compte_existant(email)
    if user.role != User.Role.PARTENAIRE or user.is_superuser:
        raise ValidationError(
            "Cette adresse est celle d'un compte de l'équipe ou d'un administrateur : "
            "elle ne peut pas servir à un compte partenaire."
        )
    if not user.is_active:
        raise ValidationError(
            "Le compte partenaire de cette adresse est désactivé : "
            "un administrateur peut le réactiver."
        )

    appartenance, creee = Appartenance.objects.select_for_update().get_or_create(
        user=user, entreprise=entreprise
    )
    if issue is None:
        if creee:
            issue = Issue.APPARTENANCE_AJOUTEE
        elif not appartenance.active:
            appartenance.active = True
            appartenance.desactivee_le = None
            appartenance.save(update_fields=["active", "desactivee_le"])
            issue = Issue.APPARTENANCE_REACTIVEE
        else:
            return CompteOuvert(user=user, appartenance=appartenance, issue=Issue.DEJA_MEMBRE)

    envoyer_acces(user=user, entreprise=entreprise, site_url=site_url)
    return CompteOuvert(user=user, appartenance=appartenance, issue=issue)
