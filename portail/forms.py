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
