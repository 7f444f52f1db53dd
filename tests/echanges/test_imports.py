import datetime
import html
import io
import re
import time
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from candidats.models import CanalSourcing, Candidat
from echanges import depot, imports
from echanges.models import FichierEnAttente
from tests.echanges.fichiers import (
    ENTETE,
    csv_bytes,
    fichiers_du_stockage,
    ligne,
    lignes,
    rangee_xml,
    rangees_xml,
    upload,
    xlsx_bytes,
    xlsx_fait_main,
)
from tests.factories import CandidatFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("echanges:import_candidats")


def deposer(client, contenu, name="liste-france-travail.csv"):
    return client.post(URL, {"fichier": upload(contenu, name)})


def confirmer(client, jeton):
    return client.post(reverse("echanges:import_confirmer", args=[jeton]))


def importer(client, contenu, name="liste-france-travail.csv"):
    """Upload, check that the preview offers the import, confirm."""
    apercu = deposer(client, contenu, name)
    assert apercu.status_code == 200
    assert "Confirmer l'import" in apercu.text, apercu.context["analyse"].erreurs
    return confirmer(client, apercu.context["jeton"])


def assert_refused(response, *messages):
    """The page shows each message, offers no import, and nothing was saved."""
    assert response.status_code == 200
    text = html.unescape(response.text)
    for message in messages:
        assert message in text
    assert "Confirmer l'import" not in response.text
    assert Candidat.objects.count() == 0


# Access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [
        URL,
        reverse("echanges:import_termine"),
        reverse("echanges:modele_import", args=["csv"]),
        reverse("echanges:import_confirmer", args=["x" * 43]),
    ],
)
def test_partner_gets_403(client, partner_user, url):
    client.force_login(partner_user)

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_staff_sees_the_upload_form_with_the_expected_columns(client_staff):
    response = client_staff.get(URL)

    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert "Identifiant France Travail" in response.text
    assert reverse("echanges:modele_import", args=["xlsx"]) in response.text


# Good files --------------------------------------------------------------------------


def test_a_valid_file_is_previewed_and_nothing_is_saved_before_confirmation(client_staff):
    response = deposer(client_staff, csv_bytes(lignes(2)))

    assert "Toutes les lignes sont valides" in response.text
    assert "Lefebvre1" in response.text
    assert "Lefebvre2" in response.text
    assert "Confirmer l'import de 2 candidats" in response.text
    assert Candidat.objects.count() == 0


def test_confirming_creates_the_candidates_to_contact(client_staff, staff_user):
    rows = [
        ligne(
            1,
            Nom="Dubœuf",
            Prénom="Hélène",
            **{"Code postal": "59 000", "Canal": "Mission locale"},
        ),
        ligne(2, **{"Date de naissance": "1990-07-01", "Canal": "", "E-mail": ""}),
    ]

    response = importer(client_staff, csv_bytes(rows))

    assert response.status_code == 302
    assert response.url == reverse("echanges:import_termine")
    helene = Candidat.objects.get(nom="Dubœuf")
    assert helene.prenom == "Hélène"
    assert helene.date_naissance == datetime.date(1998, 3, 14)
    assert helene.code_postal == "59000"
    assert helene.canal == CanalSourcing.MISSION_LOCALE
    assert helene.statut == Candidat.Statut.A_CONTACTER
    assert helene.date_dernier_contact == timezone.localdate()
    assert Candidat.objects.recherche("duboeuf helene").get() == helene
    autre = Candidat.objects.get(nom="Lefebvre2")
    assert autre.date_naissance == datetime.date(1990, 7, 1)
    assert autre.canal == CanalSourcing.FRANCE_TRAVAIL
    assert autre.email == ""
    assert helene.history.get().history_user == staff_user


def test_the_result_page_lists_the_imported_candidates(client_staff):
    importer(client_staff, csv_bytes(lignes(3)))

    response = client_staff.get(reverse("echanges:import_termine"))

    assert "3 candidats" in response.text
    table = response.text.split('id="candidats-importes"')[1]
    for numero in (1, 2, 3):
        assert f"Lefebvre{numero}" in table


