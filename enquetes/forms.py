from django import forms

from parcours.forms import DateInput
from parcours.models import Situation

from .models import Satisfaction


class SituationForm(forms.Form):
    """The answer to a survey, by its link or on the phone; the rules on the contract are
    the exit's, run by `enquetes.services.enregistrer_reponse`."""

    situation = forms.ChoiceField(
        label="Votre situation aujourd'hui", choices=[("", "— Choisir —"), *Situation.choices]
    )
    date_debut_contrat = forms.DateField(
        label="Début du contrat", widget=DateInput, required=False, help_text="Si vous travaillez."
    )
    date_fin_contrat = forms.DateField(
        label="Fin du contrat",
        widget=DateInput,
        required=False,
        help_text="Pour un CDD ou une mission d'intérim ; vide pour un CDI.",
    )
    satisfaction = forms.TypedChoiceField(
        label="Êtes-vous satisfait·e de la formation suivie ?",
        choices=Satisfaction.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    commentaire = forms.CharField(
        label="Un commentaire ?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def add_model_errors(self, error):
        """Show a ValidationError of the service on the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class SituationParTelephoneForm(SituationForm):
    """The same answer, asked by a staff member on the phone."""

    situation = forms.ChoiceField(
        label="Situation aujourd'hui", choices=[("", "— Choisir —"), *Situation.choices]
    )
    satisfaction = forms.TypedChoiceField(
        label="Satisfaction quant à la formation",
        choices=[("", "Non demandée"), *Satisfaction.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date_debut_contrat = forms.DateField(label="Début du contrat", widget=DateInput, required=False)
    date_fin_contrat = forms.DateField(
        label="Fin du contrat", widget=DateInput, required=False, help_text="Vide pour un CDI."
    )
