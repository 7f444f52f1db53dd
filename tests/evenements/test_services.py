import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from candidats.models import CanalSourcing, Candidat
from evenements import services
from evenements.models import (
    Evenement,
    Immersion,
    Participation,
    ResultatImmersion,
    StatutParticipation,
    un_mois_apres,
)
from tests.factories import (
    CandidatFactory,
    EvenementFactory,
    ImmersionFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def test_registered_and_present_take_a_seat_excused_and_absent_free_it():
    evenement = EvenementFactory(capacite=2)
    inscrit = ParticipationFactory(evenement=evenement)
    ParticipationFactory(evenement=evenement, statut=StatutParticipation.PRESENT)

    with pytest.raises(ValidationError, match="complet"):
        services.inscrire_participant(evenement=evenement, candidat=CandidatFactory())

    services.enregistrer_presences(
        evenement=evenement, statuts={inscrit.pk: StatutParticipation.EXCUSE}
    )
    services.inscrire_participant(evenement=evenement, candidat=CandidatFactory())
    assert evenement.participations.count() == 3
    assert Evenement.objects.avec_places_prises().get(pk=evenement.pk).places_prises == 2


def test_the_python_and_sql_seat_rules_agree():
    evenement = EvenementFactory(capacite=10)
    for statut in StatutParticipation.values:
        ParticipationFactory(evenement=evenement, statut=statut)

    en_python = sum(p.occupe_une_place for p in evenement.participations.all())
    en_sql = Evenement.objects.avec_places_prises().get(pk=evenement.pk).places_prises

    assert en_python == en_sql == 2 == evenement.places_occupees()


def test_an_excused_participant_cannot_come_back_into_a_full_event():
    evenement = EvenementFactory(capacite=1)
    excuse = ParticipationFactory(evenement=evenement, statut=StatutParticipation.EXCUSE)
    ParticipationFactory(evenement=evenement)

    with pytest.raises(ValidationError, match="capacité"):
        services.enregistrer_presences(
            evenement=evenement, statuts={excuse.pk: StatutParticipation.INSCRIT}
        )
    excuse.refresh_from_db()
    assert excuse.statut == StatutParticipation.EXCUSE


def test_the_same_candidate_is_registered_once():
    participation = ParticipationFactory()

    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.inscrire_participant(
            evenement=participation.evenement, candidat=participation.candidat
        )


def test_a_cancelled_event_takes_no_registration():
    evenement = EvenementFactory()
    services.annuler_evenement(evenement=evenement)

    with pytest.raises(ValidationError, match="annulé"):
        services.inscrire_participant(evenement=evenement, candidat=CandidatFactory())
    assert evenement.est_annule


def test_capacity_never_drops_below_the_seats_taken():
    evenement = EvenementFactory(capacite=3)
    ParticipationFactory.create_batch(2, evenement=evenement)
    evenement.capacite = 1

    with pytest.raises(ValidationError) as error:
        services.modifier_evenement(evenement=evenement, ecoles=[], entreprises_hotes=[])
    assert "capacite" in error.value.message_dict
    assert Evenement.objects.get(pk=evenement.pk).capacite == 3


def test_a_new_candidate_comes_with_the_event_channel_and_source():
    evenement = EvenementFactory()
    candidat = Candidat(nom="Martin", prenom="Inès", canal=CanalSourcing.FRANCE_TRAVAIL)

    participation = services.inscrire_nouveau_candidat(evenement=evenement, candidat=candidat)

    candidat = Candidat.objects.get(pk=participation.candidat_id)
    assert candidat.canal == CanalSourcing.EVENEMENT
    assert candidat.evenement_source == evenement
    assert participation.statut == StatutParticipation.INSCRIT


def test_a_new_candidate_is_not_created_when_the_event_is_full():
    evenement = EvenementFactory(capacite=1)
    ParticipationFactory(evenement=evenement)

    with pytest.raises(ValidationError):
        services.inscrire_nouveau_candidat(
            evenement=evenement, candidat=Candidat(nom="Plein", prenom="Trop")
        )
    assert not Candidat.objects.filter(nom="Plein").exists()


def test_deleting_an_event_keeps_the_candidates_it_brought():
    evenement = EvenementFactory()
    participation = services.inscrire_nouveau_candidat(
        evenement=evenement, candidat=Candidat(nom="Reste", prenom="Fiche")
    )

    services.supprimer_evenement(evenement=evenement)

    candidat = Candidat.objects.get(pk=participation.candidat_id)
    assert candidat.evenement_source is None
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("debut", "fin", "long"),
    [
        (datetime.date(2025, 3, 3), datetime.date(2025, 4, 2), False),
        (datetime.date(2025, 3, 3), datetime.date(2025, 4, 3), True),
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 27), False),
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 28), True),
        (datetime.date(2025, 12, 15), datetime.date(2026, 1, 20), True),
    ],
)
def test_an_immersion_beyond_one_month_is_flagged(debut, fin, long):
    immersion = ImmersionFactory(date_debut=debut, date_fin=fin)

    assert immersion.depasse_un_mois is long
    assert Immersion.objects.filter(pk=immersion.pk).exists()


