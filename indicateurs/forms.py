from django import forms

from ecoles.models import Ecole, Filiere
from portail.forms import DateBornee


class PeriodeForm(forms.Form):
    """The period and filters of the indicators page, read from the query string."""

    debut = DateBornee(label="Du")
    fin = DateBornee(label="Au")
    ecole = forms.ModelChoiceField(
        label="École", queryset=Ecole.objects.none(), required=False, empty_label="Toutes"
    )
    filiere = forms.ChoiceField(
        label="Filière", choices=[("", "Toutes"), *Filiere.choices], required=False
    )

    def __init__(self, query, *, ecoles, today):
        """`query` is the GET QueryDict; a missing or empty date means the current year so far."""
        data = query.copy()
        defaults = {"debut": today.replace(month=1, day=1).isoformat(), "fin": today.isoformat()}
        for name, value in defaults.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data)
        self.fields["ecole"].queryset = ecoles

    def clean(self):
        cleaned_data = super().clean()
        debut, fin = cleaned_data.get("debut"), cleaned_data.get("fin")
        if debut and fin and debut > fin:
            raise forms.ValidationError(
                "La date de début de la période doit précéder sa date de fin."
            )
        return cleaned_data
