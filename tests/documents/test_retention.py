import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser
from documents import retention, services
from documents.models import Document, stockage_des_documents
from parcours.dates import add_months
from presences import services as presences
from presences.models import Creneau, Presence
from tests.documents.conftest import LUNDI, saisir_la_semaine
from tests.documents.pdf import texte
from tests.factories import CohorteFactory, InscriptionFactory, UserFactory


def cohorte_terminee_il_y_a(annees, mois=1, **kwargs):
    """A cohort with attendance and a document, ended `annees` years and `mois` months ago."""
    debut = add_months(timezone.localdate(), -12 * annees - mois - 6)
    cohorte = CohorteFactory(date_debut=debut - datetime.timedelta(days=debut.weekday()), **kwargs)
    fin_voulue = add_months(timezone.localdate(), -12 * annees - mois)
    assert cohorte.date_fin <= fin_voulue + datetime.timedelta(days=40)
    presences.generer_creneaux(cohorte)
    inscription = InscriptionFactory(cohorte=cohorte)
    auteur = UserFactory()
    saisir_la_semaine(cohorte, inscription, auteur, lundi=cohorte.date_debut)
    document = services.generer_attestation(inscription=inscription, auteur=auteur)
    return cohorte, document


def run(*args):
    from io import StringIO

    sortie = StringIO()
    call_command("appliquer_retention_documents", *args, stdout=sortie)
    return sortie.getvalue()


def test_the_dry_run_lists_and_deletes_nothing(db):
    ancienne, document = cohorte_terminee_il_y_a(7)

    sortie = run()

    assert f"{ancienne} : terminée le {ancienne.date_fin:%d/%m/%Y}" in sortie
    presences_saisies = Presence.objects.filter(creneau__cohorte=ancienne).count()
    assert presences_saisies > 0
    assert f"1 cohorte(s) : 1 document(s), {presences_saisies} présence(s)" in sortie
    assert "Simulation : rien n'a été supprimé" in sortie
    assert Document.objects.filter(pk=document.pk).exists()


def test_apply_deletes_files_rows_and_attendance_past_six_years(
    db, django_capture_on_commit_callbacks
):
    ancienne, document = cohorte_terminee_il_y_a(7)
    recente, gardee = cohorte_terminee_il_y_a(5)
    nom = document.fichier.name
    creneaux_anciens = list(ancienne.creneaux.values_list("pk", flat=True))
    presences_recentes = Presence.objects.filter(creneau__cohorte=recente).count()

    with django_capture_on_commit_callbacks(execute=True):
        sortie = run("--apply")

    assert "Documents et présences supprimés." in sortie
    assert not Document.objects.filter(cohorte=ancienne).exists()
    assert not Presence.objects.filter(creneau__cohorte=ancienne).exists()
    assert not Presence.history.filter(creneau_id__in=creneaux_anciens).exists()
    assert not Creneau.objects.filter(cohorte=ancienne).exists()
    assert not stockage_des_documents().exists(nom)
    assert Document.objects.filter(pk=gardee.pk).exists()
    assert stockage_des_documents().exists(gardee.fichier.name)
    assert Presence.objects.filter(creneau__cohorte=recente).count() == presences_recentes > 0
    # The cohort itself and its trainees stay: only the proofs go.
    ancienne.refresh_from_db()
    assert ancienne.inscriptions.count() == 1


def test_the_period_is_a_setting(db, settings):
    settings.PORTAIL_RETENTION_DOCUMENTS_ANS = 8
    cohorte_terminee_il_y_a(7)

    assert "0 cohorte(s)" in run()


@pytest.mark.skipif(
    not retention._a_le_champ_fse(), reason="the cohort's FSE+ flag is not there yet"
)
def test_a_cohort_cofinanced_by_the_fse_is_kept_ten_years(db):
    cofinancee, document = cohorte_terminee_il_y_a(7, cofinancee_fse=True)
    cohorte_terminee_il_y_a(11, cofinancee_fse=True)

    sortie = run("--apply")

    assert "1 cohorte(s)" in sortie
    assert Document.objects.filter(pk=document.pk).exists()
    assert retention.annees_de_conservation(cofinancee) == 10


def test_the_period_runs_ten_years_for_a_cofinanced_cohort(db):
    cohorte = CohorteFactory()
    cohorte.cofinancee_fse = True

    assert retention.annees_de_conservation(cohorte) == 10
    assert retention.fin_de_conservation(cohorte) == add_months(cohorte.date_fin, 120)


def test_anonymising_a_trainee_keeps_the_hours_and_the_documents(cohorte, lea, staff_user):
    saisir_la_semaine(cohorte, lea, staff_user, absences=1)
    certificat = services.generer_certificat(inscription=lea, auteur=staff_user)
    avant = presences.bilan_de_presence(lea)
    octets = services.lire(certificat)

    anonymiser(candidats=Candidat.objects.filter(pk=lea.candidat_id))

    apres = presences.bilan_de_presence(lea)
    assert apres == avant
    assert apres.heures_realisees == 31.5 and apres.absences_non_justifiees == 1
    certificat.refresh_from_db()
    assert services.lire(certificat) == octets
    nouveau = services.generer_certificat(inscription=lea, auteur=staff_user)
    contenu = " ".join(texte(nouveau)[0].split())
    assert "Heures réalisées 31,5 h" in contenu
    assert "1 non justifiée(s)" in contenu
    assert "Durand" not in contenu and "ANONYME" in contenu
    assert LUNDI.strftime("%d/%m/%Y") in contenu
