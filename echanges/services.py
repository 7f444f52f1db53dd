import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from candidats.doublons import cle_nom_naissance
from candidats.models import Candidat
from indicateurs import agregats
from messagerie.services import mettre_en_file
from portail.liens import url_du_site

from . import depot
from .models import AnalyseImport, DemandeExport

TAILLE_DES_LOTS = 500


@transaction.atomic
def importer_candidats(*, candidats, auteur, fichier=""):
    """Save the checked, unsaved `candidats` of an import, all or none, with their history.

    `bulk_create` skips `Candidat.save`, so the search and duplicate columns are filled here.
    """
    maintenant = timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    for candidat in candidats:
        candidat.statut = Candidat.Statut.A_CONTACTER
        candidat.cree_le = maintenant
        candidat.date_dernier_contact = aujourd_hui
        candidat.recherche = candidat.texte_de_recherche()
        candidat.cle_nom_naissance = cle_nom_naissance(
            candidat.nom, candidat.prenom, candidat.date_naissance
        )
    crees = bulk_create_with_history(
        candidats,
        Candidat,
        batch_size=TAILLE_DES_LOTS,
        default_user=auteur,
        default_change_reason=f"Import du fichier {fichier}"[:100],
        default_date=maintenant,
    )
    agregats.recalculer(candidats=crees)
    return crees


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


def stockage_des_exports():
    return storages["exports"]


def demander_export(*, user, export, format, criteres):
    """The export of `criteres` that `user` is waiting for, else a new one and its task.

    A second click while the first is waiting or running finds it: the database holds one
    such request (its constraint), even for two clicks at once. Returns (request, created).
    """
    identique = DemandeExport.objects.en_attente_ou_en_cours().filter(
        user=user, export=export, format=format, criteres=criteres
    )
    if demande := identique.first():
        return demande, False
    try:
        with transaction.atomic():
            demande = DemandeExport.objects.create(
                user=user, export=export, format=format, criteres=criteres
            )
    except IntegrityError:
        return identique.get(), False
    from .tasks import exporter

    exporter.enqueue(str(demande.pk))
    return demande, True


def annoncer_l_export(demande):
    """Put in the outbox the e-mail telling the requester their file is ready, once."""
    if not demande.user.email:
        return None
    contexte = {
        "demande": demande,
        "lien": f"{url_du_site()}{reverse('echanges:export_demande', args=[demande.pk])}",
        "duree_heures": settings.PORTAIL_EXPORTS_DUREE_HEURES,
    }
    return mettre_en_file(
        cle=f"export-pret-{demande.pk}",
        destinataire=demande.user.email,
        sujet="Votre export est prêt",
        texte=render_to_string("echanges/courriel_export_pret.txt", contexte),
    )


def purger_exports():
    """Delete the exports past PORTAIL_EXPORTS_DUREE_HEURES, files and rows; return how many.

    Expired, or asked that long ago and never finished (a worker stopped midway).
    """
    maintenant = timezone.now()
    anciennes = DemandeExport.objects.filter(
        Q(expire_le__lte=maintenant)
        | Q(
            cree_le__lt=maintenant - datetime.timedelta(hours=settings.PORTAIL_EXPORTS_DUREE_HEURES)
        )
    )
    stockage = stockage_des_exports()
    for nom in anciennes.exclude(fichier="").values_list("fichier", flat=True).iterator():
        stockage.delete(nom)
    supprimees, _ = anciennes.delete()
    return supprimees
