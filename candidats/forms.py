import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from ecoles.models import Ecole
from portail.forms import DateBornee

from .doublons import doublons_probables, identite_de, motifs_de_doublon
from .models import Candidat

DOUBLONS_AFFICHES = 10


class DateDeNaissance(DateBornee):
    """The portal's bounds start with the programme; its candidates were born before."""

    debut = datetime.date(1900, 1, 1)


class CandidatForm(forms.ModelForm):
    """A candidate's file. Likely duplicates block the save until the user confirms."""

    confirmer_doublon = forms.BooleanField(
        label="Je confirme qu'il s'agit d'une autre personne", required=False
    )

    class Meta:
        model = Candidat
        fields = [
            "nom",
            "prenom",
            "date_naissance",
            "email",
            "telephone",
            "commune",
            "code_postal",
            "identifiant_france_travail",
            "canal",
            "ecole_visee",
            "statut",
            "notes",
            "date_consentement",
            "date_dernier_contact",
        ]
        field_classes = {
            "date_naissance": DateDeNaissance,
            "date_consentement": DateBornee,
            "date_dernier_contact": DateBornee,
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "telephone": forms.TextInput(attrs={"type": "tel"}),
            "code_postal": forms.TextInput(attrs={"inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "telephone": "Par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.",
            "code_postal": "5 chiffres, par exemple 59000.",
            "identifiant_france_travail": "L'identifiant de demandeur d'emploi, s'il en a un.",
            "ecole_visee": "Seules les écoles actives sont proposées.",
            "notes": "Visibles de l'équipe seulement, jamais des partenaires.",
            "date_consentement": (
                "Le jour où la personne a accepté que ses données soient conservées."
            ),
        }
        error_messages = {
            "nom": {"required": "Indiquez le nom."},
            "prenom": {"required": "Indiquez le prénom."},
            "email": {
                "invalid": "Cette adresse de courriel n'est pas valide (exemple : nom@exemple.fr)."
            },
        }

    def __init__(self, *args, candidats, **kwargs):
        """`candidats`: the records the user may see, searched for duplicates."""
        super().__init__(*args, **kwargs)
        self.candidats = candidats
        self.doublons = []
        ecoles = Q(active=True)
        if self.instance.ecole_visee_id:
            # A school closed since keeps its candidates: saving them again must not fail.
            ecoles |= Q(pk=self.instance.ecole_visee_id)
        self.fields["ecole_visee"].queryset = Ecole.objects.filter(ecoles)
        self.fields["ecole_visee"].empty_label = "Pas encore choisie"
        if self.instance.telephone:
            self.initial["telephone"] = self.instance.telephone_affiche

    def clean_date_naissance(self):
        return self._pas_dans_le_futur("date_naissance", "La date de naissance")

    def clean_date_consentement(self):
        return self._pas_dans_le_futur("date_consentement", "La date du consentement")

    def clean_date_dernier_contact(self):
        return self._pas_dans_le_futur("date_dernier_contact", "La date du dernier contact")

    def _pas_dans_le_futur(self, name, label):
        day = self.cleaned_data[name]
        if day and day > timezone.localdate():
            raise ValidationError(f"{label} ne peut pas être dans le futur.")
        return day

    def clean(self):
        cleaned_data = super().clean()
        candidats = self.candidats
        if self.instance.pk is not None:
            candidats = candidats.exclude(pk=self.instance.pk)
        # A field that failed validation is missing here: the others still find duplicates.
        doublons = doublons_probables(candidats, cleaned_data).order_by("nom", "prenom", "pk")
        self.doublons = [
            (doublon, motifs_de_doublon(identite_de(doublon), cleaned_data))
            for doublon in doublons[:DOUBLONS_AFFICHES]
        ]
        if self.doublons and not cleaned_data.get("confirmer_doublon"):
            raise ValidationError(
                "Cette personne semble déjà avoir une fiche. Vérifiez les fiches ci-dessous ; "
                "s'il s'agit bien d'une autre personne, cochez la case de confirmation "
                "et enregistrez à nouveau."
            )
        return cleaned_data


class CandidatCreationForm(CandidatForm):
    """The creation form carries a one-time token, so that a double submit creates one record."""

    jeton = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )

    def jeton_envoye(self):
        """The token sent, if valid, read before the other fields are: a form sent twice is
        recognised before the duplicate check flags the record its first sending created."""
        try:
            return self.fields["jeton"].clean(self["jeton"].data) or None
        except ValidationError:
            return None
