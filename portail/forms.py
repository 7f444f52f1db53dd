"""Form fields every app shares, so that what a browser may send is bounded in one place."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from parcours.dates import DATE_MAX, DATE_MIN, message_hors_bornes


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateBornee(forms.DateField):
    """A date from `debut` to `fin`, the portal's bounds unless a subclass says otherwise."""

    widget = DateInput
    debut = DATE_MIN
    fin = DATE_MAX

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.debut <= value <= self.fin:
            raise ValidationError(message_hors_bornes(self.debut, self.fin), code="hors_bornes")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", None) == "date":
            attrs.update(min=self.debut.isoformat(), max=self.fin.isoformat())
        return attrs


class ConnexionForm(AuthenticationForm):
    """Django's sign-in form, with the username held to the user model's length.

    Django sets that length on the field after building it, so it is shown to the browser
    but never checked: a longer username would reach django-axes, which stores it in a
    column of 255 characters.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length)
        )


class RetourForm(forms.Form):
    """`next`, the page to go back to, as a form or a link sends it."""

    next = forms.CharField(required=False, max_length=2000)

    def suivante(self):
        return self.cleaned_data["next"] if self.is_valid() else ""


# Past this page a list of 25 rows would hold millions: a number beyond is garbled.
PAGE_MAX = 100_000


class PageForm(forms.Form):
    """A page number of a list, read from the query string under `nom`."""

    page = forms.IntegerField(min_value=1, max_value=PAGE_MAX)

    def __init__(self, data, *, nom="page"):
        super().__init__(data)
        self.nom = nom
        self.fields[nom] = self.fields.pop("page")

    def numero(self):
        """The page asked for; 1 when it is missing, garbled or beyond any list."""
        return self.cleaned_data[self.nom] if self.is_valid() else 1


class TriForm(forms.Form):
    """The order of a list, read from the query string under `nom`: `cle` or `-cle`."""

    tri = forms.ChoiceField(required=False)

    def __init__(self, data, *, cles, defaut, nom="tri"):
        super().__init__(data)
        self.nom = nom
        self.defaut = defaut
        self.fields[nom] = self.fields.pop("tri")
        self.fields[nom].choices = [(tri, tri) for cle in cles for tri in (cle, f"-{cle}")]

    def valeur(self):
        """The order asked for; the default one when it is missing or not a column's."""
        return (self.cleaned_data[self.nom] if self.is_valid() else "") or self.defaut


# The largest key a 64-bit integer column holds: past it, SQLite refuses the query.
CLE_MAX = 2**63 - 1


class ChoixMultiplesParCle(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by integer key, a key out of range refused as unknown."""

    def _check_values(self, value):
        for cle in value:
            try:
                hors_bornes = abs(int(str(cle))) > CLE_MAX
            except (TypeError, ValueError):
                hors_bornes = False  # Django's own check names it.
            if hors_bornes:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": cle[:20] + "…"},
                )
        return super()._check_values(value)
