"""Attendance fragments that other apps' pages include."""

from django import template
from django.utils import timezone

from parcours.models import Inscription
from presences import services

register = template.Library()

ABSENTS_AFFICHES = 10


@register.simple_tag
def bilans_de_presence(inscriptions):
    """Attach to each of `inscriptions` (a list, e.g. prefetched) its attendance over the
    whole training as `bilan_presence`: two queries for them all."""
    inscriptions = list(inscriptions)
    bilans = services.bilans_de_presence(inscriptions)
    for inscription in inscriptions:
        inscription.bilan_presence = bilans[inscription.pk]
    return ""


@register.simple_tag
def bilan_presence(inscription):
    """The trainee's attendance over the whole training: the one `bilans_de_presence`
    attached, else computed (two queries)."""
    bilan = getattr(inscription, "bilan_presence", None)
    return bilan if bilan is not None else services.bilan_de_presence(inscription)


@register.inclusion_tag("presences/_absences_accueil.html", takes_context=True)
def absences_a_signaler(context):
    """The home page's trainees with too many unjustified absences this month (two
    queries: the page and its count)."""
    user = context["user"]
    today = timezone.localdate()
    absents = services.stagiaires_souvent_absents(Inscription.objects.visibles_par(user), today)
    return {
        "absents": list(absents[:ABSENTS_AFFICHES]),
        "total": absents.count(),
        "seuil": services.settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE,
        "today": today,
    }


@register.inclusion_tag("presences/_calendrier.html", takes_context=True)
def creneaux_du_calendrier(context, cohorte):
    """The calendar page's half-days kept with their attendance, and the staff's button
    to recompute the half-days."""
    return {
        "cohorte": cohorte,
        "conserves": services.conserves_hors_calendrier(cohorte),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def grille_ouverte(context, cohorte):
    """Whether the user may open `cohorte`'s attendance grid (one query)."""
    return services.cohortes_saisissables_par(context["user"]).filter(pk=cohorte.pk).exists()
