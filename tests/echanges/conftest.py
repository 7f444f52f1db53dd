import pytest


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    """Uploaded files waiting for confirmation stay in the test's own directory."""
    settings.PORTAIL_IMPORTS_DIR = tmp_path
    return tmp_path