@pytest.mark.parametrize(
    ("encoding", "separateur"),
    [
        ("utf-8", ";"),
        ("utf-8-sig", ";"),
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("cp1252", ";"),
        ("cp1252", ","),
    ],
)
def test_csv_files_in_every_accepted_encoding_and_separator_import(
    client_staff, encoding, separateur
):
    rows = [ligne(1, Nom="Lefèvre", Prénom="Françoise", Commune="Saint-Amand-les-Eaux")]

    importer(client_staff, csv_bytes(rows, encoding=encoding, separateur=separateur))

    candidat = Candidat.objects.get()
    assert (candidat.nom, candidat.prenom) == ("Lefèvre", "Françoise")
    assert candidat.commune == "Saint-Amand-les-Eaux"


def test_headers_match_whatever_their_case_accents_and_order(client_staff):
    entete = ["PRENOM", "nom", "Identifiant france travail", "date_de_naissance"]
    rows = [
        {
            "PRENOM": "Zoé",
            "nom": "Carpentier",
            "Identifiant france travail": "7654321a",
            "date_de_naissance": "02/02/2002",
        }
    ]

    importer(client_staff, csv_bytes(rows, entete=entete))

    candidat = Candidat.objects.get()
    assert (candidat.nom, candidat.prenom) == ("Carpentier", "Zoé")
    assert candidat.identifiant_france_travail == "7654321A"
    assert candidat.date_naissance == datetime.date(2002, 2, 2)


def test_an_xlsx_file_imports_with_real_date_cells_and_numeric_codes(client_staff):
    rows = [
        ligne(
            1,
            **{
                "Date de naissance": datetime.datetime(1985, 11, 30),
                "Code postal": 2100,
                "Téléphone": 612345678,
            },
        ),
        ligne(2),
    ]

    importer(client_staff, xlsx_bytes(rows), name="liste.xlsx")

    candidat = Candidat.objects.get(nom="Lefebvre1")
    assert candidat.date_naissance == datetime.date(1985, 11, 30)
    assert candidat.code_postal == "02100"
    assert candidat.telephone == "0612345678"
    assert Candidat.objects.count() == 2


def test_an_xlsx_file_is_recognised_by_its_content_whatever_its_name(client_staff):
    importer(client_staff, xlsx_bytes(lignes(1)), name="export.csv")

    assert Candidat.objects.count() == 1


def test_the_other_columns_are_ignored_and_named(client_staff):
    entete = [*ENTETE, "Observations", "Permis"]
    rows = [ligne(1, **{"Observations": "RAS", "Permis": "B"})]

    response = deposer(client_staff, csv_bytes(rows, entete=entete))

    assert "Colonnes ignorées : Observations, Permis." in response.text
    assert "Confirmer l'import" in response.text


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_number(client_staff):
    contenu = csv_bytes([ligne(1), {}, ligne(2, **{"Date de naissance": "31/02/2000"})])

    response = deposer(client_staff, contenu)

    erreur = response.context["analyse"].erreurs[0]
    assert (erreur.numero, erreur.colonne) == (4, "date de naissance")


def test_a_file_of_a_thousand_rows_imports_whole(client_staff):
    CandidatFactory.create_batch(5)

    importer(client_staff, csv_bytes(lignes(1000)))

    assert Candidat.objects.filter(nom__startswith="Lefebvre").count() == 1000
    assert Candidat.objects.count() == 1005


def test_ten_thousand_rows_are_checked_with_a_few_queries(
    client_staff, django_assert_max_num_queries, monkeypatch
):
    contenu = csv_bytes(lignes(10_000))
    # The progress saved once a second would add queries on a slow machine.
    monkeypatch.setattr("echanges.tasks.PROGRESSION_SECONDES", 3600)

    # Session and user, then the duplicate searches by batches of identifiers,
    # e-mails and birth dates; never one query per row.
    with django_assert_max_num_queries(25):
        response = deposer(client_staff, contenu)

    assert "Confirmer l'import de 10" in response.text


# Confirmation ------------------------------------------------------------------------


def test_confirming_twice_imports_once(client_staff):
    apercu = deposer(client_staff, csv_bytes(lignes(3)))
    jeton = apercu.context["jeton"]

    confirmer(client_staff, jeton)
    second = confirmer(client_staff, jeton)

    assert Candidat.objects.count() == 3
    assert second.status_code == 302
    page = client_staff.get(second.url)
    assert "déjà été enregistré" in page.text


def test_two_confirmations_sent_at_once_import_once(client_staff):
    apercu = deposer(client_staff, csv_bytes(lignes(3)))
    jeton = apercu.context["jeton"]
    en_attente = client_staff.session[depot.CLE_DE_SESSION]

    confirmer(client_staff, jeton)
    # The second request read the session before the first one saved it, and the first
    # one's transaction has not removed the file yet (the test's never commits): only the
    # row taken by the first one stops it.
    session = client_staff.session
    session[depot.CLE_DE_SESSION] = en_attente
    session.save()
    second = confirmer(client_staff, jeton)

    assert Candidat.objects.count() == 3
    assert second.status_code == 302
    assert "déjà été enregistré" in client_staff.get(second.url).text


