import secrets

from django import forms
from django.db.models import Q

from .models import JetonCalendrier


class RechercheEcoleForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)

    def filtrer(self, ecoles):
        terms = self.cleaned_data["q"].strip()
        if terms:
            ecoles = ecoles.filter(Q(nom__icontains=terms) | Q(ville__icontains=terms))
        return ecoles


class CalendrierForm(forms.Form):
    """A new feed: its label, and the form's own random key against a second submit."""

    libelle = forms.CharField(
        label="Libellé",
        max_length=JetonCalendrier._meta.get_field("libelle").max_length,
        help_text=JetonCalendrier._meta.get_field("libelle").help_text,
    )
    jeton_creation = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["jeton_creation"] = secrets.token_hex(16)

    def clean(self):
        cleaned_data = super().clean()
        # A hidden field has no place to show its error: the form shows it at its top.
        if self.errors.pop("jeton_creation", None):
            self.add_error(
                None, "Le formulaire a expiré : rechargez la page et envoyez-le à nouveau."
            )
        return cleaned_data
