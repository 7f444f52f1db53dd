from django import template
from django.utils.html import format_html

from evenements.models import ResultatImmersion, StatutParticipation

register = template.Library()

BADGES = {
    "participation": (
        StatutParticipation,
        {
            StatutParticipation.PRESENT: "success",
            StatutParticipation.EXCUSE: "warning",
            StatutParticipation.ABSENT: "danger",
        },
    ),
    "immersion": (
        ResultatImmersion,
        {
            ResultatImmersion.CONCLUANTE: "success",
            ResultatImmersion.NON_CONCLUANTE: "danger",
            ResultatImmersion.INTERROMPUE: "warning",
        },
    ),
}


@register.simple_tag
def badge_evenement(kind, value):
    """The badge of a participant's status or an immersion's outcome, on every page."""
    choices, couleurs = BADGES[kind]
    if not value:
        return ""
    couleur = couleurs.get(value)
    return format_html(
        '<span class="badge{}">{}</span>',
        f" badge-{couleur}" if couleur else "",
        choices(value).label,
    )
