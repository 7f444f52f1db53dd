import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document, TelechargementDocument, TypeDocument
from presences import services as presences
from tests.documents.conftest import LUNDI
from tests.factories import (
    SCAN_PDF,
    CohorteFactory,
    DocumentFactory,
    EcoleFactory,
    InscriptionFactory,
    PartenaireFactory,
)


def page(cohorte):
    return reverse("documents:cohorte", args=[cohorte.pk])


def test_the_cohort_page_links_to_its_documents(client_staff, cohorte):
    html = client_staff.get(reverse("parcours:cohorte", args=[cohorte.pk])).text

    assert page(cohorte) in html


def test_an_empty_list_says_what_to_do(client_staff, cohorte):
    html = client_staff.get(page(cohorte)).text

    assert "Aucun document n'a encore été généré pour cette cohorte" in html
    assert "Semaine du 06/01/2025" in html


def test_staff_generate_a_weekly_sheet_and_see_it_listed(client_staff, cohorte, lea):
    response = client_staff.post(
        reverse("documents:emargement", args=[cohorte.pk]),
        {"lundi": LUNDI.isoformat(), "jeton": "j1"},
        follow=True,
    )

    html = response.text
    assert "Feuille d&#x27;émargement hebdomadaire — version 1 enregistrée" in html
    document = Document.objects.get()
    assert reverse("documents:telecharger", args=[document.pk]) in html
    assert "semaine du 06/01/2025" in html
    assert "v1" in html


def test_a_double_submit_of_the_sheet_makes_one_document(client_staff, cohorte, lea):
    url = reverse("documents:emargement", args=[cohorte.pk])
    for _ in range(2):
        client_staff.post(url, {"lundi": LUNDI.isoformat(), "jeton": "meme-jeton"})

    assert Document.objects.count() == 1


def test_regenerating_from_the_page_makes_version_two(client_staff, cohorte, lea):
    url = reverse("documents:emargement", args=[cohorte.pk])
    client_staff.post(url, {"lundi": LUNDI.isoformat(), "jeton": "a"})
    client_staff.post(url, {"lundi": LUNDI.isoformat(), "jeton": "b"})

    assert sorted(Document.objects.values_list("version", flat=True)) == [1, 2]


def test_a_week_outside_the_cohort_is_a_form_error(client_staff, cohorte):
    response = client_staff.post(
        reverse("documents:emargement", args=[cohorte.pk]), {"lundi": "2030-01-07"}
    )

    assert response.status_code == 400
    assert "Choisissez une semaine de la cohorte." in response.text
    assert not Document.objects.exists()


def test_uploading_the_signed_scan_locks_the_week(client_staff, cohorte, lea):
    response = client_staff.post(
        reverse("documents:feuille_signee", args=[cohorte.pk]),
        {
            "lundi": LUNDI.isoformat(),
            "jeton": "scan",
            "fichier": SimpleUploadedFile("scan.pdf", SCAN_PDF, "application/pdf"),
        },
        follow=True,
    )

    assert "les présences de cette semaine sont verrouillées" in response.text
    document = Document.objects.get()
    assert document.type == TypeDocument.EMARGEMENT_SIGNE
    assert presences.semaine_verrouillee(cohorte, LUNDI)


def test_a_scan_named_pdf_that_is_not_one_is_refused(client_staff, cohorte):
    response = client_staff.post(
        reverse("documents:feuille_signee", args=[cohorte.pk]),
        {
            "lundi": LUNDI.isoformat(),
            "fichier": SimpleUploadedFile("scan.pdf", b"<html>", "application/pdf"),
        },
    )

    assert response.status_code == 400
    assert "n&#x27;est ni un PDF, ni une image JPEG ou PNG" in response.text
    # The week chosen is kept.
    assert f'<option value="{LUNDI.isoformat()}" selected>' in response.text
    assert not presences.semaine_verrouillee(cohorte, LUNDI)


def test_a_scan_over_the_size_cap_is_refused(client_staff, cohorte, settings):
    settings.PORTAIL_DOCUMENTS_SCAN_MAX_OCTETS = 100

    response = client_staff.post(
        reverse("documents:feuille_signee", args=[cohorte.pk]),
        {
            "lundi": LUNDI.isoformat(),
            "fichier": SimpleUploadedFile("scan.pdf", SCAN_PDF + b"0" * 200),
        },
    )

    assert response.status_code == 400
    assert "Le fichier dépasse" in response.text
    assert not Document.objects.exists()


def test_all_certificates_of_a_cohort_are_made_by_the_job(client_staff, cohorte, lea):
    InscriptionFactory(cohorte=cohorte)

    response = client_staff.post(
        reverse("documents:certificats", args=[cohorte.pk]), {"jeton": "job"}, follow=True
    )

    assert "sont en préparation" in response.text
    assert Document.objects.filter(type=TypeDocument.CERTIFICAT_REALISATION).count() == 2


