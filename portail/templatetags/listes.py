from django import template
from django.utils.formats import number_format

from portail import pagination

register = template.Library()


@register.filter
def compte_borne(nombre):
    """A count read up to one row past the bound: "plus de 1 000" beyond it, else the count."""
    limite = pagination.LIGNES_PARCOURUES
    if nombre > limite:
        return f"plus de {number_format(limite, force_grouping=True)}"
    return number_format(nombre, force_grouping=True)
