from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from candidats.models import Candidat

from . import depot
from .models import AnalyseImport

TAILLE_DES_LOTS = 500


@transaction.atomic
def importer_candidats(*, candidats, auteur, fichier=""):
    """Save the checked, unsaved `candidats` of an import, all or none, with their history.

    `bulk_create` skips `Candidat.save`, so the search column is filled here.
    """
    maintenant = timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    for candidat in candidats:
        candidat.statut = Candidat.Statut.A_CONTACTER
        candidat.cree_le = maintenant
        candidat.date_dernier_contact = aujourd_hui
        candidat.recherche = candidat.texte_de_recherche()
    return bulk_create_with_history(
        candidats,
        Candidat,
        batch_size=TAILLE_DES_LOTS,
        default_user=auteur,
        default_change_reason=f"Import du fichier {fichier}"[:100],
        default_date=maintenant,
    )


def oublier_l_analyse(jeton):
    """The rows an analysis kept for the confirmation of `jeton`'s file are of no more use."""
    if jeton:
        AnalyseImport.objects.filter(jeton=jeton).update(lignes_verifiees=None)


def abandonner_import(jeton):
    """An import left unconfirmed (its author signed out): its file and analysis go.

    The analyses past PORTAIL_IMPORTS_DUREE_HEURES go with them.
    """
    depot.oublier(jeton)
    if jeton:
        AnalyseImport.objects.filter(jeton=jeton).delete()
    purger_analyses()


def abandonner_a_la_deconnexion(sender, request, **kwargs):
    """The `user_logged_out` receiver: the import waiting in the session is abandoned."""
    abandonner_import((request.session.get(depot.CLE_DE_SESSION) or {}).get("jeton"))


def purger_analyses():
    """Delete the analyses older than PORTAIL_IMPORTS_DUREE_HEURES; return how many."""
    supprimees, _ = AnalyseImport.objects.filter(cree_le__lt=depot.limite()).delete()
    return supprimees


def purger_imports():
    """The pending files and the analyses past PORTAIL_IMPORTS_DUREE_HEURES: (files, analyses)."""
    return depot.purger(orphelins=True), purger_analyses()