def test_certificate_and_attestation_from_the_candidate_page(client_staff, lea):
    detail = reverse("candidats:detail", args=[lea.candidat_id])
    html = client_staff.get(detail).text
    assert reverse("documents:certificat", args=[lea.pk]) in html
    assert reverse("documents:attestation", args=[lea.pk]) in html

    for nom in ("certificat", "attestation"):
        response = client_staff.post(
            reverse(f"documents:{nom}", args=[lea.pk]), {"jeton": nom, "next": detail}
        )
        assert response.status_code == 302 and response.url == detail

    assert set(Document.objects.values_list("type", flat=True)) == {
        TypeDocument.CERTIFICAT_REALISATION,
        TypeDocument.ATTESTATION_FIN,
    }


def test_the_agreement_from_the_internship(client_staff, stage):
    html = client_staff.get(reverse("candidats:detail", args=[stage.inscription.candidat_id])).text
    assert reverse("documents:convention", args=[stage.pk]) in html

    client_staff.post(reverse("documents:convention", args=[stage.pk]), {"jeton": "c"})

    document = Document.objects.get()
    assert (document.type, document.stage, document.inscription) == (
        TypeDocument.CONVENTION_STAGE,
        stage,
        stage.inscription,
    )


def test_a_download_is_not_cached_and_is_logged(client_staff, staff_user, cohorte):
    document = DocumentFactory(cohorte=cohorte)

    response = client_staff.get(reverse("documents:telecharger", args=[document.pk]))

    assert response.status_code == 200
    assert response.content == SCAN_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{document.nom_fichier}"'
    assert "no-store" in response["Cache-Control"]
    assert TelechargementDocument.objects.get().user == staff_user


def test_a_partner_reaches_the_documents_of_their_school_only(client, cohorte):
    partenaire = PartenaireFactory(
        appartenance__entreprise=cohorte.parcours.ecole.entreprises_adherentes.get()
    )
    autre = CohorteFactory(parcours__ecole=EcoleFactory())
    a_lui = DocumentFactory(cohorte=cohorte)
    pas_a_lui = DocumentFactory(cohorte=autre)
    client.force_login(partenaire)

    assert client.get(reverse("documents:telecharger", args=[a_lui.pk])).status_code == 200
    response = client.get(reverse("documents:telecharger", args=[pas_a_lui.pk]))

    assert response.status_code == 404
    assert not TelechargementDocument.objects.filter(document=pas_a_lui).exists()


def test_partners_do_not_generate_documents(client, cohorte):
    partenaire = PartenaireFactory(
        appartenance__entreprise=cohorte.parcours.ecole.entreprises_adherentes.get()
    )
    client.force_login(partenaire)

    assert client.get(page(cohorte)).status_code == 403
    response = client.post(
        reverse("documents:emargement", args=[cohorte.pk]), {"lundi": LUNDI.isoformat()}
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_the_list_filters_by_kind_and_trainee(client_staff, cohorte, lea, staff_user):
    from documents import services

    services.generer_attestation(inscription=lea, auteur=staff_user)
    DocumentFactory(cohorte=cohorte)

    par_type = client_staff.get(page(cohorte), {"type": TypeDocument.ATTESTATION_FIN}).text
    par_nom = client_staff.get(page(cohorte), {"q": "durand"}).text
    aucun = client_staff.get(page(cohorte), {"q": "inconnu"}).text

    assert "1 document" in par_type and "Attestation de fin de formation" in par_type
    assert "1 document" in par_nom
    assert "Aucun document ne correspond à ces critères" in aucun
    assert f'<a href="{page(cohorte)}">affichez tous les documents de la cohorte</a>' in aucun


@pytest.mark.parametrize("nombre", [1, 30])
def test_the_list_has_a_flat_number_of_queries(
    client_staff, cohorte, staff_user, nombre, django_assert_num_queries
):
    for numero in range(nombre):
        inscription = InscriptionFactory(cohorte=cohorte)
        Document.objects.create(
            type=TypeDocument.ATTESTATION_FIN,
            cohorte=cohorte,
            inscription=inscription,
            sujet=f"attestation_fin:{inscription.pk}",
            version=1,
            sha256="0" * 64,
            taille=1,
            type_contenu="application/pdf",
            nom_fichier=f"attestation-{numero}.pdf",
            fichier="x.pdf",
            auteur=staff_user,
        )

    # Session, user, cohort, documents count, internships, documents page, the session's
    # save (on every request), and the four savepoints of the request's and the save's
    # transactions.
    with django_assert_num_queries(11):
        response = client_staff.get(page(cohorte))

    assert response.status_code == 200
