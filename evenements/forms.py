import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q

from candidats.forms import CandidatCreationForm
from echanges.forms import TAILLE_MAX
from echanges.imports import FichierRefuse
from ecoles.models import Ecole
from entreprises.models import Entreprise
from portail.forms import ChoixMultiplesParCle, DateBornee

from .imports import analyser_presences
from .models import Evenement, Immersion, StatutParticipation

# A forum hosts a few thousand people at most; beyond, a typing slip.
CAPACITE_MAX = 10_000


def nouveau_jeton():
    return uuid.uuid4().hex


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class AvecErreursDuModele:
    def add_model_errors(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class EvenementForm(AvecErreursDuModele, forms.ModelForm):
    jeton = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=nouveau_jeton
    )

    class Meta:
        model = Evenement
        fields = [
            "type",
            "titre",
            "date",
            "heure_debut",
            "heure_fin",
            "lieu",
            "organisateur",
            "capacite",
            "ecoles",
            "entreprises_hotes",
        ]
        field_classes = {
            "date": DateBornee,
            "ecoles": ChoixMultiplesParCle,
            "entreprises_hotes": ChoixMultiplesParCle,
        }
        widgets = {
            "heure_debut": TimeInput(),
            "heure_fin": TimeInput(),
            "ecoles": forms.CheckboxSelectMultiple,
            "entreprises_hotes": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "organisateur": "Ex. : Alliance Emploi, France Travail, une entreprise adhérente.",
            "capacite": "Les inscrits et les présents occupent une place ; "
            "un participant excusé ou absent libère la sienne.",
            "entreprises_hotes": "Leurs comptes partenaires verront les noms des participants.",
        }
        error_messages = {
            "titre": {"required": "Indiquez le titre."},
            "date": {"required": "Indiquez la date."},
            "lieu": {"required": "Indiquez le lieu."},
            "organisateur": {"required": "Indiquez l'organisateur."},
            "capacite": {"required": "Indiquez le nombre de places."},
        }

    def __init__(self, *args, ecoles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ecoles"].queryset = ecoles
        self.fields["entreprises_hotes"].queryset = Entreprise.objects.order_by("nom")
        capacite = self.fields["capacite"]
        capacite.max_value = CAPACITE_MAX
        capacite.validators.append(
            MaxValueValidator(CAPACITE_MAX, f"Au plus {CAPACITE_MAX} places par événement.")
        )
        capacite.widget.attrs["max"] = CAPACITE_MAX

    def jeton_envoye(self):
        try:
            return self.fields["jeton"].clean(self["jeton"].data) or None
        except ValidationError:
            return None


class ParticipantCreationForm(CandidatCreationForm):
    """The candidate form, less what registering at an event decides: channel and status."""

    class Meta(CandidatCreationForm.Meta):
        fields = [
            "nom",
            "prenom",
            "date_naissance",
            "email",
            "telephone",
            "commune",
            "code_postal",
            "identifiant_france_travail",
            "ecole_visee",
            "date_consentement",
        ]


class RechercheForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)


class PresencesForm(forms.Form):
    """One status per participant, saved at once."""

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = participations
        for participation in participations:
            self.fields[self.nom_du_champ(participation)] = forms.ChoiceField(
                label=str(participation.candidat),
                choices=StatutParticipation.choices,
                initial=participation.statut,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def nom_du_champ(participation):
        return f"statut_{participation.pk}"

    def lignes(self):
        return [
            (participation, self[self.nom_du_champ(participation)])
            for participation in self.participations
        ]

    def statuts(self):
        return {
            participation.pk: self.cleaned_data[self.nom_du_champ(participation)]
            for participation in self.participations
        }


class ImportPresencesForm(forms.Form):
    fichier = forms.FileField(
        label="Liste d'émargement (CSV ou Excel .xlsx)",
        help_text=(
            "Colonnes : nom, prénom, statut (inscrit, présent, excusé, absent), et si "
            "possible e-mail, téléphone, date de naissance. "
            f"{TAILLE_MAX // (1024 * 1024)} Mo au plus."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
        },
    )

    def __init__(self, *args, evenement, **kwargs):
        super().__init__(*args, **kwargs)
        self.evenement = evenement
        self.contenu = b""
        self.analyse = None

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX:
            raise ValidationError(
                f"Ce fichier pèse {fichier.size / (1024 * 1024):.1f} Mo : la limite est de "
                f"{TAILLE_MAX // (1024 * 1024)} Mo."
            )
        self.contenu = fichier.read()
        try:
            self.analyse = analyser_presences(self.contenu, evenement=self.evenement)
        except FichierRefuse as refus:
            raise ValidationError(refus.message) from refus
        return fichier


class ImmersionForm(AvecErreursDuModele, forms.ModelForm):
    jeton = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=nouveau_jeton
    )

    class Meta:
        model = Immersion
        fields = [
            "entreprise",
            "date_debut",
            "date_fin",
            "prescripteur",
            "reference_convention",
            "resultat",
        ]
        field_classes = {"date_debut": DateBornee, "date_fin": DateBornee}
        help_texts = {
            "date_fin": "Une immersion dure en principe un mois au plus : au-delà, "
            "le portail le signale sans refuser.",
        }
        error_messages = {
            "date_debut": {"required": "Indiquez la date de début."},
            "date_fin": {"required": "Indiquez la date de fin."},
            "prescripteur": {"required": "Indiquez le prescripteur."},
            "reference_convention": {"required": "Indiquez la référence de la convention."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprise"].queryset = Entreprise.objects.order_by("nom")

    def jeton_envoye(self):
        try:
            return self.fields["jeton"].clean(self["jeton"].data) or None
        except ValidationError:
            return None


def ecoles_du_formulaire(user, evenement=None):
    """Active schools; a school closed since stays offered to the events that name it."""
    choix = Q(active=True)
    if evenement is not None and evenement.pk:
        choix |= Q(pk__in=evenement.ecoles.values("pk"))
    return Ecole.objects.visibles_par(user).filter(choix).order_by("ville", "nom")
