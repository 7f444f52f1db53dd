import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from parcours.models import TypePhase
from presences import services
from presences.models import Creneau, Moment, Presence, StatutPresence
from presences.services import Saisie
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LUNDI = D(2025, 1, 6)


def grille_url(cohorte, lundi=LUNDI):
    return f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={lundi:%Y-%m-%d}"


def creneaux_de_la_semaine(cohorte, lundi=LUNDI):
    return list(
        Creneau.objects.filter(
            cohorte=cohorte, date__range=(lundi, lundi + datetime.timedelta(days=4))
        )
    )


def champ(inscription, creneau, nom="statut"):
    return f"{nom}-{inscription.pk}-{creneau.pk}"


def test_the_cohort_page_links_to_the_grid(client_staff, cohorte_bethune):
    html = client_staff.get(reverse("parcours:cohorte", args=[cohorte_bethune.pk])).text

    assert reverse("presences:grille", args=[cohorte_bethune.pk]) in html


def test_staff_see_the_week_with_its_half_days_and_trainees(client_staff, cohorte_bethune):
    InscriptionFactory(cohorte=cohorte_bethune, candidat__nom="Lefèvre", candidat__prenom="Léa")

    response = client_staff.get(grille_url(cohorte_bethune))

    html = response.text
    assert "Présences de la semaine du 06/01/2025 au 10/01/2025" in html
    assert "Lefèvre Léa" in html
    assert html.count('name="tous_presents"') == 10
    assert "?semaine=2025-01-13" in html
    assert 'rel="prev"' not in html


def test_a_week_outside_the_cohort_is_brought_back_within_it(client_staff, cohorte_bethune):
    response = client_staff.get(grille_url(cohorte_bethune, D(2031, 1, 6)))

    assert "Présences de la semaine du 30/06/2025 au 04/07/2025" in response.text


def test_a_wrong_week_shows_the_cohort_rather_than_an_error(client_staff, cohorte_bethune):
    response = client_staff.get(
        reverse("presences:grille", args=[cohorte_bethune.pk]), {"semaine": "lundi"}
    )

    assert response.status_code == 200


def test_staff_save_a_week_in_one_post(client_staff, staff_user, cohorte_bethune):
    lea, marc = InscriptionFactory.create_batch(2, cohorte=cohorte_bethune)
    creneaux = creneaux_de_la_semaine(cohorte_bethune)
    data = {
        champ(inscription, creneau): "present"
        for inscription in [lea, marc]
        for creneau in creneaux
    }
    lundi_matin = next(c for c in creneaux if c.date == LUNDI and c.moment == Moment.MATIN)
    data[champ(marc, lundi_matin)] = "retard"
    data[champ(marc, lundi_matin, "minutes")] = "15"

    response = client_staff.post(grille_url(cohorte_bethune), data)

    assert response.status_code == 302
    assert Presence.objects.count() == 20
    retard = Presence.objects.get(inscription=marc, creneau=lundi_matin)
    assert (retard.statut, retard.minutes_retard, str(retard.heures_realisees)) == (
        "retard",
        15,
        "3.2",
    )
    assert retard.saisie_par == staff_user
    assert "Présences enregistrées : 20 saisie(s)" in client_staff.get(response.url).text


def test_everyone_present_without_javascript_fills_the_blank_cells(client_staff, cohorte_bethune):
    lea, marc = InscriptionFactory.create_batch(2, cohorte=cohorte_bethune)
    creneau = creneaux_de_la_semaine(cohorte_bethune)[0]
    data = {
        "tous_presents": str(creneau.pk),
        champ(marc, creneau): "absent_justifie",
        champ(marc, creneau, "motif"): "Rendez-vous médical",
    }

    client_staff.post(grille_url(cohorte_bethune), data)

    statuts = dict(Presence.objects.values_list("inscription_id", "statut"))
    assert statuts == {lea.pk: "present", marc.pk: "absent_justifie"}


