"""The partner's "Mes écoles" page: schools, cohorts, internships, contact, downloads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AppartenanceFactory,
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    InscriptionFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
)

TODAY = timezone.localdate()
# The Béthune track: 6 weeks of theory, then the internship.
EN_STAGE = TODAY - datetime.timedelta(weeks=7)


def home(client, user, **params):
    client.force_login(user)
    return client.get(reverse("partenaires:ecoles"), params)


def section(html, ancre):
    """The HTML of the page's section `ancre`, up to the end of that section."""
    return html.split(f'id="{ancre}"', 1)[1].split("</section>", 1)[0]


def test_each_school_says_through_which_organisation_it_is_seen(client, partenaire_a, cohorte_a):
    html = home(client, partenaire_a).content.decode()

    assert "Ampere Béthune (entreprise adhérente)" in html
    assert "Planification de l'école" in html


def test_cohorts_show_school_dates_state_trainer_and_number_of_trainees(
    client, partenaire_a, ecole_a
):
    cohorte = CohorteFactory(parcours__ecole=ecole_a, nom="Promotion Béthune 2025")
    cohorte.formateur = "Jeanne Leclerc"
    cohorte.save(update_fields=["formateur"])
    InscriptionFactory.create_batch(3, cohorte=cohorte)

    response = home(client, partenaire_a)

    [ligne] = response.context["cohortes"].page_obj
    assert ligne.nombre_stagiaires == 3
    cohortes = section(response.content.decode(), "cohortes")
    assert "École de la conduite de ligne" in cohortes
    assert f"{cohorte.date_debut:%d/%m/%Y}" in cohortes
    assert f"{cohorte.date_fin:%d/%m/%Y}" in cohortes
    assert "En cours" in cohortes
    assert "Jeanne Leclerc" in cohortes
    assert "1 cohorte, des plus récentes aux plus anciennes." in cohortes


def test_a_cohort_without_trainer_says_so(client, partenaire_a, cohorte_a):
    assert "Non renseigné" in section(home(client, partenaire_a).content.decode(), "cohortes")


def test_internships_under_way_and_upcoming_are_listed_apart(client, partenaire_a, ecole_a):
    en_cours = StageFactory(
        inscription__cohorte=CohorteFactory(parcours__ecole=ecole_a, date_debut=EN_STAGE),
        inscription__candidat=CandidatFactory(prenom="Inès", nom="Zerrouki"),
    )
    a_venir = StageFactory(
        inscription__cohorte=CohorteFactory(parcours__ecole=ecole_a),
        inscription__candidat=CandidatFactory(prenom="Paul", nom="Bientôt"),
    )
    assert en_cours.phase.date_debut <= TODAY < a_venir.phase.date_debut

    html = home(client, partenaire_a).content.decode()

    du_jour, prevus = section(html, "stages-en-cours"), section(html, "stages-a-venir")
    assert "Stages en cours" in du_jour
    assert "Inès Zerrouki" in du_jour
    assert f"{en_cours.phase.date_fin:%d/%m/%Y}" in du_jour
    assert "Paul Bientôt" not in du_jour
    assert "Stages à venir" in prevus
    assert "Paul Bientôt" in prevus
    assert f"{a_venir.phase.date_debut:%d/%m/%Y}" in prevus
    assert "Inès Zerrouki" not in prevus


def test_a_single_host_company_is_not_repeated_on_each_internship(client, partenaire_a, cohorte_a):
    StageFactory(inscription__cohorte=cohorte_a)

    html = home(client, partenaire_a).content.decode()

    prevus = section(html, "stages-a-venir")
    assert "Entreprise d'accueil" not in prevus
    assert "Ampere Béthune" not in prevus


def test_a_partner_of_two_host_companies_sees_which_one_hosts(
    client, partenaire_a, ecole_a, cohorte_a
):
    seconde = EntrepriseFactory(nom="Ampere Arras")
    ecole_a.entreprises_adherentes.add(seconde)
    AppartenanceFactory(user=partenaire_a, entreprise=seconde)
    StageFactory(inscription__cohorte=cohorte_a, entreprise=seconde)

    prevus = section(home(client, partenaire_a).content.decode(), "stages-a-venir")

    assert "Entreprise d'accueil" in prevus
    assert "Ampere Arras" in prevus


def test_internships_elsewhere_ended_or_of_trainees_who_left_are_not_listed(
    client, partenaire_a, ecole_a, cohorte_a
):
    ailleurs = InscriptionFactory(
        cohorte=cohorte_a, candidat=CandidatFactory(prenom="Paul", nom="Ailleurs")
    )
    autre_entreprise = EntrepriseFactory()
    ecole_a.entreprises_adherentes.add(autre_entreprise)
    StageFactory(inscription=ailleurs, entreprise=autre_entreprise)
    ancienne = CohorteFactory(
        parcours__ecole=ecole_a, date_debut=TODAY - datetime.timedelta(weeks=30)
    )
    termine = InscriptionFactory(
        cohorte=ancienne, candidat=CandidatFactory(prenom="Anne", nom="Passée")
    )
    StageFactory(inscription=termine)
    parti = InscriptionFactory(
        cohorte=cohorte_a,
        candidat=CandidatFactory(prenom="Luc", nom="Parti"),
    )
    StageFactory(inscription=parti)
    SortieFactory(inscription=parti, date_sortie=TODAY)

    response = home(client, partenaire_a)

    assert response.context["stages_en_cours"].page_obj.paginator.count == 0
    assert response.context["stages_a_venir"].page_obj.paginator.count == 0
    html = response.content.decode()
    assert "Aucun stage en cours dans votre entreprise aujourd'hui." in html
    assert "Aucun stage à venir dans votre entreprise" in html


