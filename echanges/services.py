from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from candidats.models import Candidat

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
