"""The analysis of a large import and its confirmation, away from the request (STYLE rule 16).

Their state lives in `AnalyseImport`, so the page polled by the browser reads it on any
server. Taking the row from "en attente" to "en cours" is one conditional update: a job
run twice analyses, or imports, once.
"""

import hashlib
import time

from django.conf import settings
from django_tasks import task

from candidats.models import Candidat

from . import depot, imports, services
from .models import AnalyseImport

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
