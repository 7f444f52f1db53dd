"""Staff plan cohorts on their own pages: creation, calendar, seats and host companies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import Cohorte, Inscription, Stage, TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CREER = reverse("parcours:cohorte_creer")


def today():
    return timezone.localdate()


# Creating a cohort


def test_the_preview_lays_the_track_out_with_working_days_and_public_holidays(client_staff):
    parcours = ParcoursFactory(nom="Conduite de ligne", ecole__ville="Béthune")

    html = client_staff.post(
        CREER,
        {"parcours": parcours.pk, "date_debut": "2025-04-07", "places": "12", "apercu": ""},
    ).text

    assert "Béthune Conduite de ligne — 04/2025" in html
    # Easter Monday, 1 and 8 May, Ascension Thursday and Whit Monday fall in the phases.
    for ferie in ["Lundi de Pâques", "Fête du Travail", "Ascension", "Lundi de Pentecôte"]:
        assert ferie in html
    # 6 weeks from 7 April hold 30 weekdays, less Easter Monday, 1 May and 8 May.
    assert "<td>27</td>" in html
    assert not Cohorte.objects.exists()


def test_staff_create_a_cohort_from_a_track(client_staff):
    parcours = ParcoursFactory(nom="Conduite de ligne", ecole__ville="Béthune")

    response = client_staff.post(
        CREER,
        {"parcours": parcours.pk, "date_debut": "2025-01-13", "places": "12", "creer": ""},
        follow=True,
    )

    cohorte = Cohorte.objects.get()
    assert response.redirect_chain[-1][0] == reverse("parcours:cohorte", args=[cohorte.pk])
    assert cohorte.nom == "Béthune Conduite de ligne — 01/2025"
    assert cohorte.phases.count() == 3
    assert "La cohorte « Béthune Conduite de ligne — 01/2025 » est créée." in response.text


def test_a_second_cohort_of_the_same_month_gets_a_numbered_name(client_staff):
    parcours = ParcoursFactory(nom="Conduite de ligne", ecole__ville="Béthune")
    data = {"parcours": parcours.pk, "date_debut": "2025-01-13", "places": "12", "creer": ""}
    client_staff.post(CREER, data)

    client_staff.post(CREER, data)

    assert sorted(Cohorte.objects.values_list("nom", flat=True)) == [
        "Béthune Conduite de ligne — 01/2025",
        "Béthune Conduite de ligne — 01/2025 (2)",
    ]


def test_a_double_submit_with_a_typed_name_creates_one_cohort(client_staff):
    parcours = ParcoursFactory()
    data = {
        "parcours": parcours.pk,
        "date_debut": "2025-01-13",
        "places": "12",
        "nom": "Promo janvier",
        "creer": "",
    }
    client_staff.post(CREER, data)

    html = client_staff.post(CREER, data).text

    assert Cohorte.objects.count() == 1
    assert "Une cohorte de ce parcours s&#x27;appelle déjà « Promo janvier »." in html
    assert 'value="Promo janvier"' in html


def test_creation_form_errors_keep_what_was_typed(client_staff):
    parcours = ParcoursFactory()

    html = client_staff.post(
        CREER, {"parcours": parcours.pk, "date_debut": "", "places": "0", "nom": "Ma promo"}
    ).text

    assert 'value="Ma promo"' in html
    assert "Ce champ est obligatoire." in html
    assert not Cohorte.objects.exists()


def test_an_inactive_track_is_neither_offered_nor_accepted(client_staff):
    inactive = ParcoursFactory(nom="Ancien parcours", actif=False)

    html = client_staff.get(CREER).text

    assert "Ancien parcours" not in html
    response = client_staff.post(
        CREER, {"parcours": inactive.pk, "date_debut": "2025-01-13", "places": "12", "creer": ""}
    )
    assert response.status_code == 200
    assert not Cohorte.objects.exists()


# The calendar


def calendar_data(cohorte, rows, extra=None):
    """The calendar form with `rows` as (phase or None, intitule, type, start, end)."""
    data = {
        "phases-TOTAL_FORMS": str(len(rows) + (1 if extra else 0)),
        "phases-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
    }
    for index, (phase, intitule, type_phase, debut, fin) in enumerate(rows):
        data |= {
            f"phases-{index}-phase": phase.pk if phase else "",
            f"phases-{index}-intitule": intitule,
            f"phases-{index}-type": type_phase,
            f"phases-{index}-date_debut": debut.isoformat(),
            f"phases-{index}-date_fin": fin.isoformat(),
        }
    return data


def current_rows(cohorte):
    return [
        (phase, phase.intitule, phase.type, phase.date_debut, phase.date_fin)
        for phase in cohorte.phases.order_by("ordre")
    ]


@pytest.fixture
def cohorte():
    """From Monday 6 January 2025 to Sunday 1 June: 6 weeks theory, 5 internship, 10 theory."""
    return CohorteFactory(date_debut=D(2025, 1, 6))


def post_calendar(client, cohorte, rows):
    return client.post(
        reverse("parcours:cohorte_calendrier", args=[cohorte.pk]), calendar_data(cohorte, rows)
    )


def test_the_calendar_page_shows_the_phases_working_days_and_holidays(client_staff, cohorte):
    html = client_staff.get(reverse("parcours:cohorte_calendrier", args=[cohorte.pk])).text

    assert 'value="Stage en entreprise"' in html
    assert "Lundi de Pâques" in html
    assert "jours ouvrés, jours fériés exclus" in html


def test_moving_the_internship_a_week_later_with_a_break_is_saved(client_staff, cohorte):
    theorie, stage, fin = current_rows(cohorte)
    rows = [
        theorie,
        (None, "Congés d'hiver", TypePhase.INTERRUPTION, D(2025, 2, 17), D(2025, 2, 23)),
        (stage[0], stage[1], stage[2], D(2025, 2, 24), D(2025, 3, 30)),
        (fin[0], fin[1], fin[2], D(2025, 3, 31), D(2025, 6, 8)),
    ]
    rows[0] = (theorie[0], theorie[1], theorie[2], D(2025, 1, 6), D(2025, 2, 16))

    response = post_calendar(client_staff, cohorte, rows)

    assert response.status_code == 302
    cohorte.refresh_from_db()
    assert [(p.intitule, p.date_debut) for p in cohorte.phases.order_by("ordre")] == [
        ("Théorie : fondamentaux", D(2025, 1, 6)),
        ("Congés d'hiver", D(2025, 2, 17)),
        ("Stage en entreprise", D(2025, 2, 24)),
        ("Théorie : approfondissement", D(2025, 3, 31)),
    ]
    assert cohorte.date_fin == D(2025, 6, 8)


@pytest.mark.parametrize(
    ("stage_debut", "message"),
    [
        (D(2025, 2, 10), "avant la fin de « Théorie : fondamentaux »"),
        (D(2025, 3, 3), "aucune phase n&#x27;est prévue"),
    ],
    ids=["overlap", "gap"],
)
def test_overlapping_or_gapped_phases_are_refused(client_staff, cohorte, stage_debut, message):
    theorie, stage, fin = current_rows(cohorte)
    rows = [theorie, (stage[0], stage[1], stage[2], stage_debut, stage[4]), fin]

    html = post_calendar(client_staff, cohorte, rows).text

    assert message in html
    assert cohorte.phases.get(pk=stage[0].pk).date_debut == D(2025, 2, 17)
    assert 'value="Théorie : approfondissement"' in html


def test_the_calendar_is_never_shortened_before_a_recorded_exit(client_staff, cohorte):
    inscription = InscriptionFactory(cohorte=cohorte)
    SortieFactory(inscription=inscription, date_sortie=D(2025, 6, 2))
    theorie, stage, fin = current_rows(cohorte)
    rows = [theorie, stage, (fin[0], fin[1], fin[2], fin[3], D(2025, 5, 25))]

    html = post_calendar(client_staff, cohorte, rows).text

    assert "Une sortie est enregistrée le 02/06/2025" in html
    cohorte.refresh_from_db()
    assert cohorte.date_fin == D(2025, 6, 1)


def test_the_calendar_is_never_shortened_before_a_recorded_check_in(client_staff, cohorte):
    SuiviFactory(inscription=InscriptionFactory(cohorte=cohorte), mois=D(2025, 6, 1))
    theorie, stage, fin = current_rows(cohorte)
    rows = [theorie, stage, (fin[0], fin[1], fin[2], fin[3], D(2025, 5, 25))]

    html = post_calendar(client_staff, cohorte, rows).text

    assert "Le suivi de juin 2025 est enregistré" in html


def test_an_internship_with_hosts_cannot_be_deleted_from_the_calendar(client_staff, cohorte):
    StageFactory(inscription=InscriptionFactory(cohorte=cohorte))
    theorie, stage, fin = current_rows(cohorte)
    data = calendar_data(cohorte, [theorie, stage, fin])
    data["phases-1-DELETE"] = "on"
    data["phases-2-date_debut"] = stage[3].isoformat()

    html = client_staff.post(reverse("parcours:cohorte_calendrier", args=[cohorte.pk]), data).text

    assert "« Stage en entreprise » a des entreprises d&#x27;accueil" in html
    assert Stage.objects.count() == 1


def test_a_phase_of_another_cohort_cannot_be_slipped_into_the_calendar(client_staff, cohorte):
    autre = CohorteFactory().phases.first()
    theorie, stage, fin = current_rows(cohorte)
    rows = [(autre, *theorie[1:]), stage, fin]

    html = post_calendar(client_staff, cohorte, rows).text

    assert "Cette phase n&#x27;appartient pas à la cohorte." in html
    autre.refresh_from_db()
    assert autre.cohorte_id != cohorte.pk


# Seats


def test_seats_below_the_trainees_in_training_at_once_are_refused(client_staff):
    cohorte = CohorteFactory(places=6)
    InscriptionFactory.create_batch(5, cohorte=cohorte)

    html = client_staff.post(
        reverse("parcours:cohorte_modifier", args=[cohorte.pk]),
        {"nom": cohorte.nom, "places": "3"},
    ).text

    assert "elle ne peut compter moins de 5 places" in html
    cohorte.refresh_from_db()
    assert cohorte.places == 6


def test_a_seat_left_by_an_early_exit_can_be_refilled_for_the_remaining_dates(client_staff):
    cohorte = CohorteFactory(places=1, date_debut=today() - datetime.timedelta(weeks=8))
    parti = InscriptionFactory(cohorte=cohorte)
    SortieFactory(inscription=parti, date_sortie=today() - datetime.timedelta(weeks=2))
    candidat = CandidatFactory()

    page = client_staff.get(reverse("parcours:cohorte", args=[cohorte.pk])).text
    response = client_staff.post(
        reverse("parcours:inscrire", args=[cohorte.pk, candidat.pk]),
        {"date_entree": today().isoformat()},
    )

    assert "<strong>1</strong> libre" in page
    assert response.status_code == 302
    assert Inscription.objects.filter(candidat=candidat, cohorte=cohorte).exists()


def test_a_seat_is_not_refilled_on_dates_its_first_trainee_was_still_there(client_staff):
    cohorte = CohorteFactory(places=1, date_debut=today() - datetime.timedelta(weeks=8))
    parti = InscriptionFactory(cohorte=cohorte)
    SortieFactory(inscription=parti, date_sortie=today() - datetime.timedelta(weeks=2))

    html = client_staff.post(
        reverse("parcours:inscrire", args=[cohorte.pk, CandidatFactory().pk]),
        {"date_entree": (today() - datetime.timedelta(weeks=4)).isoformat()},
    ).text

    assert "La cohorte est complète (1 place)." in html


# Host companies


def test_staff_set_a_trainee_s_host_company_later(client_staff):
    inscription = InscriptionFactory()
    phase = inscription.cohorte.phases.get(type=TypePhase.STAGE)
    ampere = EntrepriseFactory(nom="Ampere")
    inscription.cohorte.parcours.ecole.entreprises_adherentes.add(ampere)
    url = reverse("parcours:stages", args=[inscription.pk])

    response = client_staff.post(url, {f"stage_{phase.pk}": ampere.pk})

    assert response.status_code == 302
    assert Stage.objects.get(inscription=inscription, phase=phase).entreprise == ampere


def test_a_host_company_outside_the_school_is_not_accepted(client_staff):
    inscription = InscriptionFactory()
    phase = inscription.cohorte.phases.get(type=TypePhase.STAGE)
    ailleurs = EntrepriseFactory()

    html = client_staff.post(
        reverse("parcours:stages", args=[inscription.pk]), {f"stage_{phase.pk}": ailleurs.pk}
    ).text

    assert "Sélectionnez un choix valide." in html
    assert not Stage.objects.exists()


def test_internships_without_host_are_listed_until_they_are_assigned(client_staff):
    sans = InscriptionFactory(candidat__nom="Sansstage")
    avec = StageFactory(inscription__candidat__nom="Avecstage")
    parti = InscriptionFactory(candidat__nom="Parti", cohorte=sans.cohorte)
    SortieFactory(inscription=parti, date_sortie=today())
    url = reverse("parcours:stages_sans_entreprise")

    html = client_staff.get(url).text

    assert "Sansstage" in html
    assert "Avecstage" not in html
    assert "Parti" not in html
    assert avec.pk
    assert "1 stage à pourvoir" in html


def test_the_cohort_page_links_to_its_internships_without_host(client_staff):
    inscription = InscriptionFactory()

    html = client_staff.get(reverse("parcours:cohorte", args=[inscription.cohorte_id])).text

    assert "1 stage à venir sans entreprise d'accueil" in html


def test_staff_page_of_an_ended_cohort_shows_each_trainee_s_host(client_staff):
    cohorte = CohorteFactory(date_debut=today() - datetime.timedelta(weeks=40))
    flex = EntrepriseFactory(nom="Flex N Gate")
    cohorte.parcours.ecole.entreprises_adherentes.add(flex)
    StageFactory(inscription=InscriptionFactory(cohorte=cohorte), entreprise=flex)

    html = client_staff.get(reverse("parcours:cohorte", args=[cohorte.pk])).text

    assert "<td>Flex N Gate<br>" in html


def test_a_phase_far_beyond_the_portal_s_dates_is_refused(client_staff, cohorte):
    theorie, stage, fin = current_rows(cohorte)
    rows = [theorie, stage, (fin[0], fin[1], fin[2], fin[3], D(9999, 12, 31))]

    html = post_calendar(client_staff, cohorte, rows).text

    assert "Choisissez une date entre le 01/01/2000 et le 31/12/2099." in html
    cohorte.refresh_from_db()
    assert cohorte.date_fin == D(2025, 6, 1)
