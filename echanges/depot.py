"""Uploaded files waiting for the user's confirmation, kept on the server.

The preview and the import read the same bytes, and the browser never sends them back:
the session holds only a random token. Taking a file out renames it first, so two
confirmations sent at once import it once. A file nobody confirms leaves at logout, or
after PORTAIL_IMPORTS_DUREE_HEURES (`purger_imports`).
"""

import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

# The session key under which the token and the file's name wait.
CLE_DE_SESSION = "echanges:import_en_attente"
FORME_DU_JETON = re.compile(r"[A-Za-z0-9_-]{43}")


def dossier():
    path = Path(getattr(settings, "PORTAIL_IMPORTS_DIR", "") or tempfile.gettempdir())
    path = path / "portail-imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def deposer(contenu):
    """Keep `contenu` and return the token that takes it back."""
    purger()
    jeton = secrets.token_urlsafe(32)
    descriptor = os.open(dossier() / jeton, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as fichier:
        fichier.write(contenu)
    return jeton


def retirer(jeton):
    """The content kept under `jeton`, once: None if it was taken already or has expired."""
    if not jeton or not FORME_DU_JETON.fullmatch(jeton):
        return None
    path = dossier() / jeton
    pris = path.with_name(f"{jeton}.pris-{secrets.token_hex(8)}")
    try:
        path.rename(pris)
    except FileNotFoundError:
        return None
    try:
        return pris.read_bytes()
    finally:
        pris.unlink(missing_ok=True)


def oublier(jeton):
    if jeton and FORME_DU_JETON.fullmatch(jeton):
        (dossier() / jeton).unlink(missing_ok=True)


def oublier_a_la_deconnexion(sender, request, **kwargs):
    """The `user_logged_out` receiver: the import waiting in the session is abandoned."""
    oublier((request.session.get(CLE_DE_SESSION) or {}).get("jeton"))


def purger():
    """Delete the files kept for longer than PORTAIL_IMPORTS_DUREE_HEURES; return how many."""
    limite = time.time() - settings.PORTAIL_IMPORTS_DUREE_HEURES * 60 * 60
    supprimes = 0
    for path in dossier().iterdir():
        try:
            if path.stat().st_mtime < limite:
                path.unlink()
                supprimes += 1
        except FileNotFoundError:
            continue
    return supprimes


def lire(jeton):
    """The content kept under `jeton`, left in place (a task's analysis): None if gone."""
    if not jeton or not FORME_DU_JETON.fullmatch(jeton):
        return None
    try:
        return (dossier() / jeton).read_bytes()
    except FileNotFoundError:
        return None
