import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://portail@127.0.0.1:5432/portail",
    "DJANGO_ALLOWED_HOSTS": "portail.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = run_manage("check", **env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_seed_demo_refuses_production_settings():
    result = run_manage("seed_demo", **PRODUCTION)

    assert result.returncode != 0
    assert "interdites" in result.stderr


@pytest.mark.parametrize(
    ("module", "proxies"),
    # Production sits behind the nginx of the README; `make run` serves the browser itself.
    [("config.settings.production", "1"), ("config.settings.local", "0")],
)
def test_the_client_address_is_read_through_nginx_in_production_only(module, proxies):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PORTAIL_PROXIES_DE_CONFIANCE)",
        **{**PRODUCTION, "DJANGO_SETTINGS_MODULE": module},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == proxies
