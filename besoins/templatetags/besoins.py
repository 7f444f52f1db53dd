from django import template
from django.utils.html import format_html

from besoins.models import Besoin

register = template.Library()

COULEURS = {
    Besoin.Etat.EXPRIME: "warning",
    Besoin.Etat.VALIDE: "success",
    Besoin.Etat.COUVERT: "success",
}


@register.simple_tag
def badge_besoin(etat):
    """The badge of a need's state: one colouring for every page that shows it."""
    if not etat:
        return ""
    couleur = COULEURS.get(etat)
    return format_html(
        '<span class="badge{}">{}</span>',
        f" badge-{couleur}" if couleur else "",
        Besoin.Etat(etat).label,
    )
