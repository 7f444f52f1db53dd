from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from .text import normaliser_telephone

validate_code_postal = RegexValidator(
    r"^\d{5}$", "Le code postal compte 5 chiffres, par exemple 59000.", code="code_postal"
)


def validate_telephone(value):
    if normaliser_telephone(value) is None:
        raise ValidationError(
            "Ce numéro de téléphone n'est pas valide : écrivez ses 10 chiffres, par exemple "
            "06 12 34 56 78, ou un numéro étranger commençant par + et l'indicatif du pays.",
            code="telephone",
        )
