"""Fields whose validation also writes the value in its one stored form.

The normalisation runs in `clean`, the model validation shared by the portal's forms, the
Django admin and the import: a value they accept is stored as the others would store it.
"""

from django.db import models

from .text import normaliser_nom, normaliser_telephone
from .validators import validate_telephone


class NomField(models.CharField):
    def clean(self, value, model_instance):
        return super().clean(normaliser_nom(value), model_instance)


class TelephoneField(models.CharField):
    default_validators = [validate_telephone]

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        normalise = normaliser_telephone(value)
        return value if normalise is None else normalise
