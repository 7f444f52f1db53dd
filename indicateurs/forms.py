import datetime

from django import forms

from ecoles.models import Ecole, Filiere

# Wide enough for any real report; the bounds keep date arithmetic away from year 1 and 9999.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(
            format="%Y-%m-%d",
            attrs={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
        )


class PeriodeForm(forms.Form):
    """The period and filters of the indicators page, read from the query string."""

    debut = forms.DateField(label="Du", widget=DateInput())
    fin = forms.DateField(label="Au", widget=DateInput())
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

    def clean_debut(self):
        return self._dans_les_bornes(self.cleaned_data["debut"])

    def clean_fin(self):
        return self._dans_les_bornes(self.cleaned_data["fin"])

    def clean(self):
        cleaned_data = super().clean()
        debut, fin = cleaned_data.get("debut"), cleaned_data.get("fin")
        if debut and fin and debut > fin:
            raise forms.ValidationError(
                "La date de début de la période doit précéder sa date de fin."
            )
        return cleaned_data

    @staticmethod
    def _dans_les_bornes(day):
        if not DATE_MIN <= day <= DATE_MAX:
            raise forms.ValidationError(
                f"Choisissez une date entre le {DATE_MIN:%d/%m/%Y} et le {DATE_MAX:%d/%m/%Y}."
            )
        return day