def test_confirming_with_a_token_of_another_session_imports_nothing(client, client_staff):
    jeton = deposer(client_staff, csv_bytes(lignes(2))).context["jeton"]
    client.force_login(UserFactory())

    response = confirmer(client, jeton)

    assert response.status_code == 302
    assert Candidat.objects.count() == 0


def test_confirming_a_made_up_token_imports_nothing(client_staff):
    deposer(client_staff, csv_bytes(lignes(2)))

    response = confirmer(client_staff, "..%2F..%2Fetc%2Fpasswd")

    assert response.status_code == 302
    assert Candidat.objects.count() == 0


def test_a_new_upload_replaces_the_file_waiting_for_confirmation(client_staff):
    premier = deposer(client_staff, csv_bytes(lignes(2))).context["jeton"]
    second = deposer(client_staff, csv_bytes([ligne(9)])).context["jeton"]

    confirmer(client_staff, premier)
    assert Candidat.objects.count() == 0
    confirmer(client_staff, second)
    assert list(Candidat.objects.values_list("nom", flat=True)) == ["Lefebvre9"]


def test_the_file_is_checked_again_at_confirmation(client_staff):
    jeton = deposer(client_staff, csv_bytes(lignes(2))).context["jeton"]
    # A colleague records one of them in between.
    CandidatFactory(identifiant_france_travail="0000002Z")

    response = confirmer(client_staff, jeton)

    assert response.status_code == 200
    assert "Import impossible" in response.text
    assert Candidat.objects.count() == 1


def test_confirmation_only_accepts_post(client_staff):
    jeton = deposer(client_staff, csv_bytes(lignes(1))).context["jeton"]

    assert client_staff.get(reverse("echanges:import_confirmer", args=[jeton])).status_code == 405
    assert Candidat.objects.count() == 0


def test_the_uploaded_file_leaves_the_server_once_imported(
    client_staff, stockage_des_imports, django_capture_on_commit_callbacks
):
    jeton = deposer(client_staff, csv_bytes(lignes(1))).context["jeton"]
    assert len(fichiers_du_stockage(stockage_des_imports)) == 1
    assert FichierEnAttente.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        confirmer(client_staff, jeton)

    assert Candidat.objects.count() == 1
    assert fichiers_du_stockage(stockage_des_imports) == []
    assert not FichierEnAttente.objects.exists()


# Bad files ---------------------------------------------------------------------------


def test_an_empty_file_is_refused(client_staff):
    assert_refused(deposer(client_staff, b""), "Le fichier est vide.")


def test_a_file_of_blank_lines_is_refused(client_staff):
    assert_refused(deposer(client_staff, b";;;\r\n\r\n"), "Le fichier est vide.")


def test_a_file_with_only_the_header_is_refused(client_staff):
    assert_refused(deposer(client_staff, csv_bytes([])), "aucun candidat à importer")


def test_a_missing_required_column_is_named(client_staff):
    entete = [titre for titre in ENTETE if titre != "Prénom"]

    response = deposer(client_staff, csv_bytes(lignes(2), entete=entete))

    assert_refused(response, "Colonne obligatoire absente : « prénom »")


def test_two_missing_required_columns_are_both_named(client_staff):
    contenu = b"Commune;Code postal\r\nLille;59000\r\n"

    assert_refused(deposer(client_staff, contenu), "« nom » et « prénom »")


def test_a_utf16_file_is_refused(client_staff):
    contenu = csv_bytes(lignes(2), encoding="utf-16")

    assert_refused(deposer(client_staff, contenu), "encodé en UTF-16")


def test_a_utf16_file_without_byte_order_mark_is_refused(client_staff):
    contenu = csv_bytes(lignes(2), encoding="utf-16-le")

    assert_refused(deposer(client_staff, contenu), "encodage non pris en charge")


def test_binary_garbage_is_refused(client_staff):
    garbage = bytes(range(256)) * 40

    assert_refused(deposer(client_staff, garbage), "n'est pas un tableau CSV lisible")


