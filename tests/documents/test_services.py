import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from documents import services
from documents.models import Document, DocumentImmuable, TypeDocument
from presences import services as presences
from presences.models import Presence, StatutPresence
from tests.documents.conftest import LUNDI, saisir_la_semaine
from tests.documents.pdf import texte
from tests.factories import SCAN_PDF, CohorteFactory, InscriptionFactory, UserFactory

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def test_regenerating_makes_a_new_version_and_keeps_the_old_one(cohorte, lea, staff_user):
    premiere = services.generer_certificat(inscription=lea, auteur=staff_user)
    octets_de_la_premiere = services.lire(premiere)
    saisir_la_semaine(cohorte, lea, staff_user, absences=2)

    seconde = services.generer_certificat(inscription=lea, auteur=UserFactory())

    assert (premiere.version, seconde.version) == (1, 2)
    assert seconde.sujet == premiere.sujet
    assert seconde.sha256 != premiere.sha256
    premiere.refresh_from_db()
    assert services.lire(premiere) == octets_de_la_premiere
    assert hashlib.sha256(octets_de_la_premiere).hexdigest() == premiere.sha256
    assert "Heures réalisées 0 h" in " ".join(texte(premiere)[0].split())
    assert "Heures réalisées 28 h" in " ".join(texte(seconde)[0].split())
    assert "Version 2" in texte(seconde)[0]


def test_the_sha256_and_size_are_those_of_the_stored_bytes(cohorte, lea, staff_user):
    document = services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)

    octets = services.lire(document)
    assert document.sha256 == hashlib.sha256(octets).hexdigest()
    assert document.taille == len(octets)
    assert document.version_gabarit == "emargement-1"
    assert document.auteur == staff_user
    assert document.nom_fichier == "emargement-bethune-janvier-2025-2025-01-06-v1.pdf"


def test_versions_are_counted_per_subject(cohorte, lea, staff_user):
    autre = InscriptionFactory(cohorte=cohorte)

    services.generer_certificat(inscription=lea, auteur=staff_user)
    services.generer_attestation(inscription=lea, auteur=staff_user)
    document = services.generer_certificat(inscription=autre, auteur=staff_user)

    assert document.version == 1
    assert Document.objects.filter(inscription=lea).count() == 2


def test_a_double_submit_keeps_one_document(cohorte, lea, staff_user):
    premiere = services.generer_attestation(inscription=lea, auteur=staff_user, jeton="abc")

    seconde = services.generer_attestation(inscription=lea, auteur=staff_user, jeton="abc")

    assert seconde.pk == premiere.pk
    assert Document.objects.count() == 1


def test_a_kept_document_is_never_changed(cohorte, lea, staff_user):
    document = services.generer_attestation(inscription=lea, auteur=staff_user)

    document.version_gabarit = "autre"
    with pytest.raises(DocumentImmuable):
        document.save()
    with pytest.raises(DocumentImmuable):
        Document.objects.filter(pk=document.pk).update(version=7)
    document.refresh_from_db()
    assert document.version_gabarit == "attestation-1"


def test_the_database_refuses_a_second_row_of_the_same_version(cohorte, lea, staff_user):
    document = services.generer_attestation(inscription=lea, auteur=staff_user)
    copie = Document(
        **{
            champ.attname: getattr(document, champ.attname)
            for champ in Document._meta.concrete_fields
            if champ.name not in ("id", "jeton")
        }
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        copie.save()


def test_a_week_without_half_days_cannot_have_a_sheet(cohorte, staff_user):
    cohorte.creneaux.filter(date__range=(LUNDI, LUNDI.replace(day=10))).delete()

    with pytest.raises(ValidationError, match="aucune demi-journée"):
        services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)
    assert not Document.objects.exists()


def test_a_day_that_is_not_a_monday_of_the_cohort_is_refused(cohorte, staff_user):
    with pytest.raises(ValidationError, match="semaine de la cohorte"):
        services.generer_feuille_emargement(
            cohorte=cohorte, lundi=LUNDI.replace(day=7), auteur=staff_user
        )


def test_the_signed_scan_locks_the_week_so_edits_need_a_reason(cohorte, lea, staff_user):
    saisir_la_semaine(cohorte, lea, staff_user, absences=0)

    document = services.deposer_feuille_signee(
        cohorte=cohorte, lundi=LUNDI, contenu=SCAN_PDF, auteur=staff_user
    )

    assert document.type == TypeDocument.EMARGEMENT_SIGNE
    assert services.lire(document) == SCAN_PDF
    assert presences.semaine_verrouillee(cohorte, LUNDI)
    with pytest.raises(ValidationError, match="verrouillée"):
        saisir_la_semaine(cohorte, lea, staff_user, absences=1)
    assert not Presence.objects.filter(statut=StatutPresence.ABSENT_NON_JUSTIFIE).exists()


def test_the_next_week_stays_open(cohorte, lea, staff_user):
    services.deposer_feuille_signee(
        cohorte=cohorte, lundi=LUNDI, contenu=SCAN_PDF, auteur=staff_user
    )

    saisir_la_semaine(cohorte, lea, staff_user, lundi=LUNDI.replace(day=13), absences=1)

    assert Presence.objects.filter(statut=StatutPresence.ABSENT_NON_JUSTIFIE).count() == 1


@pytest.mark.parametrize(
    ("contenu", "type_contenu"),
    [(SCAN_PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")],
)
def test_a_scan_is_recognised_by_its_content(cohorte, staff_user, contenu, type_contenu):
    document = services.deposer_feuille_signee(
        cohorte=cohorte, lundi=LUNDI, contenu=contenu, auteur=staff_user
    )

    assert document.type_contenu == type_contenu


@pytest.mark.parametrize("contenu", [b"GIF89a....", b"<html><script>", b"PK\x03\x04zip"])
def test_a_scan_of_another_kind_is_refused_and_locks_nothing(cohorte, staff_user, contenu):
    with pytest.raises(ValidationError, match="ni un PDF"):
        services.deposer_feuille_signee(
            cohorte=cohorte, lundi=LUNDI, contenu=contenu, auteur=staff_user
        )

    assert not Document.objects.exists()
    assert not presences.semaine_verrouillee(cohorte, LUNDI)


def test_the_cohort_job_makes_every_certificate_once(cohorte, lea, staff_user):
    InscriptionFactory(cohorte=cohorte)

    assert (
        services.generer_certificats_de_la_cohorte(cohorte=cohorte, auteur=staff_user, jeton="job")
        == 2
    )
    assert (
        services.generer_certificats_de_la_cohorte(cohorte=cohorte, auteur=staff_user, jeton="job")
        == 0
    )
    assert Document.objects.filter(type=TypeDocument.CERTIFICAT_REALISATION).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
)
def test_two_generations_at_once_get_two_versions(staff_user):
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscription = InscriptionFactory(cohorte=cohorte)
    barriere = threading.Barrier(2)
    erreurs = []

    def generer():
        barriere.wait()
        try:
            services.enregistrer_document(
                type=TypeDocument.ATTESTATION_FIN,
                cohorte=cohorte,
                inscription=inscription,
                auteur=staff_user,
                nom_fichier="attestation",
                contenu=SCAN_PDF,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            erreurs.append(error)
        finally:
            connection.close()

    fils = [threading.Thread(target=generer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()

    assert erreurs == []
    versions = sorted(Document.objects.values_list("version", flat=True))
    assert versions == [1, 2]
