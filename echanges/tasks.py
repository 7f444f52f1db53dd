"""The analysis of a large import, its confirmation and the full exports, away from the
request (STYLE rule 16).

Their state lives in `AnalyseImport`, so the page polled by the browser reads it on any
server. Taking the row from "en attente" to "en cours" is one conditional update: a job
run twice analyses, or imports, once.
"""

import contextlib
import csv
import datetime
import hashlib
import tempfile
import time
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import NO_RESULTS
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from candidats.models import Candidat

from . import depot, exports, imports, selections, services
from .models import AnalyseImport, DemandeExport

# Progress is saved at most this often, so a fast analysis costs few queries.
PROGRESSION_SECONDES = 1.0
# The imported records listed on the result page; the rest are counted.
IMPORTES_AFFICHES = 100


@task()
def analyser_import(analyse_id):
    analyser(analyse_id)


def analyser(analyse_id):
    lignes = AnalyseImport.objects.filter(pk=analyse_id)
    if not lignes.filter(etat=AnalyseImport.Etat.EN_ATTENTE).update(
        etat=AnalyseImport.Etat.EN_COURS
    ):
        return
    analyse = lignes.select_related("user").get()
    contenu = depot.lire(analyse.jeton)
    if contenu is None:
        _echec(lignes, "Le fichier n'est plus disponible : déposez-le à nouveau.")
        return
    duree_max = settings.PORTAIL_IMPORT_TACHE_DUREE_MAX_SECONDES
    limite = time.monotonic() + duree_max
    derniere_sauvegarde = time.monotonic()

    def suivi(lignes_verifiees):
        nonlocal derniere_sauvegarde
        maintenant = time.monotonic()
        if maintenant >= limite:
            raise imports.AnalyseTropLongue(
                f"Analyse trop longue : elle a été arrêtée après {duree_max} secondes, "
                f"à la ligne {lignes_verifiees}. Rien n'a été importé : découpez le fichier "
                "en plusieurs fichiers plus petits et déposez-les l'un après l'autre."
            )
        if lignes_verifiees and maintenant - derniere_sauvegarde >= PROGRESSION_SECONDES:
            lignes.update(lignes_lues=lignes_verifiees)
            derniere_sauvegarde = maintenant

    try:
        resultat = imports.analyser(
            contenu, candidats=Candidat.objects.visibles_par(analyse.user), suivi=suivi
        )
    except imports.FichierRefuse as refus:
        depot.oublier(analyse.jeton)
        _echec(lignes, refus.message)
        return
    except Exception:
        depot.oublier(analyse.jeton)
        _echec(lignes, "L'analyse a échoué sur une erreur inattendue : rien n'a été importé.")
        raise
    gardees = {}
    if resultat.valide:
        # What the confirmation of this very file reuses instead of reading it again.
        gardees = {
            "lignes_verifiees": imports.garder(resultat),
            "empreinte": hashlib.sha256(contenu).hexdigest(),
        }
    else:
        # Nothing to confirm: the file need not wait.
        depot.oublier(analyse.jeton)
    lignes.update(
        etat=AnalyseImport.Etat.TERMINEE,
        lignes_lues=len(resultat.lignes),
        resultat=imports.resume(resultat),
        **gardees,
    )


def _echec(lignes, message):
    lignes.update(etat=AnalyseImport.Etat.ECHEC, erreur=message)


@task()
def confirmer_import(analyse_id):
    confirmer(analyse_id)


def confirmer(analyse_id):
    """Save the rows the analysis kept, all or none, after searching their duplicates again.

    Only the records may have changed since the analysis (a colleague adding one of
    these people): the rows are not read or checked again.
    """
    lignes = AnalyseImport.objects.filter(pk=analyse_id)
    if not lignes.filter(confirmation=AnalyseImport.Etat.EN_ATTENTE).update(
        confirmation=AnalyseImport.Etat.EN_COURS
    ):
        return
    analyse = lignes.select_related("user", "ecole_par_defaut").get()
    try:
        resultat = imports.reprendre(
            analyse.lignes_verifiees,
            candidats=Candidat.objects.visibles_par(analyse.user),
            ecole_par_defaut=analyse.ecole_par_defaut,
        )
        crees = []
        if resultat.valide:
            # All or none: one transaction.
            crees = services.importer_candidats(
                candidats=resultat.candidats, auteur=analyse.user, fichier=analyse.nom_du_fichier
            )
    except Exception:
        lignes.update(
            confirmation=AnalyseImport.Etat.ECHEC,
            lignes_verifiees=None,
            erreur="L'import a échoué sur une erreur inattendue : aucun candidat n'a été "
            "enregistré. Déposez le fichier à nouveau.",
        )
        raise
    if not resultat.valide:
        # Someone added one of these candidates since the analysis: its page says who.
        lignes.update(
            confirmation=AnalyseImport.Etat.ECHEC,
            lignes_verifiees=None,
            resultat=imports.resume(resultat),
        )
        return
    lignes.update(
        confirmation=AnalyseImport.Etat.TERMINEE,
        lignes_verifiees=None,
        importes={
            "nombre": len(crees),
            "ids": [candidat.pk for candidat in crees[:IMPORTES_AFFICHES]],
        },
    )


