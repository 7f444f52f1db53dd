"""Spreadsheets built in memory, as staff would upload them."""

import csv
import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ENTETE = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "E-mail",
    "Téléphone",
    "Commune",
    "Code postal",
    "Identifiant France Travail",
    "Canal",
]


def ligne(numero, **valeurs):
    """A valid row; `numero` keeps the identifiers of the rows of one file apart."""
    row = {
        "Nom": f"Lefebvre{numero}",
        "Prénom": "Amélie",
        "Date de naissance": "14/03/1998",
        "E-mail": f"amelie.lefebvre{numero}@example.org",
        "Téléphone": "06 12 34 56 78",
        "Commune": "Béthune",
        "Code postal": "62400",
        "Identifiant France Travail": f"{numero:07d}Z",
        "Canal": "France Travail",
    }
    row.update(valeurs)
    return row


def lignes(nombre):
    return [ligne(numero) for numero in range(1, nombre + 1)]


def csv_bytes(rows, *, entete=ENTETE, encoding="utf-8", separateur=";"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separateur, lineterminator="\r\n")
    writer.writerow(entete)
    for row in rows:
        writer.writerow([row.get(titre, "") for titre in entete])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, entete=ENTETE):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(entete)
    for row in rows:
        feuille.append([row.get(titre) for titre in entete])
    buffer = io.BytesIO()
    classeur.save(buffer)
    return buffer.getvalue()


# The parts of the smallest workbook openpyxl reads: one sheet, inline strings, no styles.
PARTIES_DU_CLASSEUR = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Candidats" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}


def rangee_xml(cellules):
    """A row of sheet XML, one inline string a cell, its place taken from the order."""
    contenu = "".join(
        f'<c t="inlineStr"><is><t>{escape(str(cellule))}</t></is></c>' for cellule in cellules
    )
    return f"<row>{contenu}</row>".encode()


def rangees_xml(rows, *, entete=ENTETE):
    yield rangee_xml(entete)
    for row in rows:
        yield rangee_xml([row.get(titre, "") for titre in entete])


def xlsx_fait_main(rangees):
    """A workbook whose sheet is the XML `rangees`, written as they come: a file openpyxl
    would take minutes to write, or one far bigger unpacked than in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, xml in PARTIES_DU_CLASSEUR.items():
            archive.writestr(nom, xml)
        with archive.open("xl/worksheets/sheet1.xml", "w") as feuille:
            feuille.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for rangee in rangees:
                feuille.write(rangee)
            feuille.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def upload(contenu, name="liste-france-travail.csv"):
    return SimpleUploadedFile(name, contenu, content_type="application/octet-stream")


def fichiers_du_stockage(stockage):
    """The names of the files waiting in the `imports` storage."""
    try:
        return stockage.listdir("en-attente")[1]
    except FileNotFoundError:
        return []


def export_termine(user):
    """A finished export of the candidates, asked for by `user` (the tests' task backend
    writes it at once)."""
    from echanges.services import demander_export

    demande, _ = demander_export(user=user, export="candidats", format="csv", criteres="")
    demande.refresh_from_db()
    return demande
