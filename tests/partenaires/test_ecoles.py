"""The partner's "Mes écoles" page: schools, cohorts and upcoming internships."""

import datetime

from django.urls import reverse
from django.utils import timezone

from parcours.models import Inscription
from tests.factories import (
    AppartenanceFactory,
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    StageFactory,
)


def test_each_school_says_through_which_organisation_it_is_seen(client, partenaire_a, cohorte_a):
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:ecoles")).content.decode()

    assert "Ampere Béthune (entreprise adhérente)" in html


def test_cohorts_show_dates_state_and_number_of_trainees(client, partenaire_a, cohorte_a):
    InscriptionFactory.create_batch(3, cohorte=cohorte_a)
    client.force_login(partenaire_a)

    response = client.get(reverse("partenaires:ecoles"))

    [ecole] = response.context["ecoles"]
    [cohorte] = ecole.cohortes_visibles
    assert cohorte.nombre_stagiaires == 3
    html = response.content.decode()
    assert f"{cohorte_a.date_debut:%d/%m/%Y}" in html
    assert f"{cohorte_a.date_fin:%d/%m/%Y}" in html
    assert "En cours" in html


def test_upcoming_internships_at_the_partner_company_are_listed(client, partenaire_a, cohorte_a):
    inscription = InscriptionFactory(
        cohorte=cohorte_a, candidat=CandidatFactory(prenom="Inès", nom="Zerrouki")
    )
    stage = StageFactory(inscription=inscription)
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:ecoles")).content.decode()

    assert "Stages à venir" in html
    assert "Inès Zerrouki" in html
    assert f"{stage.phase.date_debut:%d/%m/%Y}" in html
    assert f"{stage.phase.date_fin:%d/%m/%Y}" in html


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
        parcours__ecole=ecole_a,
        date_debut=timezone.localdate() - datetime.timedelta(weeks=30),
    )
    termine = InscriptionFactory(
        cohorte=ancienne, candidat=CandidatFactory(prenom="Anne", nom="Passée")
    )
    StageFactory(inscription=termine)
    parti = InscriptionFactory(
        cohorte=cohorte_a,
        candidat=CandidatFactory(prenom="Luc", nom="Parti"),
        statut=Inscription.Statut.SORTIE,
    )
    StageFactory(inscription=parti)
    client.force_login(partenaire_a)

    response = client.get(reverse("partenaires:ecoles"))

    assert list(response.context["stages"]) == []
    assert "Aucun stage en cours ou à venir dans votre entreprise." in response.content.decode()


def test_a_deactivated_membership_shows_neither_its_organisation_nor_its_school(
    client, partenaire_a, cohorte_a, cohorte_b, entreprise_b
):
    AppartenanceFactory(user=partenaire_a, entreprise=entreprise_b).desactiver()
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:ecoles")).content.decode()

    assert "Ampere Béthune" in html
    assert "Big Ben Douai" not in html
    assert "Promotion Douai 2025" not in html
    assert "Promotion Béthune 2025" in html