@pytest.mark.parametrize(
    ("contenu", "nature"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "un document PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "une image PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "une image JPEG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ancien format (.xls)"),
    ],
)
def test_a_document_that_is_not_a_spreadsheet_is_refused(client_staff, contenu, nature):
    assert_refused(deposer(client_staff, contenu, name="liste.csv"), nature)


def test_a_zip_that_is_not_a_workbook_is_refused(client_staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "bonjour")

    response = deposer(client_staff, buffer.getvalue(), name="liste.xlsx")

    assert_refused(response, "pas un classeur Excel .xlsx lisible")


def test_an_empty_workbook_is_refused(client_staff):
    buffer = io.BytesIO()
    Workbook().save(buffer)

    assert_refused(
        deposer(client_staff, buffer.getvalue(), name="vide.xlsx"), "Le fichier est vide."
    )


def test_a_file_over_the_size_limit_is_refused(client_staff):
    contenu = csv_bytes(lignes(1)) + b"x" * (30 * 1024 * 1024)

    assert_refused(deposer(client_staff, contenu), "la limite est de 30 Mo")


def test_a_duplicated_column_is_refused(client_staff):
    entete = [*ENTETE, "NOM"]

    assert_refused(
        deposer(client_staff, csv_bytes(lignes(1), entete=entete)), "« nom » figure deux fois"
    )


def test_every_invalid_row_is_listed_with_its_column_and_nothing_is_saved(client_staff):
    rows = [
        ligne(1),
        ligne(2, **{"Date de naissance": "32/13/1999"}),
        ligne(3, Nom="", **{"E-mail": "pas-une-adresse"}),
        ligne(4, **{"Code postal": "5900", "Canal": "Bouche à oreille"}),
        ligne(5, **{"Date de naissance": "01/01/2999"}),
    ]

    response = deposer(client_staff, csv_bytes(rows))

    assert_refused(
        response,
        "Import impossible : 4 lignes en erreur.",
        "Date inexistante « 32/13/1999 »",
        "Le nom est obligatoire.",
        "Le code postal compte 5 chiffres",
        "Canal inconnu « Bouche à oreille »",
        "ne peut pas être dans le futur",
    )
    erreurs = {(e.numero, e.colonne) for e in response.context["analyse"].erreurs}
    assert erreurs == {
        (3, "date de naissance"),
        (4, "nom"),
        (4, "courriel"),
        (5, "code postal"),
        (5, "canal"),
        (6, "date de naissance"),
    }


def test_a_value_longer_than_the_field_is_an_error(client_staff):
    response = deposer(client_staff, csv_bytes([ligne(1, Commune="x" * 150)]))

    assert_refused(response, "au plus 100 caractères")


@pytest.mark.parametrize(
    ("doublon", "motif"),
    [
        ({"Identifiant France Travail": "0000001Z"}, "même identifiant"),
        ({"E-mail": "AMELIE.LEFEBVRE1@example.org"}, "même courriel"),
        ({"Nom": "LEFEBVRE1", "Prénom": "amelie"}, "noms proches et même date de naissance"),
    ],
)
def test_a_person_twice_in_the_file_blocks_the_import_naming_both_rows(
    client_staff, doublon, motif
):
    rows = [ligne(1), ligne(2), ligne(3, **{"Identifiant France Travail": "", "E-mail": ""})]
    rows[2].update(doublon)

    response = deposer(client_staff, csv_bytes(rows))

    assert_refused(response, "Doublon dans le fichier", motif, "lignes 2 et 4")


@pytest.mark.parametrize(
    ("existant", "motif"),
    [
        ({"identifiant_france_travail": "0000001Z"}, "même identifiant"),
        # The form keeps the spaces typed in an identifier; the import drops them.
        ({"identifiant_france_travail": "0000 001z"}, "même identifiant"),
        ({"email": "Amelie.Lefebvre1@EXAMPLE.org"}, "même courriel"),
        (
            {"nom": "Lefebvre1", "prenom": "Amélie", "date_naissance": datetime.date(1998, 3, 14)},
            "noms proches et même date de naissance",
        ),
    ],
)
def test_a_person_already_recorded_blocks_the_import_with_a_link(client_staff, existant, motif):
    candidat = CandidatFactory(**existant)

    response = deposer(client_staff, csv_bytes(lignes(2)))

    assert response.status_code == 200
    assert "Déjà enregistré" in response.text
    assert motif in response.text
    assert reverse("candidats:detail", args=[candidat.pk]) in response.text
    assert "Confirmer l'import" not in response.text
    assert Candidat.objects.count() == 1


