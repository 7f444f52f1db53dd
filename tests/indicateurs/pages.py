"""Read what a user sees on the indicators page: tables, headline figures, downloaded files."""

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser

from django.urls import reverse
from openpyxl import load_workbook


class _PageReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = {}
        self.chiffres = {}
        self._table = None
        self._row = None
        self._cell = None
        self._term = None
        self._text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in ("dt", "dd"):
            self._text = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "dt":
            self._term = " ".join("".join(self._text).split())
            self._text = None
        elif tag == "dd":
            self.chiffres[self._term] = " ".join("".join(self._text).split())
            self._text = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._text is not None:
            self._text.append(data)


def read_page(response):
    reader = _PageReader()
    reader.feed(response.content.decode())
    return reader


def table_rows(response, table_id):
    """The body rows of the table `table_id`, each a list of cell texts (header row left out)."""
    return read_page(response).tables[table_id][1:]


def headline_figures(response):
    """The headline figures, label → value as displayed."""
    return read_page(response).chiffres


def section(response, section_id):
    """The HTML of the section `section_id`."""
    return response.content.decode().split(f'id="{section_id}"')[1].split("</section>")[0]


def export_links(response):
    """The addresses the page's outcomes report buttons post to, by format, as the browser
    would send them (`tests.echanges.test_exports.exporter` then gets the file)."""
    links = {}
    for format in ("csv", "xlsx"):
        export = re.escape(reverse("echanges:export_sorties", args=[format]))
        links[format] = unescape(
            re.search(f'<form method="post" action="({export}[^"]*)"', response.text)[1]
        )
    return links


def read_csv(response):
    """The rows of a downloaded CSV report, header first."""
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))


def read_xlsx(response):
    feuille = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in feuille.iter_rows(values_only=True)]
