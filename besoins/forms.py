import uuid

from django import forms
from django.core.exceptions import ValidationError

from ecoles.models import Filiere
from portail.forms import DateBornee

from .models import Contrat


class MoisInput(forms.DateInput):
    """The browser's month picker, which sends and expects `YYYY-MM`."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MoisBorne(DateBornee):
    """A month (`YYYY-MM`) within the portal's dates."""

    widget = MoisInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(min=f"{self.debut:%Y-%m}", max=f"{self.fin:%Y-%m}")
        return attrs


def ajouter_erreurs(form, error):
    """Show a ValidationError of the service on the fields it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class BesoinForm(forms.Form):
    """What a need asks for; the company and the school are chosen on creation only."""

    metier = forms.CharField(
        label="Métier", max_length=200, help_text="Ex. : technicien de maintenance, cariste."
    )
    filiere = forms.ChoiceField(
        label="Filière",
        choices=[("", "Celle de l'école"), *Filiere.choices],
        required=False,
    )
    postes = forms.IntegerField(label="Nombre de postes", min_value=1, max_value=999)
    contrat = forms.ChoiceField(
        label="Contrat visé", choices=[("", "— Choisir —"), *Contrat.choices]
    )
    mois_embauche = MoisBorne(label="Mois d'embauche souhaité")
    site = forms.CharField(label="Site (commune)", max_length=100)

    add_model_errors = ajouter_erreurs


class BesoinCreationForm(BesoinForm):
    """A new need, for one of `entreprises` at one of `ecoles`; it carries a one-time token,
    so that a double submit creates one need."""

    field_order = ["entreprise", "ecole"]

    entreprise = forms.ModelChoiceField(label="Entreprise", queryset=None, empty_label=None)
    ecole = forms.ModelChoiceField(label="École", queryset=None, empty_label="— Choisir —")
    jeton = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )

    def __init__(self, *args, entreprises, ecoles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprise"].queryset = entreprises
        self.fields["ecole"].queryset = ecoles
        self.order_fields(["entreprise", "ecole", *self.base_fields])

    def jeton_envoye(self):
        """The token sent, if valid, read before the other fields are."""
        try:
            return self.fields["jeton"].clean(self["jeton"].data) or None
        except ValidationError:
            return None


class AffectationForm(forms.Form):
    cohorte = forms.ModelChoiceField(label="Cohorte", queryset=None, empty_label="— Choisir —")
    postes = forms.IntegerField(label="Postes affectés", min_value=1, max_value=999)

    add_model_errors = ajouter_erreurs

    def __init__(self, *args, cohortes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorte"].queryset = cohortes
        self.fields["cohorte"].label_from_instance = lambda cohorte: (
            f"{cohorte.nom} — du {cohorte.date_debut:%d/%m/%Y} au {cohorte.date_fin:%d/%m/%Y} "
            f"({cohorte.places} places, {cohorte.places_affectees or 0} déjà affectées)"
        )