def erreurs_affichees(response):
    """The preview's table of errors as the user reads it: (row, column, message)."""
    text = html.unescape(response.text)
    if '<section id="erreurs">' not in text:
        return []
    tableau = text[text.index('<section id="erreurs">') : text.index("</section>")]
    return [
        (int(numero), colonne, message.strip())
        for numero, colonne, message in re.findall(
            r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>\s*([^<]*?)\s*(?:<a|</td>)",
            tableau,
        )
    ]


@pytest.mark.parametrize(
    ("enregistre", "importe"),
    [
        (("Dupont", "Jean Marie"), ("Dupont", "Jean")),
        (("Dupont", "Jean"), ("DUPONT", "Jean-Marie")),
        (("Chevallier", "Marthe"), ("CHEVALIER", "marthe")),
        (("De Oliveira", "Ana"), ("d'Oliveira", "Ana")),
    ],
    ids=["shorter-first-name", "longer-first-name", "doubled-letter", "particle"],
)
def test_close_names_born_the_same_day_as_a_record_block_the_import(
    client_staff, enregistre, importe
):
    existante = CandidatFactory(
        nom=enregistre[0], prenom=enregistre[1], date_naissance=datetime.date(1998, 3, 14)
    )
    rows = [ligne(1), ligne(2, Nom=importe[0], Prénom=importe[1])]

    response = deposer(client_staff, csv_bytes(rows))

    assert erreurs_affichees(response) == [
        (
            3,
            "Nom, prénom, date de naissance",
            f"Déjà enregistré : {enregistre[1]} {enregistre[0]} a une fiche "
            "(noms proches et même date de naissance).",
        )
    ]
    assert reverse("candidats:detail", args=[existante.pk]) in response.text
    assert "Confirmer l'import" not in response.text
    assert list(Candidat.objects.all()) == [existante]


def test_close_names_born_the_same_day_twice_in_the_file_block_the_import(client_staff):
    rows = [
        ligne(1, Nom="Chevallier", Prénom="Marthe"),
        ligne(2),
        ligne(3, Nom="CHEVALIER", Prénom="marthe-rose"),
    ]

    response = deposer(client_staff, csv_bytes(rows))

    assert erreurs_affichees(response) == [
        (
            4,
            "Nom, prénom, date de naissance",
            "Doublon dans le fichier : noms proches et même date de naissance que la ligne 2 "
            "(lignes 2 et 4).",
        )
    ]
    assert_refused(response)


def test_the_template_files_import_as_they_are(client_staff):
    for format in ("csv", "xlsx"):
        response = client_staff.get(reverse("echanges:modele_import", args=[format]))
        contenu = b"".join(response.streaming_content) if response.streaming else response.content
        apercu = deposer(client_staff, contenu, name=f"modele.{format}")

        assert "Toutes les lignes sont valides" in apercu.text, format
    assert Candidat.objects.count() == 0


def test_the_result_page_without_an_import_says_so(client_staff):
    response = client_staff.get(reverse("echanges:import_termine"))

    assert response.status_code == 200
    assert "Aucun import récent" in response.text


# Limits: a file is refused before it costs a worker its memory or minutes -------------

# A cell openpyxl fails to read: reached only if the rows before it are read through.
CELLULE_ILLISIBLE = b'<row><c t="n"><v>pas un nombre</v></c></row>'
LIMITE_DE_LIGNES = (
    "Le fichier compte plus de 20\u00a0000 lignes : la limite est de 20\u00a0000 par import."
)


def test_an_xlsx_bomb_is_refused_in_under_two_seconds_without_being_parsed(
    client_staff, monkeypatch, stockage_des_imports
):
    # 680 KB on disk, 200 MB of sheet XML once unpacked: two million rows.
    rangees = [
        b"".join(rangees_xml(lignes(1))),
        *[rangee_xml(["Lefebvre", "Amélie"]) * 10_000] * 200,
    ]
    bombe = xlsx_fait_main(rangees)
    ouvertures = []
    monkeypatch.setattr(imports, "load_workbook", lambda *args, **kwargs: ouvertures.append(1))

    debut = time.monotonic()
    response = deposer(client_staff, bombe, name="liste.xlsx")
    duree = time.monotonic() - debut

    assert_refused(
        response,
        "Ce classeur occupe 191 Mo une fois décompressé : la limite est de 120 Mo.",
    )
    assert duree < 2
    assert ouvertures == []
    assert fichiers_du_stockage(stockage_des_imports) == []
    assert not FichierEnAttente.objects.exists()


