"""Walk-ins added by the attendance import, the contact a registration records, and the
pre-selection after an immersion going through the candidate's status change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from candidats import services as candidats_services
from candidats.models import CanalSourcing, Candidat
from evenements import services
from evenements.models import Participation, ResultatImmersion, StatutParticipation
from tests.factories import (
    CandidatFactory,
    EvenementFactory,
    ImmersionFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def csv(*lignes):
    return "\n".join(";".join(ligne) for ligne in lignes).encode()


ENTETE = ["Nom", "Prénom", "E-mail", "Date de naissance", "Statut"]


def test_a_walk_in_is_previewed_as_new_then_registered_present_with_a_new_file(client_staff):
    evenement = EvenementFactory(date=timezone.localdate() - datetime.timedelta(days=2))
    alice = ParticipationFactory(
        evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice"
    )
    contenu = csv(
        ENTETE,
        ["Martin", "Alice", "", "", "présente"],
        ["Nouvelle", "Zoé", "zoe.nouvelle@example.net", "14/03/1998", "présente"],
    )

    apercu = client_staff.post(
        reverse("evenements:import_presences", args=[evenement.pk]),
        {"fichier": SimpleUploadedFile("liste.csv", contenu, content_type="text/csv")},
    )

    assert "Nouveau participant</strong> : une fiche sera créée" in apercu.text
    assert "1 nouveau participant sera inscrit comme présent." in apercu.text
    assert not Candidat.objects.filter(nom="Nouvelle").exists()

    response = client_staff.post(
        reverse("evenements:import_presences_confirmer", args=[evenement.pk]),
        {"jeton": apercu.context["jeton"]},
        follow=True,
    )

    assert "1 participant(s) ajouté(s) comme présent(s)" in response.text
    zoe = Candidat.objects.get(nom="Nouvelle")
    assert (zoe.canal, zoe.evenement_source) == (CanalSourcing.EVENEMENT, evenement)
    assert zoe.date_naissance == datetime.date(1998, 3, 14)
    assert zoe.date_dernier_contact == evenement.date
    assert zoe.participations.get().statut == StatutParticipation.PRESENT
    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.PRESENT


def test_a_walk_in_known_by_the_duplicate_rule_keeps_their_file():
    evenement = EvenementFactory()
    connue = CandidatFactory(
        nom="Lefèvre",
        prenom="Jean-Marie",
        email="autre@example.org",
        date_naissance=datetime.date(1990, 5, 2),
        canal=CanalSourcing.FRANCE_TRAVAIL,
    )
    contenu = csv(ENTETE, ["LEFEVRE", "Jean", "", "02/05/1990", "présent"])

    _, ajoutees = services.importer_presences(evenement=evenement, contenu=contenu)

    assert [p.candidat_id for p in ajoutees] == [connue.pk]
    assert Candidat.objects.count() == 1
    connue.refresh_from_db()
    assert connue.canal == CanalSourcing.FRANCE_TRAVAIL
    assert Participation.objects.get().statut == StatutParticipation.PRESENT


def test_a_walk_in_beyond_the_capacity_refuses_the_whole_list():
    evenement = EvenementFactory(capacite=1)
    alice = ParticipationFactory(
        evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice"
    )
    contenu = csv(
        ENTETE, ["Martin", "Alice", "", "", "présente"], ["Venu", "Paul", "", "", "présent"]
    )

    with pytest.raises(ValidationError, match="capacité de 1"):
        services.importer_presences(evenement=evenement, contenu=contenu)

    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.INSCRIT
    assert not Candidat.objects.filter(nom="Venu").exists()


def test_a_seat_the_list_frees_goes_to_a_walk_in():
    evenement = EvenementFactory(capacite=1)
    ParticipationFactory(evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice")
    contenu = csv(
        ENTETE, ["Martin", "Alice", "", "", "excusée"], ["Venu", "Paul", "", "", "présent"]
    )

    modifiees, ajoutees = services.importer_presences(evenement=evenement, contenu=contenu)

    assert len(modifiees) == 1 and ajoutees[0].candidat.nom == "Venu"


def test_a_bad_walk_in_row_saves_nothing_and_says_why():
    evenement = EvenementFactory()
    alice = ParticipationFactory(
        evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice"
    )
    contenu = csv(
        ENTETE,
        ["Martin", "Alice", "", "", "présente"],
        ["Venu", "Paul", "pas-une-adresse", "", "présent"],
        ["Absent", "Non inscrit", "", "", "absent"],
    )

    with pytest.raises(ValidationError) as erreur:
        services.importer_presences(evenement=evenement, contenu=contenu)

    messages = erreur.value.messages
    email = f"Ligne 3 : {capfirst(Candidat._meta.get_field('email').verbose_name)} — "
    assert any(m.startswith(email) and "n'est pas valide" in m for m in messages)
    assert any(m.startswith("Ligne 4 : Non inscrit Absent n'est pas inscrit·e") for m in messages)
    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.INSCRIT
    assert Candidat.objects.count() == 1


def test_the_same_walk_in_twice_in_the_list_is_refused():
    evenement = EvenementFactory()
    contenu = csv(
        ENTETE,
        ["Venu", "Paul", "paul@example.net", "", "présent"],
        ["VENU", "Paul", "paul@example.net", "", "présent"],
    )

    with pytest.raises(ValidationError, match="Ligne 3 : cette personne figure déjà à la ligne 2"):
        services.importer_presences(evenement=evenement, contenu=contenu)
    assert not Candidat.objects.exists()


# The last contact


def test_registering_moves_the_last_contact_to_the_event_day_never_back():
    today = timezone.localdate()
    ancien = CandidatFactory(date_dernier_contact=today - datetime.timedelta(days=400))
    recent = CandidatFactory(date_dernier_contact=today)
    passe = EvenementFactory(date=today - datetime.timedelta(days=30))
    a_venir = EvenementFactory(date=today + datetime.timedelta(days=30))

    services.inscrire_participant(evenement=passe, candidat=ancien)
    services.inscrire_participant(evenement=passe, candidat=recent)
    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert ancien.date_dernier_contact == passe.date
    assert recent.date_dernier_contact == today

    services.inscrire_participant(evenement=a_venir, candidat=ancien)
    ancien.refresh_from_db()
    assert ancien.date_dernier_contact == today
    assert ancien.history.first().date_dernier_contact == today


def test_registering_from_the_event_page_records_the_contact(client_staff):
    evenement = EvenementFactory()
    candidat = CandidatFactory(
        date_dernier_contact=timezone.localdate() - datetime.timedelta(days=90)
    )

    client_staff.post(reverse("evenements:inscrire", args=[evenement.pk, candidat.pk]))

    candidat.refresh_from_db()
    assert candidat.date_dernier_contact == timezone.localdate()


# Pre-selection after a conclusive immersion: the candidate's status change


def test_the_immersion_and_the_file_apply_the_same_status_rule(client_staff, staff_user):
    immersion = ImmersionFactory(resultat=ResultatImmersion.CONCLUANTE)
    candidat = immersion.candidat

    client_staff.post(reverse("evenements:preselectionner", args=[immersion.pk]))

    candidat.refresh_from_db()
    assert candidat.statut == Candidat.Statut.PRESELECTIONNE
    assert candidat.history.first().history_user == staff_user
    # An unknown status: refused by the file's form, and by the status change.
    page = client_staff.post(
        reverse("candidats:modifier", args=[candidat.pk]),
        {"nom": candidat.nom, "prenom": candidat.prenom, "canal": candidat.canal, "statut": "x"},
    )
    assert page.status_code == 200 and "statut" in page.context["form"].errors
    with pytest.raises(ValidationError) as erreur:
        candidats_services.changer_statut(candidat=candidat, statut="x")
    assert "statut" in erreur.value.message_dict
    candidat.refresh_from_db()
    assert candidat.statut == Candidat.Statut.PRESELECTIONNE


def test_an_anonymised_file_is_not_pre_selected():
    immersion = ImmersionFactory(resultat=ResultatImmersion.CONCLUANTE)
    Candidat.objects.filter(pk=immersion.candidat_id).update(anonymise_le=timezone.now())

    with pytest.raises(ValidationError, match="anonymisée"):
        services.preselectionner(immersion=immersion)
    assert Candidat.objects.get(pk=immersion.candidat_id).statut == Candidat.Statut.A_CONTACTER


@pytest.mark.parametrize("rows", [1, 50])
def test_the_preview_of_walk_ins_runs_a_fixed_number_of_queries(
    client_staff, django_assert_num_queries, rows
):
    evenement = EvenementFactory(capacite=200)
    for numero in range(rows):
        ParticipationFactory(
            evenement=evenement, candidat__nom=f"Inscrit{numero}", candidat__prenom="Léa"
        )
    CandidatFactory(nom="Connu", prenom="Marc", email="marc.connu@example.net")
    contenu = csv(
        ENTETE,
        *([f"Inscrit{numero}", "Léa", "", "", "présente"] for numero in range(rows)),
        *([f"Venu{numero}", "Paul", "", "", "présent"] for numero in range(rows)),
        ["Connu", "Marc", "marc.connu@example.net", "", "présent"],
    )

    # The request's 7; the event with its seats; its participants; the files that may be
    # the walk-ins' (one lookup for the whole list); the file found; the pending file kept
    # for the confirmation (its earlier ones read, then the insert).
    with django_assert_num_queries(13):
        response = client_staff.post(
            reverse("evenements:import_presences", args=[evenement.pk]),
            {"fichier": SimpleUploadedFile("liste.csv", contenu, content_type="text/csv")},
        )

    assert f"{rows + 1} nouveaux participants seront inscrits" in response.text
