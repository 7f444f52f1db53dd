from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and follow their own checksum rule,
# except the head office, which keeps the Luhn check.
LA_POSTE_SIREN = "356000000"
LA_POSTE_SIEGE = "35600000000048"


def luhn_is_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value):
    if not isinstance(value, str) or len(value) != 14 or not value.isascii() or not value.isdigit():
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="format")
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_SIEGE:
        valid = sum(int(char) for char in value) % 5 == 0
    else:
        valid = luhn_is_valid(value)
    if not valid:
        raise ValidationError(
            "Ce SIRET n'est pas valide (clé de contrôle incorrecte).", code="checksum"
        )
