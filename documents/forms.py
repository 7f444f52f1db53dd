import datetime
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from candidats.text import normalize_for_search

from .models import TypeDocument
from .services import analyser_scan, semaines_de


class JetonForm(forms.Form):
    """The one-time token a generation form carries: a double submit finds its document."""

    jeton = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jeton"].initial = uuid.uuid4().hex

    def clean_jeton(self):
        jeton = self.cleaned_data["jeton"].strip()
        return jeton or uuid.uuid4().hex


class SemaineForm(JetonForm):
    lundi = forms.TypedChoiceField(
        label="Semaine",
        coerce=datetime.date.fromisoformat,
        error_messages={"invalid_choice": "Choisissez une semaine de la cohorte."},
    )

    def __init__(self, *args, cohorte, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lundi"].choices = [
            (lundi.isoformat(), f"Semaine du {lundi:%d/%m/%Y}") for lundi in semaines_de(cohorte)
        ]


class ScanForm(SemaineForm):
    fichier = forms.FileField(
        label="Feuille signée (PDF, JPEG ou PNG)",
        help_text="La feuille numérisée, signée par les stagiaires et le formateur.",
    )

    def __init__(self, *args, **kwargs):
        # On the page beside the sheet's form, which has its own "lundi".
        kwargs.setdefault("auto_id", "id_scan_%s")
        super().__init__(*args, **kwargs)
        self.fields["lundi"].label = "Semaine de la feuille"
        self.fields["fichier"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        maximum = settings.PORTAIL_DOCUMENTS_SCAN_MAX_OCTETS
        if fichier.size > maximum:
            raise ValidationError(
                f"Le fichier dépasse {maximum // (1024 * 1024)} Mo : numérisez-le en plus "
                "basse résolution."
            )
        contenu = fichier.read()
        if not contenu:
            raise ValidationError("Le fichier est vide.")
        try:
            analyser_scan(contenu)
        except ValidationError as error:
            raise ValidationError(error.message_dict["fichier"]) from error
        return contenu


class DocumentsFiltreForm(forms.Form):
    q = forms.CharField(label="Stagiaire", required=False, max_length=100)
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous"), *TypeDocument.choices]
    )

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()

    def filtrer(self, documents):
        if not self.is_valid():
            return documents
        if self.cleaned_data["type"]:
            documents = documents.filter(type=self.cleaned_data["type"])
        for mot in normalize_for_search(self.cleaned_data["q"]).split():
            documents = documents.filter(inscription__candidat__recherche__contains=mot)
        return documents
