from django import template

from indicateurs.stats import pourcentage as format_pourcentage

register = template.Library()


@register.filter
def pourcentage(valeur):
    """A rate from `indicateurs.stats` as "87,5 %", or "—" when there was nothing to divide."""
    return format_pourcentage(valeur)
