import uuid

from django import template

register = template.Library()


@register.simple_tag
def jeton_unique():
    """A one-time token for a generation form: a double submit finds the document made."""
    return uuid.uuid4().hex
