import datetime
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser, candidats_a_anonymiser
from evenements.models import (
    Evenement,
    Immersion,
    Participation,
    ResultatImmersion,
    TypeEvenement,
)
from tests.factories import (
    CandidatFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    PartenaireFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def test_a_partner_sees_only_the_events_its_company_hosts_with_names_only(client):
    hote = EntrepriseFactory(nom="Ampere")
    accueilli = EvenementFactory(titre="Visite Ampere", entreprises_hotes=[hote])
    autre = EvenementFactory(titre="Visite Minth", entreprises_hotes=[EntrepriseFactory()])
    ParticipationFactory(
        evenement=accueilli,
        candidat=CandidatFactory(
            nom="Dufresne", prenom="Hélène", email="helene@example.org", telephone="0611223344"
        ),
    )
    client.force_login(PartenaireFactory(appartenance__entreprise=hote))

    liste = client.get(reverse("evenements:accueillis")).text
    page = client.get(reverse("evenements:accueilli", args=[accueilli.pk])).text
    refus = client.get(reverse("evenements:accueilli", args=[autre.pk]))

    assert "Visite Ampere" in liste and "Visite Minth" not in liste
    assert "Dufresne" in page and "Hélène" in page
    assert "helene@example.org" not in page and "0611223344" not in page
    assert refus.status_code == 404


def test_a_partner_whose_membership_ended_sees_no_hosted_event(client):
    hote = EntrepriseFactory()
    evenement = EvenementFactory(entreprises_hotes=[hote])
    partenaire = PartenaireFactory(appartenance__entreprise=hote)
    partenaire.appartenances.get().desactiver()
    client.force_login(partenaire)

    assert client.get(reverse("evenements:accueilli", args=[evenement.pk])).status_code == 404


def test_a_participant_never_enrolled_is_anonymised_after_24_months_and_the_counts_stay():
    today = timezone.localdate()
    evenement = EvenementFactory(date=today - datetime.timedelta(days=800))
    ancien = CandidatFactory(
        nom="Ancien", date_dernier_contact=today - datetime.timedelta(days=800)
    )
    recent = CandidatFactory(nom="Recent")
    ParticipationFactory(evenement=evenement, candidat=ancien, statut="present")
    ParticipationFactory(evenement=evenement, candidat=recent, statut="present")

    dus = candidats_a_anonymiser(today)
    anonymiser(candidats=dus)

    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert ancien.anonymise_le is not None and ancien.nom != "Ancien"
    assert recent.anonymise_le is None
    assert Participation.objects.filter(evenement=evenement).count() == 2
    assert Evenement.objects.avec_places_prises().get(pk=evenement.pk).places_prises == 2


def test_the_personal_data_download_holds_events_and_immersions_by_their_labels(client_staff):
    candidat = CandidatFactory()
    evenement = EvenementFactory(
        titre="Job dating Ampere", type=TypeEvenement.JOB_DATING, lieu="Béthune"
    )
    ParticipationFactory(evenement=evenement, candidat=candidat, statut="present")
    ImmersionFactory(
        candidat=candidat,
        entreprise=EntrepriseFactory(nom="Minth"),
        reference_convention="PMSMP-2026-0042",
        resultat=ResultatImmersion.CONCLUANTE,
    )

    response = client_staff.get(reverse("candidats:donnees", args=[candidat.pk]))

    donnees = json.loads(response.content)
    (participation,) = donnees["evenements"]
    assert participation["Événement"] == "Job dating Ampere"
    assert (participation["Type"], participation["Statut"]) == ("Job dating", "Présent")
    assert participation["Date"] == evenement.date.isoformat()
    (immersion,) = donnees["immersions"]
    assert immersion["Entreprise"] == "Minth"
    assert immersion["Référence de la convention"] == "PMSMP-2026-0042"
    assert immersion["Résultat"] == "Concluante"


def test_anonymising_a_participant_scrubs_the_agreement_history_and_admin_log(admin_user):
    candidat = CandidatFactory(nom="Vasseur", prenom="Odile")
    participation = ParticipationFactory(candidat=candidat, statut="present")
    immersion = ImmersionFactory(candidat=candidat, reference_convention="PMSMP-VASSEUR-1")
    # What the admin writes when someone changes these rows: their text names the person.
    for objet in (participation, immersion):
        LogEntry.objects.create(
            user=admin_user,
            content_type=ContentType.objects.get_for_model(objet),
            object_id=str(objet.pk),
            object_repr=str(objet)[:200],
            action_flag=CHANGE,
            change_message="Modifié statut.",
        )
    assert "Vasseur" in " ".join(LogEntry.objects.values_list("object_repr", flat=True))

    anonymiser(candidats=Candidat.objects.filter(pk=candidat.pk))

    immersion.refresh_from_db()
    assert immersion.reference_convention == "Anonymisée"
    textes = " ".join(LogEntry.objects.values_list("object_repr", flat=True))
    assert "Vasseur" not in textes and "Odile" not in textes
    assert not Immersion.history.filter(candidat_id=candidat.pk).exists()
    assert not Participation.history.filter(candidat_id=candidat.pk).exists()
    assert Participation.objects.filter(pk=participation.pk).exists()
