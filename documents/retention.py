"""The funders' retention of proofs (docs/domaine.md): documents and attendance are kept a
number of years after the cohort's end, 6 by default, 10 when the EU's FSE+ co-finances
the cohort, then deleted, file and row. Separate from the anonymisation of the people:
anonymising a trainee keeps their attendance and documents, and so the counts.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from parcours.dates import add_months
from parcours.models import Cohorte, Inscription
from presences.models import Creneau, Presence, SemaineVerrouillee
from presences.services import recompter_absences

from .models import Document, stockage_des_documents


def cohorte_cofinancee_fse(cohorte):
    return getattr(cohorte, "cofinancee_fse", False)


def _a_le_champ_fse():
    return any(field.name == "cofinancee_fse" for field in Cohorte._meta.get_fields())


def annees_de_conservation(cohorte):
    if cohorte_cofinancee_fse(cohorte):
        return settings.PORTAIL_RETENTION_DOCUMENTS_FSE_ANS
    return settings.PORTAIL_RETENTION_DOCUMENTS_ANS


def fin_de_conservation(cohorte):
    """The last day the cohort's proofs are kept."""
    return add_months(cohorte.date_fin, 12 * annees_de_conservation(cohorte))


def cohortes_a_purger(today):
    """Cohorts ended before the retention period and still holding documents or
    attendance."""
    limite = add_months(today, -12 * settings.PORTAIL_RETENTION_DOCUMENTS_ANS)
    echues = Q(date_fin__lt=limite)
    if _a_le_champ_fse():
        limite_fse = add_months(today, -12 * settings.PORTAIL_RETENTION_DOCUMENTS_FSE_ANS)
        echues = Q(echues, cofinancee_fse=False) | Q(date_fin__lt=limite_fse, cofinancee_fse=True)
    a_quelque_chose = (
        Q(pk__in=Document.objects.values("cohorte_id"))
        | Q(pk__in=Creneau.objects.values("cohorte_id"))
        | Q(pk__in=SemaineVerrouillee.objects.values("cohorte_id"))
    )
    return Cohorte.objects.filter(echues, a_quelque_chose).order_by("date_fin", "pk")


def compter(cohortes):
    """What a purge of `cohortes` would delete."""
    ids = list(cohortes.values_list("pk", flat=True))
    return {
        "cohortes": len(ids),
        "documents": Document.objects.filter(cohorte_id__in=ids).count(),
        "presences": Presence.objects.filter(creneau__cohorte_id__in=ids).count(),
        "creneaux": Creneau.objects.filter(cohorte_id__in=ids).count(),
    }


@transaction.atomic
def purger(*, cohortes):
    """Delete the documents (files once the transaction commits), the attendance with its
    history, the half-days and the week locks of `cohortes`; returns the counts."""
    ids = list(cohortes.values_list("pk", flat=True))
    comptes = compter(Cohorte.objects.filter(pk__in=ids))
    documents = Document.objects.filter(cohorte_id__in=ids)
    fichiers = list(documents.values_list("fichier", flat=True))
    documents.delete()
    creneaux = Creneau.objects.filter(cohorte_id__in=ids)
    Presence.objects.filter(creneau__in=creneaux).delete()
    # After the deletion, which writes its own history rows.
    Presence.history.filter(creneau_id__in=creneaux.values("pk")).delete()
    creneaux.delete()
    SemaineVerrouillee.objects.filter(cohorte_id__in=ids).delete()
    recompter_absences(
        inscriptions=list(
            Inscription.objects.filter(cohorte_id__in=ids).values_list("pk", flat=True)
        )
    )

    def effacer_les_fichiers():
        stockage = stockage_des_documents()
        for nom in fichiers:
            stockage.delete(nom)

    transaction.on_commit(effacer_les_fichiers)
    return comptes