def test_a_lateness_without_minutes_is_a_form_error_that_keeps_the_entry(
    client_staff, cohorte_bethune
):
    lea = InscriptionFactory(
        cohorte=cohorte_bethune, candidat__nom="Lefèvre", candidat__prenom="Léa"
    )
    premier, second = creneaux_de_la_semaine(cohorte_bethune)[:2]

    response = client_staff.post(
        grille_url(cohorte_bethune),
        {champ(lea, premier): "retard", champ(lea, second): "present"},
    )

    assert response.status_code == 200
    assert "Indiquez les minutes de retard." in response.text
    assert '<option value="retard" selected>' in response.text
    assert not Presence.objects.exists()


def test_a_trainee_before_entry_is_not_concerned_and_not_editable(client_staff, cohorte_bethune):
    tardif = InscriptionFactory(cohorte=cohorte_bethune, date_entree=D(2025, 1, 8))
    lundi = creneaux_de_la_semaine(cohorte_bethune)[0]

    html = client_staff.get(grille_url(cohorte_bethune)).text
    response = client_staff.post(grille_url(cohorte_bethune), {champ(tardif, lundi): "present"})

    assert "Non concerné" in html
    assert f'name="{champ(tardif, lundi)}"' not in html
    assert response.status_code == 302
    assert not Presence.objects.filter(inscription=tardif, creneau=lundi).exists()


def test_a_locked_week_shows_its_lock_and_refuses_a_change_without_a_reason(
    client_staff, staff_user, cohorte_bethune
):
    lea = InscriptionFactory(cohorte=cohorte_bethune)
    creneau = creneaux_de_la_semaine(cohorte_bethune)[0]
    services.enregistrer_presences(
        cohorte=cohorte_bethune,
        saisies=[Saisie(lea.pk, creneau.pk, StatutPresence.PRESENT)],
        par=staff_user,
    )
    services.verrouiller_semaine(cohorte=cohorte_bethune, lundi=LUNDI, par=staff_user)

    html = client_staff.get(grille_url(cohorte_bethune)).text
    refus = client_staff.post(
        grille_url(cohorte_bethune), {champ(lea, creneau): "absent_non_justifie"}
    )
    correction = client_staff.post(
        grille_url(cohorte_bethune),
        {champ(lea, creneau): "absent_non_justifie", "motif_correction": "Erreur de report"},
    )

    assert "Semaine verrouillée" in html
    assert refus.status_code == 200
    assert "indiquez le motif de la correction" in refus.text
    assert correction.status_code == 302
    presence = Presence.objects.get()
    assert presence.statut == StatutPresence.ABSENT_NON_JUSTIFIE
    assert presence.history.first().motif_correction == "Erreur de report"


def test_the_tablet_page_saves_one_half_day(client_staff, cohorte_bethune):
    lea = InscriptionFactory(cohorte=cohorte_bethune, candidat__prenom="Léa")
    creneau = Creneau.objects.get(cohorte=cohorte_bethune, date=LUNDI, moment=Moment.MATIN)
    url = reverse("presences:creneau", args=[creneau.pk])

    html = client_staff.get(url).text
    response = client_staff.post(url, {champ(lea, creneau): "present"})

    assert 'type="radio"' in html
    assert "lundi 06/01/2025, matin" in html
    assert response.status_code == 302
    assert Presence.objects.get().statut == StatutPresence.PRESENT


# Partners


@pytest.fixture
def greta():
    return EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)


@pytest.fixture
def cambrai(greta):
    return CohorteFactory(
        parcours__ecole=EcoleFactory(ville="Cambrai", organismes_formation=[greta]),
        date_debut=LUNDI,
    )


@pytest.fixture
def douai():
    return CohorteFactory(parcours__ecole=EcoleFactory(ville="Douai"), date_debut=LUNDI)


@pytest.fixture
def formateur(client, greta):
    partenaire = PartenaireFactory(appartenance__entreprise=greta)
    client.force_login(partenaire)
    return client


def test_the_training_organisation_enters_cambrai_s_theory(formateur, cambrai):
    lea = InscriptionFactory(cohorte=cambrai)
    creneau = creneaux_de_la_semaine(cambrai)[0]

    response = formateur.post(grille_url(cambrai), {champ(lea, creneau): "present"})

    assert response.status_code == 302
    presence = Presence.objects.get()
    assert presence.saisie_par.appartenances.get().entreprise.nom == "GRETA du Grand Hainaut"


