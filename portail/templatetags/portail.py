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