def test_the_unpacked_size_allowed_is_a_setting(client_staff, settings):
    contenu = xlsx_bytes(lignes(2))
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        taille = sum(info.file_size for info in archive.infolist())

    settings.PORTAIL_IMPORT_XLSX_MAX_OCTETS = taille
    assert "Confirmer l'import de 2 candidats" in deposer(client_staff, contenu, "l.xlsx").text
    settings.PORTAIL_IMPORT_XLSX_MAX_OCTETS = taille - 1
    assert_refused(deposer(client_staff, contenu, "l.xlsx"), "une fois décompressé")


def test_a_workbook_of_huge_shared_strings_is_refused_before_being_parsed(
    client_staff, monkeypatch, settings
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
        archive.writestr("xl/sharedStrings.xml", b"<si><t>Lefebvre</t></si>" * 400_000)
    ouvertures = []
    monkeypatch.setattr(imports, "load_workbook", lambda *args, **kwargs: ouvertures.append(1))
    settings.PORTAIL_IMPORT_XLSX_TEXTES_MAX_OCTETS = 8 * 1024 * 1024

    response = deposer(client_staff, buffer.getvalue(), name="liste.xlsx")

    assert_refused(
        response, "Les textes de ce classeur occupent 9 Mo une fois décompressés : la limite"
    )
    assert ouvertures == []


def test_a_truncated_workbook_is_refused_as_damaged(client_staff):
    contenu = xlsx_bytes(lignes(2))[:-200]

    assert_refused(
        deposer(client_staff, contenu, name="liste.xlsx"), "Ce classeur Excel est endommagé"
    )


def test_a_workbook_that_fails_once_read_is_refused(client_staff):
    contenu = xlsx_fait_main([*rangees_xml(lignes(2)), CELLULE_ILLISIBLE])

    assert_refused(
        deposer(client_staff, contenu, name="liste.xlsx"), "pas un classeur Excel .xlsx lisible"
    )


def test_a_csv_over_the_row_limit_is_refused_quickly_without_reading_further(
    client_staff, settings
):
    settings.PORTAIL_IMPORT_LIGNES_MAX = 20_000
    # A field over the csv module's limit, which it refuses, after the 20,001 rows.
    contenu = csv_bytes(lignes(20_001)) + b"x" * 200_000 + b"\r\n"

    debut = time.monotonic()
    response = deposer(client_staff, contenu)

    assert time.monotonic() - debut < 5
    assert_refused(response, LIMITE_DE_LIGNES)


def test_an_xlsx_over_the_row_limit_is_refused_quickly_without_reading_further(
    client_staff, settings
):
    settings.PORTAIL_IMPORT_LIGNES_MAX = 20_000
    contenu = xlsx_fait_main([*rangees_xml(lignes(20_001)), CELLULE_ILLISIBLE])

    debut = time.monotonic()
    response = deposer(client_staff, contenu, name="liste.xlsx")

    # openpyxl itself takes about two seconds for 20,001 rows; the bomb took minutes.
    assert time.monotonic() - debut < 15
    assert_refused(response, LIMITE_DE_LIGNES)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_row_limit_counts_filled_rows_and_the_limit_itself_passes(
    client_staff, settings, format
):
    settings.PORTAIL_IMPORT_LIGNES_MAX = 3
    fichier = csv_bytes if format == "csv" else xlsx_bytes
    with_blank_rows = [ligne(1), {}, ligne(2), {}, ligne(3)]

    assert (
        "Confirmer l'import de 3 candidats"
        in deposer(client_staff, fichier(with_blank_rows), f"l.{format}").text
    )
    assert_refused(
        deposer(client_staff, fichier(lignes(4)), f"l.{format}"),
        "Le fichier compte plus de 3 lignes : la limite est de 3 par import.",
    )


def test_a_cell_in_excel_last_column_does_not_widen_every_row():
    rangees = [rangee_xml(ENTETE), b'<row><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>']

    rows = list(imports.lire_tableau(xlsx_fait_main(rangees)))

    assert [len(row) for row in rows] == [imports.COLONNES_LUES] * 2


def test_a_row_numbered_past_excel_last_row_is_not_read():
    rangees = [rangee_xml(ENTETE), b'<row r="1048577"><c t="inlineStr"><is><t>x</t></is></c></row>']

    lues = sum(1 for _ in imports.lire_tableau(xlsx_fait_main(rangees)))

    assert lues == imports.DERNIERE_LIGNE_EXCEL
