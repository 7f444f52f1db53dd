"""Forms of the accounts that send e-mail: through the outbox (messagerie), never inline."""

import uuid

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from messagerie.services import mettre_en_file


class DemandeDeReinitialisationForm(PasswordResetForm):
    """Django's password reset form, its e-mail put in the outbox.

    The message is written in the request's transaction and sent by a background job: a
    mail server down is recorded on the message ("Échec") and retried, and the answer page
    stays the same.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        sujet = loader.render_to_string(subject_template_name, context)
        # An e-mail subject must not contain newlines.
        sujet = "".join(sujet.splitlines())
        html = ""
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
        mettre_en_file(
            # Not the token: the key is logged and sent as a header. One message a request
            # (the throttle counts them), two in the same second having the same token.
            cle=f"reinitialisation-{context['uid']}-{uuid.uuid4().hex}",
            destinataire=to_email,
            sujet=sujet,
            texte=loader.render_to_string(email_template_name, context),
            html=html,
        )