def test_the_training_organisation_gets_404_on_douai(formateur, douai):
    lea = InscriptionFactory(cohorte=douai)
    creneau = creneaux_de_la_semaine(douai)[0]

    assert formateur.get(grille_url(douai)).status_code == 404
    assert formateur.post(grille_url(douai), {champ(lea, creneau): "present"}).status_code == 404
    assert formateur.get(reverse("presences:creneau", args=[creneau.pk])).status_code == 404
    assert not Presence.objects.exists()


def test_the_training_organisation_does_not_enter_internship_days(formateur, cambrai):
    lea = InscriptionFactory(cohorte=cambrai)
    stage = Creneau.objects.filter(cohorte=cambrai, type=TypePhase.STAGE).first()

    html = formateur.get(grille_url(cambrai, stage.date)).text
    response = formateur.post(grille_url(cambrai, stage.date), {champ(lea, stage): "present"})

    assert f'name="{champ(lea, stage)}"' not in html
    assert formateur.get(reverse("presences:creneau", args=[stage.pk])).status_code == 404
    assert response.status_code == 302
    assert not Presence.objects.exists()


@pytest.fixture
def ampere():
    return EntrepriseFactory(nom="Ampere")


@pytest.fixture
def bethune(ampere):
    minth = EntrepriseFactory(nom="Minth")
    return CohorteFactory(
        parcours__ecole=EcoleFactory(ville="Béthune", entreprises_adherentes=[ampere, minth]),
        date_debut=LUNDI,
    )


@pytest.fixture
def tuteur_ampere(client, ampere):
    client.force_login(PartenaireFactory(appartenance__entreprise=ampere))
    return client


def test_ampere_enters_only_its_own_trainees_internship_days(tuteur_ampere, bethune, ampere):
    chez_ampere = InscriptionFactory(cohorte=bethune, candidat__nom="Ampériste")
    chez_minth = InscriptionFactory(cohorte=bethune, candidat__nom="Minthois")
    StageFactory(inscription=chez_ampere, entreprise=ampere)
    StageFactory(inscription=chez_minth, entreprise=EntrepriseFactory(nom="Minth"))
    stage = Creneau.objects.filter(cohorte=bethune, type=TypePhase.STAGE).first()
    theorie = Creneau.objects.filter(cohorte=bethune, type=TypePhase.THEORIE).first()

    html = tuteur_ampere.get(grille_url(bethune, stage.date)).text
    autre = tuteur_ampere.post(
        grille_url(bethune, stage.date), {champ(chez_minth, stage): "present"}
    )
    sien = tuteur_ampere.post(
        grille_url(bethune, stage.date), {champ(chez_ampere, stage): "present"}
    )

    assert "Ampériste" in html
    assert "Minthois" not in html
    assert autre.status_code == 302
    assert sien.status_code == 302
    assert list(Presence.objects.values_list("inscription_id", flat=True)) == [chez_ampere.pk]
    assert tuteur_ampere.get(reverse("presences:creneau", args=[theorie.pk])).status_code == 404
    assert tuteur_ampere.get(reverse("presences:creneau", args=[stage.pk])).status_code == 200


def test_a_forged_cell_of_another_trainee_is_refused_by_the_service(bethune, ampere):
    chez_minth = InscriptionFactory(cohorte=bethune)
    StageFactory(inscription=InscriptionFactory(cohorte=bethune), entreprise=ampere)
    stage = Creneau.objects.filter(cohorte=bethune, type=TypePhase.STAGE).first()
    partenaire = PartenaireFactory(appartenance__entreprise=ampere)

    with pytest.raises(services.SaisieInterdite):
        services.enregistrer_presences(
            cohorte=bethune,
            saisies=[Saisie(chez_minth.pk, stage.pk, StatutPresence.PRESENT)],
            par=partenaire,
        )


def test_a_host_company_without_a_trainee_in_the_cohort_gets_404(tuteur_ampere, bethune):
    InscriptionFactory(cohorte=bethune)

    assert tuteur_ampere.get(grille_url(bethune)).status_code == 404


