"""What anonymising a person does to their surveys (called by `candidats.retention`).

The categories of their situations stay, for the aggregates; their comments, the secrets
of their links and the e-mails that carried those links go.
"""

from messagerie.models import Message

from .models import CHAMPS_DES_ENVOIS, Enquete, JetonEnquete, SituationApresSortie

# Keys per DELETE: well under SQLite's limit of bound parameters.
CLES_PAR_REQUETE = 900


def anonymiser(*, inscription_ids):
    SituationApresSortie.objects.filter(sortie__inscription_id__in=inscription_ids).update(
        commentaire=""
    )
    JetonEnquete.objects.filter(enquete__sortie__inscription_id__in=inscription_ids).delete()
    enquetes = Enquete.objects.filter(sortie__inscription_id__in=inscription_ids).values_list(
        "pk", flat=True
    )
    cles = [
        Enquete(pk=enquete_id).cle_du_message(nature)
        for enquete_id in enquetes
        for nature in CHAMPS_DES_ENVOIS
    ]
    for debut in range(0, len(cles), CLES_PAR_REQUETE):
        Message.objects.filter(cle__in=cles[debut : debut + CLES_PAR_REQUETE]).delete()