def test_an_immersion_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        ImmersionFactory(date_debut=datetime.date(2025, 3, 3), date_fin=datetime.date(2025, 3, 1))


def test_un_mois_apres_clamps_to_the_end_of_a_short_month():
    assert un_mois_apres(datetime.date(2024, 1, 31)) == datetime.date(2024, 2, 29)


def test_a_conclusive_immersion_pre_selects_the_candidate():
    immersion = ImmersionFactory(resultat=ResultatImmersion.CONCLUANTE)

    services.preselectionner(immersion=immersion)

    immersion.candidat.refresh_from_db()
    assert immersion.candidat.statut == Candidat.Statut.PRESELECTIONNE


def test_an_immersion_without_conclusion_does_not_pre_select():
    immersion = ImmersionFactory(resultat=ResultatImmersion.NON_CONCLUANTE)

    with pytest.raises(ValidationError):
        services.preselectionner(immersion=immersion)
    immersion.candidat.refresh_from_db()
    assert immersion.candidat.statut == Candidat.Statut.A_CONTACTER


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
)
def test_two_staff_registering_the_last_seat_at_once_get_one_participant(monkeypatch):
    evenement = EvenementFactory(capacite=1)
    candidats = CandidatFactory.create_batch(2)
    barrier = threading.Barrier(2)
    refus = []
    # Each registration waits, once its seat is counted, for the other to count too: without
    # the event's lock both would see the free seat; with it the second counts only after
    # the first has committed, and the first's wait times out.
    verifier_place = services._verifier_place
    apres_le_compte = threading.Barrier(2, timeout=2)

    def compter_puis_attendre(*args, **kwargs):
        verifier_place(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            apres_le_compte.wait()

    monkeypatch.setattr(services, "_verifier_place", compter_puis_attendre)

    def register(candidat):
        barrier.wait()
        try:
            services.inscrire_participant(evenement=evenement, candidat=candidat)
        except ValidationError as error:
            refus.extend(error.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=[candidat]) for candidat in candidats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Participation.objects.filter(evenement=evenement).count() == 1
    assert refus == [services.COMPLET]


def test_an_attendance_import_with_one_bad_row_saves_nothing():
    evenement = EvenementFactory()
    alice = ParticipationFactory(
        evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice"
    )
    ParticipationFactory(evenement=evenement, candidat__nom="Durand", candidat__prenom="Bruno")
    contenu = "Nom;Prénom;Statut\nMartin;Alice;présent\nDurand;Bruno;peut-être\n".encode()

    with pytest.raises(ValidationError, match="Ligne 3"):
        services.importer_presences(evenement=evenement, contenu=contenu)

    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.INSCRIT
