"""The ICS feed of a school: what it holds, what it never holds, and who may read it."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.flux import domaine_des_uid
from agenda.models import VersionPubliee
from parcours.dates import add_months, months_between
from parcours.models import PhaseCohorte, echeance_du_suivi
from parcours.services import PhasePlanifiee, planifier_calendrier
from tests.factories import CandidatFactory, CohorteFactory, EcoleFactory, InscriptionFactory

from .helpers import evenement, jeton_du_chemin, lire, nouveau_calendrier

pytestmark = pytest.mark.django_db
UN_JOUR = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def cache_vide():
    cache.clear()


@pytest.fixture
def ecole():
    return EcoleFactory(nom="École de la Maintenance", ville="Cambrai")


@pytest.fixture
def cohorte(ecole):
    return CohorteFactory(parcours__ecole=ecole, nom="Maintenance Cambrai 2026", places=12)


def test_feed_parses_back_with_phases_events_and_check_in_due_dates(client, ecole, cohorte):
    job_dating = evenement(ecole, date=timezone.localdate() + datetime.timedelta(days=20))
    _, chemin = nouveau_calendrier(ecole)

    response = client.get(chemin)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    entrees = lire(response)
    domaine = domaine_des_uid()
    phases = list(cohorte.phases.order_by("ordre"))
    mois = list(months_between(cohorte.date_debut, cohorte.date_fin))
    assert set(entrees) == {
        *(f"cohorte-phase-{phase.pk}@{domaine}" for phase in phases),
        f"evenement-{job_dating.pk}@{domaine}",
        *(f"suivi-{cohorte.pk}-{un_mois:%Y-%m}@{domaine}" for un_mois in mois),
    }
    premiere = entrees[f"cohorte-phase-{phases[0].pk}@{domaine}"]
    # All day, with the exclusive end iCalendar wants.
    assert premiere.decoded("DTSTART") == phases[0].date_debut
    assert premiere.decoded("DTEND") == phases[0].date_fin + UN_JOUR
    assert str(premiere["SUMMARY"]) == f"Maintenance Cambrai 2026 — {phases[0].intitule}"
    assert premiere["SEQUENCE"] == 0
    rencontre = entrees[f"evenement-{job_dating.pk}@{domaine}"]
    assert str(rencontre["SUMMARY"]) == "Job dating — Job dating maintenance"
    assert str(rencontre["LOCATION"]) == "Salle des fêtes de Cambrai"
    debut = rencontre.decoded("DTSTART")
    assert (debut.date(), debut.hour, debut.minute) == (job_dating.date, 9, 30)
    assert str(debut.tzinfo) == "Europe/Paris"
    suivi = entrees[f"suivi-{cohorte.pk}-{mois[0]:%Y-%m}@{domaine}"]
    assert suivi.decoded("DTSTART") == echeance_du_suivi(mois[0])
    assert suivi.decoded("DTSTART").day == 10


def test_feed_of_a_school_holds_nothing_of_another_school(client, ecole, cohorte):
    autre = EcoleFactory()
    CohorteFactory(parcours__ecole=autre, nom="Logistique Douai")
    evenement(autre, titre="Forum de Douai", date=timezone.localdate())
    _, chemin = nouveau_calendrier(ecole)

    contenu = client.get(chemin).content.decode()

    assert "Logistique Douai" not in contenu
    assert "Forum de Douai" not in contenu


def test_feed_keeps_entries_of_the_last_twelve_months_and_the_future_only(client, ecole):
    today = timezone.localdate()
    ancienne = CohorteFactory(
        parcours__ecole=ecole, nom="Ancienne", date_debut=add_months(today, -20)
    )
    evenement(ecole, titre="Forum d'il y a deux ans", date=add_months(today, -24))
    _, chemin = nouveau_calendrier(ecole)

    contenu = client.get(chemin).content.decode()

    assert ancienne.date_fin < add_months(today, -12)
    assert "Ancienne" not in contenu
    assert "Forum d'il y a deux ans" not in contenu


def test_uids_stay_and_a_moved_phase_gets_a_new_sequence(client, ecole, cohorte):
    _, chemin = nouveau_calendrier(ecole)
    domaine = domaine_des_uid()
    avant = lire(client.get(chemin))
    theorie, stage, fin = cohorte.phases.order_by("ordre")
    uid = f"cohorte-phase-{stage.pk}@{domaine}"
    inchangee = f"cohorte-phase-{fin.pk}@{domaine}"
    assert lire(client.get(chemin))[uid]["SEQUENCE"] == 0
    # An hour has passed since: the feed's dates are to the second.
    VersionPubliee.objects.update(modifiee_le=timezone.now() - datetime.timedelta(hours=1))
    avant = lire(client.get(chemin))

    # The internship starts a week later: the theory before it lasts a week longer.
    semaine = datetime.timedelta(weeks=1)
    planifier_calendrier(
        cohorte=cohorte,
        phases=[
            PhasePlanifiee(
                pk=theorie.pk,
                intitule=theorie.intitule,
                type=theorie.type,
                date_debut=theorie.date_debut,
                date_fin=theorie.date_fin + semaine,
            ),
            PhasePlanifiee(
                pk=stage.pk,
                intitule=stage.intitule,
                type=stage.type,
                date_debut=stage.date_debut + semaine,
                date_fin=stage.date_fin,
            ),
            PhasePlanifiee(
                pk=fin.pk,
                intitule=fin.intitule,
                type=fin.type,
                date_debut=fin.date_debut,
                date_fin=fin.date_fin,
            ),
        ],
    )
    apres = lire(client.get(chemin))

    assert set(apres) == set(avant)
    assert apres[uid]["SEQUENCE"] == 1
    assert apres[uid].decoded("DTSTART") == stage.date_debut + semaine
    assert apres[uid].decoded("LAST-MODIFIED") > avant[uid].decoded("LAST-MODIFIED")
    assert apres[uid].decoded("DTSTAMP") == apres[uid].decoded("LAST-MODIFIED")
    assert apres[inchangee]["SEQUENCE"] == 0
    assert apres[inchangee].decoded("LAST-MODIFIED") == avant[inchangee].decoded("LAST-MODIFIED")


def test_an_unchanged_feed_reads_the_same_again(client, ecole, cohorte):
    evenement(ecole, date=timezone.localdate())
    _, chemin = nouveau_calendrier(ecole)

    assert client.get(chemin).content == client.get(chemin).content


def test_a_cancelled_event_stays_with_its_uid_and_is_marked_cancelled(client, ecole):
    forum = evenement(ecole, titre="Forum de l'emploi", date=timezone.localdate())
    _, chemin = nouveau_calendrier(ecole)
    uid = f"evenement-{forum.pk}@{domaine_des_uid()}"
    assert str(lire(client.get(chemin))[uid]["STATUS"]) == "CONFIRMED"

    forum.annule_le = timezone.now()
    forum.save()
    entree = lire(client.get(chemin))[uid]

    assert str(entree["STATUS"]) == "CANCELLED"
    assert entree["SEQUENCE"] == 1


def test_an_event_without_hours_is_an_all_day_entry(client, ecole):
    jour = timezone.localdate()
    visite = evenement(ecole, type="visite", date=jour, heure_debut=None, heure_fin=None)
    _, chemin = nouveau_calendrier(ecole)

    entree = lire(client.get(chemin))[f"evenement-{visite.pk}@{domaine_des_uid()}"]

    assert entree.decoded("DTSTART") == jour
    assert entree.decoded("DTEND") == jour + UN_JOUR


def test_feed_holds_no_trainee_or_participant_name(client, ecole, cohorte):
    stagiaire = CandidatFactory(nom="Zébulon", prenom="Théodora", email="theodora@example.org")
    InscriptionFactory(cohorte=cohorte, candidat=stagiaire)
    forum = evenement(ecole, date=timezone.localdate())
    participant = CandidatFactory(nom="Quasimodo", prenom="Esmeralda")
    forum.participations.create(candidat=participant, statut="inscrit")
    _, chemin = nouveau_calendrier(ecole)

    contenu = client.get(chemin).content.decode()

    for texte in ("Zébulon", "Théodora", "theodora@example.org", "Quasimodo", "Esmeralda"):
        assert texte not in contenu


def test_the_feed_is_private_to_its_reader_and_needs_no_sign_in(client, ecole, cohorte):
    calendrier, chemin = nouveau_calendrier(ecole)

    response = client.get(chemin)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    calendrier.refresh_from_db()
    assert calendrier.consulte_le is not None


def test_a_revoked_token_gets_a_404(client, ecole, cohorte, staff_user):
    calendrier, chemin = nouveau_calendrier(ecole)
    assert client.get(chemin).status_code == 200

    services.revoquer_calendrier(calendrier=calendrier, par=staff_user)

    assert client.get(chemin).status_code == 404


def test_an_unknown_token_gets_a_404(client, ecole):
    nouveau_calendrier(ecole)

    response = client.get(reverse("agenda:flux", kwargs={"jeton": "jeton-invente"}))

    assert response.status_code == 404


def test_the_database_keeps_only_the_hash_of_the_token(ecole):
    calendrier, chemin = nouveau_calendrier(ecole)
    jeton = jeton_du_chemin(chemin)

    calendrier.refresh_from_db()
    assert jeton not in calendrier.empreinte
    assert len(calendrier.empreinte) == 64
    assert services.calendrier_du_jeton(jeton) == calendrier


def test_a_client_past_its_hourly_budget_gets_429(client, ecole, settings):
    settings.PORTAIL_AGENDA_REQUETES_PAR_HEURE = 3
    _, chemin = nouveau_calendrier(ecole)
    inconnu = reverse("agenda:flux", kwargs={"jeton": "jeton-invente"})

    statuts = [client.get(inconnu).status_code for _ in range(3)]

    assert statuts == [404, 404, 404]
    assert client.get(chemin).status_code == 429


def test_a_post_to_the_feed_is_refused(client, ecole):
    _, chemin = nouveau_calendrier(ecole)

    assert client.post(chemin).status_code == 405


@pytest.mark.parametrize("rows", [1, 50])
def test_the_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries, ecole, rows):
    for numero in range(rows):
        cohorte = CohorteFactory(parcours__ecole=ecole, nom=f"Cohorte {numero}", places=12)
        InscriptionFactory(cohorte=cohorte)
        evenement(ecole, titre=f"Réunion {numero}", date=timezone.localdate())
    _, chemin = nouveau_calendrier(ecole)
    client.get(chemin)
    # A phase moved, so one version is updated as well.
    PhaseCohorte.objects.filter(pk=cohorte.phases.get(ordre=1).pk).update(intitule="Accueil")
    cache.clear()

    # In the request's transaction (SAVEPOINT … RELEASE): the client's count in the cache
    # (read it, count the table for culling, then SAVEPOINT, SELECT, INSERT, RELEASE to
    # write it), the token with its school, the last reading's date, the phases with their
    # cohort, the events, the cohorts of the due dates, then in SAVEPOINT … RELEASE the
    # versions under lock and the changed one's update. No session for a calendar app.
    with django_assert_num_queries(17):
        response = client.get(chemin)

    assert response.status_code == 200
    mois = len(list(months_between(cohorte.date_debut, cohorte.date_fin)))
    assert len(lire(response)) == rows * (cohorte.phases.count() + 1 + mois)
