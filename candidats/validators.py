from django.core.validators import RegexValidator

validate_code_postal = RegexValidator(
    r"^\d{5}$", "Le code postal compte 5 chiffres, par exemple 59000.", code="code_postal"
)
