"""Every form that asks for a field leaves the check to the portal: `novalidate`, so the
French error summary shows instead of the browser's own bubble."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.test_hostile_input import ARGUMENTS, PAGES, monde  # noqa: F401

pytestmark = pytest.mark.django_db


class _Formulaires(HTMLParser):
    """(action, novalidate) of each POST form holding a required field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ouvert = None
        self.sans_novalidate = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.ouvert = {"action": attrs.get("action", ""), "novalidate": "novalidate" in attrs}
        elif self.ouvert and tag in {"input", "select", "textarea"} and "required" in attrs:
            if not self.ouvert["novalidate"]:
                self.sans_novalidate.append(self.ouvert["action"] or "(cette page)")
            self.ouvert = {**self.ouvert, "novalidate": True}

    def handle_endtag(self, tag):
        if tag == "form":
            self.ouvert = None


@pytest.mark.parametrize("role", ["equipe", "partenaire"])
def test_no_form_of_any_page_leaves_its_required_fields_to_the_browser(client, monde, role):  # noqa: F811
    client.force_login(monde.utilisateurs[role])
    fautifs = {}
    for name in PAGES:
        arguments = ARGUMENTS.get(name)
        response = client.get(reverse(name, kwargs=arguments(monde) if arguments else None))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Formulaires()
        parser.feed(response.content.decode())
        if parser.sans_novalidate:
            fautifs[name] = parser.sans_novalidate
    assert fautifs == {}
