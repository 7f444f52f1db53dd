"""Spreadsheets built in memory, as staff would upload them."""

import csv
import io

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


def upload(contenu, name="liste-france-travail.csv"):
    return SimpleUploadedFile(name, contenu, content_type="application/octet-stream")
