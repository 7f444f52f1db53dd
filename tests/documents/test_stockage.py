"""The kept files go through Django's storage API: an S3-compatible store in production."""

import json

from django.core.files.storage import storages

from documents import services
from documents.models import Document
from tests.test_settings import PRODUCTION, run_manage

LIRE_LES_STOCKAGES = (
    "import json; from django.conf import settings; "
    "print(json.dumps({k: settings.STORAGES[k] for k in ('documents', 'imports')}, default=str))"
)


def stockages_en_production(**extra):
    result = run_manage("shell", "-c", LIRE_LES_STOCKAGES, **PRODUCTION, **extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_files_on_disk_without_a_bucket():
    stockages = stockages_en_production()

    assert {s["BACKEND"] for s in stockages.values()} == {
        "django.core.files.storage.FileSystemStorage"
    }


def test_production_uses_a_private_s3_bucket_when_one_is_named():
    stockages = stockages_en_production(
        PORTAIL_S3_BUCKET="portail-fichiers",
        PORTAIL_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        PORTAIL_S3_REGION="fr-par",
        PORTAIL_S3_ACCESS_KEY="cle",
        PORTAIL_S3_SECRET_KEY="secret",
    )

    for alias, stockage in stockages.items():
        assert stockage["BACKEND"] == "storages.backends.s3.S3Storage"
        options = stockage["OPTIONS"]
        assert options["bucket_name"] == "portail-fichiers"
        assert options["endpoint_url"] == "https://s3.fr-par.scw.cloud"
        assert options["default_acl"] == "private"
        assert options["querystring_auth"] is False
        assert options["file_overwrite"] is False
        assert options["location"] == alias


def test_a_bucket_without_its_keys_refuses_to_start():
    result = run_manage("check", **PRODUCTION, PORTAIL_S3_BUCKET="portail-fichiers")

    assert result.returncode != 0
    assert "PORTAIL_S3_ACCESS_KEY" in result.stderr


def test_the_bytes_are_in_the_documents_storage(cohorte, staff_user):
    from tests.factories import SCAN_PDF, DocumentFactory

    document = DocumentFactory(cohorte=cohorte, auteur=staff_user)

    assert Document.objects.get().fichier.storage is storages["documents"]
    with storages["documents"].open(document.fichier.name) as fichier:
        assert fichier.read() == SCAN_PDF == services.lire(document)
