from django import template
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("_sort_header.html", takes_context=True)
def sort_header(context, sorting, key, label):
    """A column header that sorts the list by `key`, keeping the other query parameters."""
    return {
        "request": context["request"],
        "value": sorting.link(key),
        "direction": sorting.direction(key),
        "label": label,
        "param": sorting.param,
    }


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """aria-current for the navigation link of the section being shown."""
    path = context["request"].path
    matches = path == "/" if prefix == "/" else path.startswith(prefix)
    return format_html('aria-current="{}"', "page") if matches else ""


def _badges():
    from candidats.models import Candidat
    from parcours.models import Categorie, Cohorte, Inscription, Niveau, Risque

    return {
        "categorie": (
            Categorie,
            {
                Categorie.EMPLOI_DURABLE: "success",
                Categorie.EMPLOI_TRANSITION: "warning",
                Categorie.SORTIE_POSITIVE: "warning",
            },
        ),
        "etat": (Cohorte.Etat, {Cohorte.Etat.EN_COURS: "success", Cohorte.Etat.A_VENIR: "warning"}),
        "niveau": (
            Niveau,
            {Niveau.BON: "success", Niveau.MOYEN: "warning", Niveau.INSUFFISANT: "danger"},
        ),
        "risque": (Risque, {Risque.ELEVE: "danger", Risque.MOYEN: "warning"}),
        "statut_candidat": (
            Candidat.Statut,
            {Candidat.Statut.RETENU: "success", Candidat.Statut.A_CONTACTER: "warning"},
        ),
        "statut_inscription": (Inscription.Statut, {Inscription.Statut.EN_FORMATION: "success"}),
    }


@register.simple_tag
def badge(kind, value):
    """The badge of a status or category: one colouring for every page that shows it."""
    choices, couleurs = _badges()[kind]
    if not value:
        return ""
    couleur = couleurs.get(value)
    return format_html(
        '<span class="badge{}">{}</span>',
        f" badge-{couleur}" if couleur else "",
        choices(value).label,
    )
