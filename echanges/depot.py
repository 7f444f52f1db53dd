"""Uploaded files waiting for the user's confirmation, kept on the server.

The preview and the import read the same bytes, and the browser never sends them back:
the session holds only a random token. The bytes go to the `imports` storage (a folder,
or an S3-compatible store shared by every server); a `FichierEnAttente` row holds the
token's hash, the file's name in the storage and its author. Taking a file is one
conditional update of that row, so two confirmations sent at once import it once. A file
nobody confirms leaves at logout, or after PORTAIL_IMPORTS_DUREE_HEURES (`purger`).
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from .models import FichierEnAttente

# The session key under which the token and the file's name wait.
CLE_DE_SESSION = "echanges:import_en_attente"
FORME_DU_JETON = re.compile(r"[A-Za-z0-9_-]{43}")
# The folder of the storage the files are kept in.
DOSSIER = "en-attente"


def stockage():
    return storages["imports"]


def limite():
    """Files kept since before this moment are expired."""
    return timezone.now() - datetime.timedelta(hours=settings.PORTAIL_IMPORTS_DUREE_HEURES)


def empreinte(jeton):
    return hashlib.sha256(jeton.encode()).hexdigest()


def deposer(contenu, *, user):
    """Keep `contenu` for `user` and return the token that takes it back."""
    purger()
    jeton = secrets.token_urlsafe(32)
    # A name of its own, not the token: a listing of the storage gives no token away.
    nom = stockage().save(f"{DOSSIER}/{secrets.token_hex(16)}", ContentFile(contenu))
    FichierEnAttente.objects.create(empreinte_du_jeton=empreinte(jeton), nom=nom, user=user)
    return jeton


def retirer(jeton, *, user):
    """The content kept under `jeton` for `user`, once: None if taken already or expired.

    The file leaves the storage when the transaction commits: a confirmation that fails
    before leaves it in place for another try.
    """
    fichiers = _en_attente(jeton)
    if fichiers is None or fichiers.filter(user=user).update(pris_le=timezone.now()) != 1:
        return None
    fichier = FichierEnAttente.objects.get(empreinte_du_jeton=empreinte(jeton))
    transaction.on_commit(lambda: _supprimer([fichier]))
    return _lire(fichier.nom)


def lire(jeton):
    """The content kept under `jeton`, left in place (a task's analysis): None if gone."""
    fichiers = _en_attente(jeton)
    fichier = fichiers.first() if fichiers is not None else None
    return _lire(fichier.nom) if fichier else None


def oublier(jeton):
    if jeton and FORME_DU_JETON.fullmatch(jeton):
        _supprimer(FichierEnAttente.objects.filter(empreinte_du_jeton=empreinte(jeton)))


def purger(*, orphelins=False):
    """Delete the files kept for longer than PORTAIL_IMPORTS_DUREE_HEURES; return how many.

    With `orphelins`, the files of the storage no row names (a deposit whose transaction
    was rolled back) go too, once as old: a listing of the storage, for the nightly
    command rather than each upload.
    """
    avant = limite()
    supprimes = _supprimer(FichierEnAttente.objects.filter(cree_le__lt=avant))
    if orphelins:
        supprimes += _supprimer_les_orphelins(avant)
    return supprimes


def _supprimer_les_orphelins(avant):
    connus = set(FichierEnAttente.objects.values_list("nom", flat=True))
    try:
        _, noms = stockage().listdir(DOSSIER)
    except FileNotFoundError:
        return 0
    supprimes = 0
    for nom in (f"{DOSSIER}/{nom}" for nom in noms):
        try:
            if nom not in connus and stockage().get_modified_time(nom) < avant:
                stockage().delete(nom)
                supprimes += 1
        except FileNotFoundError:
            continue
    return supprimes


def _en_attente(jeton):
    """The fresh, untaken file of `jeton` (a queryset of at most one row), or None."""
    if not jeton or not FORME_DU_JETON.fullmatch(jeton):
        return None
    return FichierEnAttente.objects.filter(
        empreinte_du_jeton=empreinte(jeton), pris_le__isnull=True, cree_le__gte=limite()
    )


def _lire(nom):
    try:
        with stockage().open(nom, "rb") as fichier:
            return fichier.read()
    except FileNotFoundError:
        return None


def _supprimer(fichiers):
    """Delete `fichiers` (rows) and their files; return how many rows."""
    fichiers = list(fichiers)
    for fichier in fichiers:
        stockage().delete(fichier.nom)
    FichierEnAttente.objects.filter(pk__in=[fichier.pk for fichier in fichiers]).delete()
    return len(fichiers)
