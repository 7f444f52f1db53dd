import datetime

from django import forms
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html

from entreprises.models import Entreprise

from .models import Situation, Sortie, Suivi


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def nom_du_mois(mois):
    """ "janvier 2025": the month's name in the active language."""
    return dateformat.format(mois, "F Y")


class InscriptionForm(forms.Form):
    """Entry date, and the host company of each internship phase of the cohort."""

    date_entree = forms.DateField(label="Date d'entrée", widget=DateInput)

    def __init__(self, *args, cohorte, phases_de_stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases_de_stage = phases_de_stage
        entreprises = cohorte.parcours.ecole.entreprises_adherentes.order_by("nom")
        for phase in phases_de_stage:
            self.fields[self.nom_du_champ(phase)] = forms.ModelChoiceField(
                label=(
                    f"Entreprise d'accueil — {phase.intitule} "
                    f"(du {phase.date_debut:%d/%m/%Y} au {phase.date_fin:%d/%m/%Y})"
                ),
                queryset=entreprises,
                required=False,
                empty_label="À définir plus tard",
            )

    @staticmethod
    def nom_du_champ(phase):
        return f"stage_{phase.pk}"

    def entreprises_de_stage(self):
        """The chosen host companies, as `services.inscrire` expects them."""
        choix = {
            phase: self.cleaned_data.get(self.nom_du_champ(phase)) for phase in self.phases_de_stage
        }
        return {phase: entreprise for phase, entreprise in choix.items() if entreprise}


def suivi_existant_message(suivi):
    return format_html(
        'Le suivi de {} est déjà saisi pour ce stagiaire : <a href="{}">modifier ce suivi</a>.',
        nom_du_mois(suivi.mois),
        reverse("parcours:suivi_modifier", args=[suivi.pk]),
    )


class SuiviForm(forms.ModelForm):
    """The monthly check-in of `instance.inscription`, one per calendar month."""

    mois = forms.TypedChoiceField(label="Mois suivi", coerce=datetime.date.fromisoformat)

    class Meta:
        model = Suivi
        fields = [
            "mois",
            "date_entretien",
            "participants",
            "assiduite",
            "progression",
            "risque_decrochage",
            "commentaire",
            "actions",
        ]
        widgets = {
            "date_entretien": DateInput,
            "commentaire": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mois = set(self.instance.inscription.mois_de_suivi())
        if self.instance.pk:
            mois.add(self.instance.mois)
        self.fields["mois"].choices = [
            (choix.isoformat(), nom_du_mois(choix).capitalize())
            for choix in sorted(mois, reverse=True)
        ]

    def clean(self):
        cleaned_data = super().clean()
        mois = cleaned_data.get("mois")
        if mois:
            existant = (
                Suivi.objects.filter(inscription=self.instance.inscription, mois=mois)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if existant:
                self.add_error("mois", suivi_existant_message(existant))
        return cleaned_data


class SortieForm(forms.Form):
    """The exit of a trainee; the rules live in `Sortie.clean`, run by the service."""

    date_sortie = forms.DateField(label="Date de sortie", widget=DateInput)
    motif = forms.ChoiceField(label="Motif", choices=Sortie.Motif.choices)
    situation = forms.ChoiceField(label="Situation à la sortie", choices=Situation.choices)
    employeur = forms.CharField(label="Employeur", max_length=200, required=False)
    entreprise_utilisatrice = forms.ModelChoiceField(
        label="Entreprise utilisatrice",
        queryset=Entreprise.objects.order_by("nom"),
        required=False,
        help_text="Pour l'intérim : l'entreprise où la mission a lieu.",
    )
    date_debut_contrat = forms.DateField(label="Début du contrat", widget=DateInput, required=False)
    date_fin_contrat = forms.DateField(
        label="Fin du contrat",
        widget=DateInput,
        required=False,
        help_text="Vide pour un CDI.",
    )
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @classmethod
    def initial_de(cls, sortie):
        return model_to_dict(sortie, fields=list(cls.base_fields))

    def add_model_errors(self, error):
        """Show a ValidationError of `Sortie.full_clean` on the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
