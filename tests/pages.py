"""What a user reads on a page, for the tests that assert on it."""

from html import unescape

from django.utils.html import strip_tags


def texte(response):
    """The visible text of `response`, tags stripped and whitespace collapsed."""
    return " ".join(unescape(strip_tags(response.content.decode())).split())
