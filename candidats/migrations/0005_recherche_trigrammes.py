"""A trigram index for the candidate search, on PostgreSQL only.

The search filters `recherche LIKE '%word%'` for each word (CandidatQuerySet.recherche):
no B-tree helps a leading wildcard, a pg_trgm GIN index does. SQLite has no such index
and keeps scanning, which is fine at its scale.
"""

from django.db import migrations

INDEX = "candidat_recherche_trgm_idx"


def creer_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON candidats_candidat "
        "USING gin (recherche gin_trgm_ops)"
    )


def supprimer_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: another index or database object may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("candidats", "0004_code_postal"),
    ]

    operations = [
        migrations.RunPython(creer_index, supprimer_index, elidable=False),
    ]
