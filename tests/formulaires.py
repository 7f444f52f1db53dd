"""What a browser would send back: the fields of a page's form with their current values."""

from html.parser import HTMLParser


class _Formulaire(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.dedans = form_id is None
        self.donnees = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.dedans = attrs.get("id") == self.form_id
        if not self.dedans or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.donnees[attrs["name"]] = attrs.get("value", "on")
                return
            self.donnees[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
            self.donnees.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.donnees[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.donnees[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.donnees[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.form_id is not None:
            self.dedans = False


def champs_du_formulaire(response, form_id=None):
    """The name → value pairs a browser would post from `response`'s form `form_id`."""
    parser = _Formulaire(form_id)
    parser.feed(response.content.decode())
    return parser.donnees
