"""On the embedded SQLite file, concurrent requests wait for each other instead of failing
with "database is locked". Run in a child process on a file database of its own, with the
settings the portal starts with (the test database is in memory)."""

import ast

from tests.test_settings import run_manage

REGLAGES = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"

# Two requests that each read a row, then write it, at the same time.
DEUX_ECRIVAINS = """
import threading, time
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE compteur (n integer)")
    cursor.execute("INSERT INTO compteur VALUES (0)")
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])

depart = threading.Barrier(2)
erreurs = []

def incrementer():
    depart.wait()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM compteur")
            n = cursor.fetchone()[0]
            time.sleep(0.3)
            cursor.execute("UPDATE compteur SET n = %s", [n + 1])
    except Exception as erreur:
        erreurs.append(str(erreur))
    finally:
        connection.close()

ecrivains = [threading.Thread(target=incrementer) for _ in range(2)]
for ecrivain in ecrivains:
    ecrivain.start()
for ecrivain in ecrivains:
    ecrivain.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM compteur")
    print(cursor.fetchone()[0])
print(erreurs)
"""


def shell(code, database_url):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    (options,) = shell(REGLAGES, f"sqlite:///{tmp_path / 'portail.sqlite3'}")

    assert ast.literal_eval(options) == {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_postgresql_gets_none_of_the_sqlite_options():
    (options,) = shell(REGLAGES, "postgres://portail@127.0.0.1:5432/portail")

    # Only its own: the portal's queries are short, JIT compilation would cost more.
    assert ast.literal_eval(options) == {"options": "-c jit=off"}


def test_two_requests_writing_at_once_on_sqlite_both_succeed(tmp_path):
    journal, compteur, erreurs = shell(DEUX_ECRIVAINS, f"sqlite:///{tmp_path / 'portail.sqlite3'}")

    assert journal == "wal"
    assert ast.literal_eval(erreurs) == []
    # The second waited for the first and read its write: no update is lost.
    assert compteur == "2"
