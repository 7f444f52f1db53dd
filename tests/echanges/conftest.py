import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def stockage_des_imports(settings):
    """Each test gets an empty `imports` storage (in memory, as the test settings say)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["imports"]