def test_the_partner_pages_link_to_the_grid(tuteur_ampere, ampere):
    # Running: the partner's home lists the internships not over yet.
    bethune = CohorteFactory(parcours__ecole=EcoleFactory(entreprises_adherentes=[ampere]))
    StageFactory(inscription=InscriptionFactory(cohorte=bethune), entreprise=ampere)

    cohorte = tuteur_ampere.get(reverse("partenaires:cohorte", args=[bethune.pk])).text
    ecoles = tuteur_ampere.get(reverse("partenaires:ecoles")).text

    assert reverse("presences:grille", args=[bethune.pk]) in cohorte
    assert reverse("presences:grille", args=[bethune.pk]) in ecoles


# Concurrency


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
)
def test_two_people_saving_the_same_week_at_once_give_one_row_per_cell():
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscriptions = InscriptionFactory.create_batch(3, cohorte=cohorte)
    creneaux = creneaux_de_la_semaine(cohorte)
    barrier = threading.Barrier(2)
    statuses = []

    def save(statut):
        client = Client()
        client.force_login(UserFactory())
        data = {champ(i, c): statut for i in inscriptions for c in creneaux}
        barrier.wait()
        statuses.append(client.post(grille_url(cohorte), data).status_code)
        connections.close_all()

    threads = [
        threading.Thread(target=save, args=[statut])
        for statut in ["present", "absent_non_justifie"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert Presence.objects.count() == len(inscriptions) * len(creneaux)
    # One save came after the other: the week is all of one of them.
    assert Presence.objects.values("statut").distinct().count() == 1


def test_a_cell_written_meanwhile_refuses_the_save_rather_than_doubling_it(
    cohorte_bethune, staff_user, monkeypatch
):
    lea = InscriptionFactory(cohorte=cohorte_bethune)
    creneau = creneaux_de_la_semaine(cohorte_bethune)[0]
    original = services._creer

    def creer_apres_un_autre(presences, par):
        # A row for the same cell, written after this save read the week.
        Presence.objects.create(
            inscription=lea, creneau=creneau, statut=StatutPresence.PRESENT, heures_realisees=3
        )
        original(presences, par)

    monkeypatch.setattr(services, "_creer", creer_apres_un_autre)

    with pytest.raises(ValidationError, match="rechargez la page"):
        services.enregistrer_presences(
            cohorte=cohorte_bethune,
            saisies=[Saisie(lea.pk, creneau.pk, StatutPresence.ABSENT_NON_JUSTIFIE)],
            par=staff_user,
        )

    # The whole save is undone: no second row, no half-written week.
    assert not Presence.objects.exists()


# Issue 16: a very large cohort's grid is shown a page of trainees at a time.


def test_a_large_cohort_s_grid_shows_25_trainees_a_page_and_keeps_the_week(
    client_staff, cohorte_bethune
):
    for numero in range(27):
        InscriptionFactory(
            cohorte=cohorte_bethune, candidat__nom=f"Stagiaire{numero:02d}", candidat__prenom="Test"
        )

    premiere = client_staff.get(grille_url(cohorte_bethune)).text
    seconde = client_staff.get(grille_url(cohorte_bethune) + "&page=2").text

    assert "Stagiaire00 Test" in premiere and "Stagiaire24 Test" in premiere
    assert "Stagiaire25 Test" not in premiere
    assert "Stagiaires 1 à 25 sur 27" in premiere
    assert "semaine=2025-01-06&amp;page=2" in premiere
    assert "Stagiaire25 Test" in seconde and "Stagiaire26 Test" in seconde
    assert "Stagiaire00 Test" not in seconde
    # The next week, on the same page of trainees.
    assert "semaine=2025-01-13&amp;page=2" in seconde


def test_saving_the_second_page_of_a_grid_saves_its_trainees_and_comes_back_to_it(
    client_staff, cohorte_bethune
):
    inscriptions = [
        InscriptionFactory(
            cohorte=cohorte_bethune, candidat__nom=f"Stagiaire{numero:02d}", candidat__prenom="Test"
        )
        for numero in range(27)
    ]
    creneau = creneaux_de_la_semaine(cohorte_bethune)[0]

    response = client_staff.post(
        grille_url(cohorte_bethune) + "&page=2",
        {"tous_presents": str(creneau.pk)},
    )

    assert response.status_code == 302
    assert response.url.endswith("semaine=2025-01-06&page=2")
    assert set(
        Presence.objects.filter(creneau=creneau).values_list("inscription_id", flat=True)
    ) == {inscriptions[25].pk, inscriptions[26].pk}
