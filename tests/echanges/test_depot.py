"""Pending import files in the `imports` storage: taken once, by their author only."""

import pytest
from django.db import transaction

from echanges import depot
from echanges.models import FichierEnAttente
from tests.echanges.fichiers import fichiers_du_stockage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CONTENU = b"Nom;Prenom\r\nLefebvre;Amelie\r\n"


@pytest.fixture(params=["memoire", "disque"])
def stockage(request, settings, tmp_path):
    """The same rules in memory (the tests' storage) and on disk (the default one)."""
    if request.param == "disque":
        settings.STORAGES = {
            **settings.STORAGES,
            "imports": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path},
            },
        }
    return depot.stockage()


def test_a_file_is_taken_once_by_its_author(stockage):
    user = UserFactory()
    jeton = depot.deposer(CONTENU, user=user)

    assert depot.retirer(jeton, user=UserFactory()) is None
    assert depot.retirer(jeton, user=user) == CONTENU
    assert depot.retirer(jeton, user=user) is None


def test_the_file_leaves_the_storage_when_the_taking_commits(
    stockage, django_capture_on_commit_callbacks
):
    user = UserFactory()
    jeton = depot.deposer(CONTENU, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        assert depot.retirer(jeton, user=user) == CONTENU

    assert fichiers_du_stockage(stockage) == []
    assert not FichierEnAttente.objects.exists()


def test_a_taking_rolled_back_leaves_the_file_for_another_try(stockage):
    user = UserFactory()
    jeton = depot.deposer(CONTENU, user=user)

    with pytest.raises(RuntimeError), transaction.atomic():
        depot.retirer(jeton, user=user)
        raise RuntimeError("the import failed")

    assert depot.retirer(jeton, user=user) == CONTENU


def test_the_storage_and_the_database_hold_no_token(stockage):
    jeton = depot.deposer(CONTENU, user=UserFactory())

    (nom,) = fichiers_du_stockage(stockage)
    assert jeton not in nom
    assert not FichierEnAttente.objects.filter(empreinte_du_jeton=jeton).exists()
    assert depot.lire(jeton) == CONTENU


@pytest.mark.parametrize("jeton", ["", "../../etc/passwd", "a" * 42, "a" * 43 + "\x00"])
def test_a_token_of_the_wrong_shape_takes_nothing(stockage, jeton):
    user = UserFactory()
    depot.deposer(CONTENU, user=user)

    assert depot.retirer(jeton, user=user) is None
    assert depot.lire(jeton) is None
    depot.oublier(jeton)
    assert FichierEnAttente.objects.count() == 1


def test_forgetting_a_file_deletes_it(stockage):
    jeton = depot.deposer(CONTENU, user=UserFactory())

    depot.oublier(jeton)

    assert fichiers_du_stockage(stockage) == []
    assert depot.lire(jeton) is None
