"""Forms of the second-factor pages: each checks its code in `clean_code`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import double_facteur

CODE_REFUSE = (
    "Ce code n'est pas valable. Vérifiez que l'heure de votre téléphone est juste, "
    "attendez le code suivant, ou saisissez un code de secours."
)


def _champ_code(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )


def _attente(jusqu_a):
    return ValidationError(
        "Trop de codes erronés : un nouvel essai est possible à partir du "
        f"{timezone.localtime(jusqu_a):%d/%m/%Y à %H:%M:%S}."
    )


class ConfirmationApplicationForm(forms.Form):
    """The first code of the app being enrolled proves it was set up."""

    code = _champ_code(
        "Code affiché par l'application", "Six chiffres, renouvelés toutes les 30 s."
    )

    def __init__(self, *args, appareil, **kwargs):
        super().__init__(*args, **kwargs)
        self.appareil = appareil

    def clean_code(self):
        code = self.cleaned_data["code"]
        autorise, details = self.appareil.verify_is_allowed()
        if not autorise:
            raise _attente(details["locked_until"])
        if not double_facteur.code_de_l_appareil_en_attente(self.appareil, code):
            raise ValidationError(
                "Ce code n'est pas valable. Vérifiez que l'heure de votre téléphone est juste "
                "et saisissez le code suivant."
            )
        return code


class VerificationForm(forms.Form):
    """After the password: the app's code, or one of the recovery codes."""

    code = _champ_code(
        "Code de vérification",
        "Les six chiffres de votre application, ou l'un de vos codes de secours.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.appareil = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        jusqu_a = double_facteur.bloque_jusqu_a(self.user, code)
        if jusqu_a is not None:
            raise _attente(jusqu_a)
        self.appareil = double_facteur.appareil_du_code(self.user, code)
        if self.appareil is None:
            raise ValidationError(CODE_REFUSE)
        return code
