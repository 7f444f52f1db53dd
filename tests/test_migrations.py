from django.core.management import call_command


def test_models_have_no_pending_migrations(db):
    # --check exits with status 1 when a model change has no migration yet.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