def test_a_training_organisation_has_no_internship_lists(client, ecole_a):
    organisme = EntrepriseFactory(organisme_formation=True)
    ecole_a.organismes_formation.add(organisme)

    response = home(client, PartenaireFactory(appartenance__entreprise=organisme))

    assert response.context["stages_en_cours"] is None
    assert "Stages en cours" not in response.content.decode()


def test_the_follow_up_team_contact_is_shown(client, settings, partenaire_a, cohorte_a):
    settings.PORTAIL_CONTACT_SUIVI_EMAIL = "suivi.bethune@example.org"
    settings.PORTAIL_CONTACT_SUIVI_TELEPHONE = "03 21 00 00 00"

    html = home(client, partenaire_a).content.decode()

    assert "Votre contact pour le suivi des stagiaires" in html
    assert 'href="mailto:suivi.bethune@example.org"' in html
    assert 'href="tel:0321000000"' in html


def test_without_a_phone_the_contact_gives_the_address_alone(
    client, settings, partenaire_a, cohorte_a
):
    settings.PORTAIL_CONTACT_SUIVI_TELEPHONE = ""

    html = home(client, partenaire_a).content.decode()

    assert 'href="mailto:' in html
    assert 'href="tel:' not in html


def test_hosted_events_are_linked_only_for_a_partner_who_hosts_some(
    client, partenaire_a, partenaire_b, entreprise_a, cohorte_a, cohorte_b
):
    EvenementFactory(entreprises_hotes=[entreprise_a])
    lien = (
        f'<a href="{reverse("evenements:accueillis")}">'
        "Événements accueillis par votre organisation</a>"
    )

    assert lien in home(client, partenaire_a).content.decode()
    assert lien not in home(client, partenaire_b).content.decode()


def test_the_trainee_list_is_offered_for_download(client, partenaire_a, cohorte_a):
    html = home(client, partenaire_a).content.decode()

    assert reverse("partenaires:export_stagiaires", args=["xlsx"]) in html
    assert reverse("partenaires:export_stagiaires", args=["csv"]) in html
    assert "aucune coordonnée personnelle" in html


def test_cohorts_are_shown_by_pages(client, partenaire_a, ecole_a):
    for semaines in range(25):
        CohorteFactory(
            parcours__ecole=ecole_a,
            nom=f"Promotion {semaines:02d}",
            date_debut=TODAY - datetime.timedelta(weeks=semaines),
        )

    premiere = home(client, partenaire_a)
    seconde = home(client, partenaire_a, page_cohortes=2)

    noms = [cohorte.nom for cohorte in premiere.context["cohortes"].page_obj]
    assert noms == [f"Promotion {semaines:02d}" for semaines in range(20)]
    assert [cohorte.nom for cohorte in seconde.context["cohortes"].page_obj] == [
        f"Promotion {semaines:02d}" for semaines in range(20, 25)
    ]
    html = premiere.content.decode()
    assert "25 cohortes" in html
    assert "Page 1 sur 2" in section(html, "cohortes")
    assert 'href="?page_cohortes=2#cohortes"' in html


@pytest.mark.parametrize("page", ["0", "abc", "99999999999", "3"])
def test_a_wrong_page_number_shows_a_page_without_error(client, partenaire_a, cohorte_a, page):
    response = home(client, partenaire_a, page_cohortes=page, page_a_venir=page)

    assert response.status_code == 200
    assert response.context["cohortes"].page_obj.number == 1


def test_turning_the_pages_of_one_list_keeps_the_others(client, partenaire_a, ecole_a):
    cohorte = CohorteFactory(parcours__ecole=ecole_a, places=50)
    for _ in range(21):
        StageFactory(inscription__cohorte=cohorte)

    response = home(client, partenaire_a, page_cohortes=1, page_a_venir=2)

    assert len(response.context["stages_a_venir"].page_obj) == 1
    html = response.content.decode()
    assert 'href="?page_cohortes=1&amp;page_a_venir=1#stages-a-venir"' in html


def test_a_deactivated_membership_shows_neither_its_organisation_nor_its_school(
    client, partenaire_a, cohorte_a, cohorte_b, entreprise_b
):
    AppartenanceFactory(user=partenaire_a, entreprise=entreprise_b).desactiver()

    html = home(client, partenaire_a).content.decode()

    assert "Ampere Béthune" in html
    assert "Big Ben Douai" not in html
    assert "Promotion Douai 2025" not in html
    assert "Promotion Béthune 2025" in html


def test_a_partner_without_school_is_told_whom_to_write_to(client, db, settings):
    settings.PORTAIL_CONTACT_SUIVI_EMAIL = "suivi.bethune@example.org"

    html = home(client, PartenaireFactory()).content.decode()

    assert "Aucune école n'est rattachée à votre organisation." in html
    assert "suivi.bethune@example.org" in html
    assert "Télécharger la liste" not in html


def test_another_school_cohorts_never_show(client, partenaire_a, cohorte_a, cohorte_b):
    EcoleFactory(nom="École sans partenaire")

    html = home(client, partenaire_a).content.decode()

    assert "Promotion Béthune 2025" in html
    assert "Promotion Douai 2025" not in html
    assert "École sans partenaire" not in html
