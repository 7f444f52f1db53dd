"""Internship agreement data: each internship's tutor (a contact of the host company), its
dates from the phase, weekly hours and activities, edited on the staff's internship page
and in the admin through the same rules, shown to staff and to the host company."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours import services
from parcours.models import Stage
from tests.factories import (
    ContactFactory,
    EntrepriseFactory,
    PartenaireFactory,
    StageFactory,
)
from tests.formulaires import champs_du_formulaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage():
    """An internship at Ampere, whose school also counts Minth as a member company."""
    ampere = EntrepriseFactory(nom="Ampere")
    stage = StageFactory(entreprise=ampere, inscription__cohorte__parcours__ecole__ville="Béthune")
    stage.inscription.cohorte.parcours.ecole.entreprises_adherentes.add(
        ampere, EntrepriseFactory(nom="Minth")
    )
    return stage


def url_des_stages(stage):
    return reverse("parcours:stages", args=[stage.inscription_id])


def test_staff_set_the_tutor_hours_and_activities_of_an_internship(client_staff, stage):
    tuteur = ContactFactory(
        entreprise=stage.entreprise, prenom="Karim", nom="Benali", fonction="Chef d'équipe"
    )
    url = url_des_stages(stage)
    page = client_staff.get(url)
    assert (
        f"{stage.phase.intitule} — du {stage.phase.date_debut:%d/%m/%Y} "
        f"au {stage.phase.date_fin:%d/%m/%Y}" in page.text
    )
    assert "Karim Benali — Chef d&#x27;équipe" in page.text

    response = client_staff.post(
        url,
        champs_du_formulaire(page)
        | {
            f"tuteur_{stage.phase_id}": tuteur.pk,
            f"heures_{stage.phase_id}": "32,5",
            f"activites_{stage.phase_id}": "Conduite de la ligne d'emboutissage",
        },
    )

    stage.refresh_from_db()
    assert response.status_code == 302
    assert stage.tuteur == tuteur
    assert stage.heures_hebdomadaires == Decimal("32.5")
    assert stage.activites == "Conduite de la ligne d'emboutissage"


def test_a_contact_of_another_company_is_refused_with_a_clear_error(client_staff, stage):
    autre = ContactFactory(entreprise=EntrepriseFactory(nom="Minth"), prenom="Ana", nom="Roy")
    stage.inscription.cohorte.parcours.ecole.entreprises_adherentes.add(autre.entreprise)
    url = url_des_stages(stage)

    response = client_staff.post(
        url,
        champs_du_formulaire(client_staff.get(url))
        | {f"tuteur_{stage.phase_id}": autre.pk, f"activites_{stage.phase_id}": "Maintenance"},
    )

    assert response.status_code == 200
    assert (
        "Ana Roy est un contact de Minth, pas de l&#x27;entreprise d&#x27;accueil : choisissez "
        "un tuteur d&#x27;Ampere." in response.text
    )
    assert "Maintenance</textarea>" in response.text
    stage.refresh_from_db()
    assert stage.tuteur is None
    assert stage.activites == ""


def test_the_service_refuses_a_tutor_of_another_company(stage):
    autre = ContactFactory(entreprise=EntrepriseFactory(nom="Minth"))

    with pytest.raises(ValidationError, match="pas de l'entreprise d'accueil"):
        services.definir_stages(
            inscription=stage.inscription,
            entreprises_de_stage={stage.phase: stage.entreprise},
            conventions={stage.phase: services.Convention(tuteur=autre)},
        )

    assert Stage.objects.get().tuteur is None


def test_changing_the_host_company_drops_the_tutor_of_the_former_one(stage):
    tuteur = ContactFactory(entreprise=stage.entreprise)
    stage.tuteur = tuteur
    services.enregistrer_stage(stage)
    minth = EntrepriseFactory(nom="Minth")
    stage.inscription.cohorte.parcours.ecole.entreprises_adherentes.add(minth)

    services.definir_stages(
        inscription=stage.inscription, entreprises_de_stage={stage.phase: minth}
    )

    stage.refresh_from_db()
    assert (stage.entreprise, stage.tuteur) == (minth, None)


def test_the_admin_refuses_a_tutor_of_another_company(client, admin_user, stage):
    client.force_login(admin_user)
    autre = ContactFactory(entreprise=EntrepriseFactory(nom="Minth"), prenom="Ana", nom="Roy")
    url = reverse("admin:parcours_stage_change", args=[stage.pk])
    donnees = champs_du_formulaire(client.get(url), "stage_form")

    response = client.post(url, donnees | {"tuteur": autre.pk})

    assert response.status_code == 200
    assert "Ana Roy est un contact de Minth" in response.text
    assert Stage.objects.get().tuteur is None
    tuteur = ContactFactory(entreprise=stage.entreprise)
    assert client.post(url, donnees | {"tuteur": tuteur.pk}).status_code == 302
    assert Stage.objects.get().tuteur == tuteur


def test_the_trainee_page_shows_the_agreement_data(client_staff, stage):
    stage.tuteur = ContactFactory(entreprise=stage.entreprise, prenom="Karim", nom="Benali")
    stage.heures_hebdomadaires = Decimal("35")
    stage.activites = "Réglage des presses"
    services.enregistrer_stage(stage)

    html = client_staff.get(reverse("candidats:detail", args=[stage.inscription.candidat_id])).text

    assert "Tuteur : Karim Benali" in html
    assert "35 h par semaine · Activités : Réglage des presses" in html


def test_the_host_company_sees_its_trainees_tutor_hours_and_activities(client, stage):
    stage.tuteur = ContactFactory(entreprise=stage.entreprise, prenom="Karim", nom="Benali")
    stage.heures_hebdomadaires = Decimal("30")
    stage.activites = "Réglage des presses"
    services.enregistrer_stage(stage)
    client.force_login(PartenaireFactory(appartenance__entreprise=stage.entreprise))

    html = client.get(reverse("partenaires:ecoles")).text

    assert "<td>Karim Benali</td>" in html
    assert "<td>30 h</td>" in html
    assert "<td>Réglage des presses</td>" in html


def test_the_page_links_to_adding_a_contact_to_each_member_company(client_staff, stage):
    html = client_staff.get(url_des_stages(stage)).text

    assert reverse("entreprises:contact_ajouter", args=[stage.entreprise_id]) in html


def test_the_tutor_and_activities_are_shown_as_text(client, client_staff, stage):
    balise = "<script>alert(1)</script>"
    stage.tuteur = ContactFactory(entreprise=stage.entreprise, prenom=balise, nom="<b>Nom</b>")
    stage.activites = "<img src=x onerror=alert(2)>"
    services.enregistrer_stage(stage)
    pages = [
        client_staff.get(url_des_stages(stage)).text,
        client_staff.get(reverse("candidats:detail", args=[stage.inscription.candidat_id])).text,
        client_staff.get(reverse("entreprises:detail", args=[stage.entreprise_id])).text,
    ]
    client.force_login(PartenaireFactory(appartenance__entreprise=stage.entreprise))
    pages.append(client.get(reverse("partenaires:ecoles")).text)

    for html in pages:
        assert balise not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_saving_the_page_unchanged_records_no_new_history(client_staff, stage):
    url = url_des_stages(stage)
    avant = stage.history.count()

    response = client_staff.post(url, champs_du_formulaire(client_staff.get(url)))

    assert response.status_code == 302
    assert stage.history.count() == avant