class ExportIncomplet(Exception):
    """The file does not hold every row counted: it is not offered."""


ERREUR_D_EXPORT = (
    "L'export a échoué sur une erreur inattendue : aucun fichier n'est proposé. "
    "Relancez-le depuis sa page d'origine."
)
INCOMPLET = (
    "L'export est incomplet ({lues} ligne(s) dans le fichier pour {attendues} attendue(s)) : "
    "aucun fichier n'est proposé. Relancez-le depuis sa page d'origine."
)


@task()
def exporter(demande_id):
    executer_export(demande_id)


def executer_export(demande_id):
    """Write the file of a `DemandeExport`, check it whole, then offer it to its requester.

    The rows are counted and read in one snapshot; the file kept is read back and its rows
    counted against that count. Any mismatch or error leaves the request in "échec" with no
    file: a user never gets a file cut short.
    """
    demandes = DemandeExport.objects.filter(pk=demande_id)
    if not demandes.filter(etat=DemandeExport.Etat.EN_ATTENTE).update(
        etat=DemandeExport.Etat.EN_COURS
    ):
        return
    demande = demandes.select_related("user").get()
    try:
        nom, nom_du_fichier, nombre = _ecrire(demande)
    except (selections.CriteresRefuses, ExportIncomplet) as refus:
        _echec(demandes, str(refus))
        return
    except Exception:
        _echec(demandes, ERREUR_D_EXPORT)
        raise
    maintenant = timezone.now()
    with transaction.atomic():
        demandes.update(
            etat=DemandeExport.Etat.TERMINEE,
            fichier=nom,
            nom_du_fichier=nom_du_fichier,
            nombre_de_lignes=nombre,
            lignes_ecrites=nombre,
            terminee_le=maintenant,
            expire_le=maintenant + datetime.timedelta(hours=settings.PORTAIL_EXPORTS_DUREE_HEURES),
        )
        services.annoncer_l_export(demande)


def _ecrire(demande):
    """The name in the storage of the file written and checked, the name offered to the
    browser and its number of rows."""
    choix = selections.selection(demande.export, QueryDict(demande.criteres), user=demande.user)
    stockage = services.stockage_des_exports()
    with tempfile.TemporaryFile() as brouillon, _instantane() as sauver:
        attendues = choix.queryset.count()
        sauver(demande.pk, lignes_attendues=attendues)
        suivi = _Suivi(choix.lignes(choix.queryset), sauver=sauver, demande_id=demande.pk)
        exports.ECRIVAINS[demande.format](brouillon, choix.colonnes, suivi)
        if suivi.ecrites != attendues:
            raise ExportIncomplet(INCOMPLET.format(lues=suivi.ecrites, attendues=attendues))
        brouillon.seek(0)
        nom_du_fichier = choix.nom_de_fichier(demande.format)
        nom = stockage.save(f"{demande.pk}/{nom_du_fichier}", File(brouillon))
    try:
        lues = _relire(stockage, nom, demande.format)
        if lues != attendues:
            raise ExportIncomplet(INCOMPLET.format(lues=lues or 0, attendues=attendues))
    except BaseException:
        stockage.delete(nom)
        raise
    return nom, nom_du_fichier, lues


def _relire(stockage, nom, format):
    """The data rows of the stored file; None for a file that does not open, or headless."""
    try:
        with stockage.open(nom, "rb") as relu:
            return exports.lignes_du_fichier(format, relu)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, csv.Error):
        return None


class _Suivi:
    """The rows as they are written, counted; the progress saved at most once a second."""

    def __init__(self, lignes, *, sauver, demande_id):
        self.lignes = lignes
        self.sauver = sauver
        self.demande_id = demande_id
        self.ecrites = 0

    def __iter__(self):
        derniere_sauvegarde = time.monotonic()
        for ligne in self.lignes:
            yield ligne
            self.ecrites += 1
            maintenant = time.monotonic()
            if maintenant - derniere_sauvegarde >= PROGRESSION_SECONDES:
                self.sauver(self.demande_id, lignes_ecrites=self.ecrites)
                derniere_sauvegarde = maintenant


@contextlib.contextmanager
def _instantane():
    """One snapshot for the count and the rows; yields how to save the progress meanwhile.

    On PostgreSQL a REPEATABLE READ transaction: rows added while the file is written are
    neither counted nor written. Its writes would show only at its end, so the progress
    goes through a connection of its own. Inside a transaction already (a task the tests
    run at once, in their request) or on SQLite, whose transactions are snapshots, the
    progress is saved on the same connection.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            yield lambda demande_id, **valeurs: _sauver(connection, demande_id, valeurs)
        return
    progression = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield lambda demande_id, **valeurs: _sauver(progression, demande_id, valeurs)
    finally:
        progression.close()


def _sauver(connexion, demande_id, valeurs):
    requete = DemandeExport.objects.filter(pk=demande_id).query.chain(UpdateQuery)
    requete.add_update_values(valeurs)
    requete.get_compiler(connection=connexion).execute_sql(NO_RESULTS)
