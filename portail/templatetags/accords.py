"""Django's `pluralize` with the French rule, loaded in every template (TEMPLATES
`builtins`): "0 place", "1 place", "2 places". Same arguments as Django's: the plural mark,
or "singular,plural" ("a,ont")."""

from django import template

from portail import francais

register = template.Library()


def _nombre(valeur):
    if isinstance(valeur, (int, float)):
        return valeur
    try:
        return float(valeur)
    except (TypeError, ValueError):
        pass
    try:
        return len(valeur)
    except TypeError:
        return None


@register.filter(is_safe=False)
def pluralize(valeur, marques="s"):
    singulier, pluriel = marques.split(",", 1) if "," in marques else ("", marques)
    nombre = _nombre(valeur)
    if nombre is None or "," in pluriel:
        return ""
    return francais.pluriel(nombre, pluriel) or singulier
