import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from besoins.models import AffectationBesoin, Besoin, Contrat
from parcours.models import Situation, Sortie
from parcours.services import enregistrer_sortie
from tests.factories import (
    AffectationBesoinFactory,
    BesoinFactory,
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ampere():
    entreprise = EntrepriseFactory(nom="Ampere")
    EcoleFactory(
        nom="École de la conduite de ligne", ville="Béthune", entreprises_adherentes=[entreprise]
    )
    return entreprise


@pytest.fixture
def rh_ampere(client, ampere):
    client.force_login(PartenaireFactory(appartenance__entreprise=ampere))
    return client


def formulaire(entreprise, ecole, **kwargs):
    return {
        "entreprise": entreprise.pk,
        "ecole": ecole.pk,
        "metier": "Conducteur de ligne",
        "postes": "3",
        "contrat": Contrat.CDI,
        "mois_embauche": "2031-03",
        "site": "Ruitz",
        "jeton": "b" * 32,
    } | kwargs


# A company's partner and its own needs


def test_a_company_partner_declares_a_need_for_its_company(rh_ampere, ampere):
    ecole = ampere.ecoles_adherees.get()

    response = rh_ampere.post(reverse("besoins:creer"), formulaire(ampere, ecole))

    besoin = Besoin.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("besoins:detail", args=[besoin.pk])
    assert (besoin.entreprise, besoin.ecole, besoin.postes) == (ampere, ecole, 3)
    assert besoin.mois_embauche == datetime.date(2031, 3, 1)
    assert besoin.etat == Besoin.Etat.EXPRIME
    page = rh_ampere.get(response.url).text
    assert "embauches : 0 / 3" in page
    assert "Exprimé" in page


def test_a_double_submit_creates_one_need(rh_ampere, ampere):
    donnees = formulaire(ampere, ampere.ecoles_adherees.get())

    rh_ampere.post(reverse("besoins:creer"), donnees)
    second = rh_ampere.post(reverse("besoins:creer"), donnees, follow=True)

    assert Besoin.objects.count() == 1
    assert "déjà été envoyé" in second.text


def test_a_partner_cannot_state_a_need_for_another_company(rh_ampere, ampere):
    minth = EntrepriseFactory(nom="Minth")
    ecole = ampere.ecoles_adherees.get()
    ecole.entreprises_adherentes.add(minth)

    response = rh_ampere.post(reverse("besoins:creer"), formulaire(minth, ecole))

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert not Besoin.objects.exists()


def test_a_form_error_keeps_what_was_typed(rh_ampere, ampere):
    donnees = formulaire(ampere, ampere.ecoles_adherees.get(), postes="0", metier="Cariste CACES")

    response = rh_ampere.post(reverse("besoins:creer"), donnees)

    assert response.status_code == 200
    assert 'value="Cariste CACES"' in response.text
    assert "supérieure ou égale à 1" in response.text
    assert not Besoin.objects.exists()


def test_another_company_need_is_a_404_on_every_page(rh_ampere):
    autre = BesoinFactory(entreprise=EntrepriseFactory(nom="Minth"))

    for name in ["besoins:detail", "besoins:modifier", "besoins:annuler"]:
        assert rh_ampere.get(reverse(name, args=[autre.pk])).status_code == 404, name
    response = rh_ampere.post(reverse("besoins:modifier", args=[autre.pk]), {"postes": "9"})
    assert response.status_code == 404
    assert rh_ampere.post(reverse("besoins:annuler", args=[autre.pk])).status_code == 404
    assert Besoin.objects.get().etat == Besoin.Etat.EXPRIME
    assert Besoin.objects.get().postes == 2


def test_a_partner_lists_only_its_company_needs(rh_ampere, ampere):
    BesoinFactory(entreprise=ampere, ecole=ampere.ecoles_adherees.get(), metier="Régleur")
    BesoinFactory(entreprise=EntrepriseFactory(), metier="Soudeur")

    html = rh_ampere.get(reverse("besoins:mes_besoins")).text

    assert "Régleur" in html
    assert "Soudeur" not in html


def test_a_partner_updates_its_need(rh_ampere, ampere):
    besoin = BesoinFactory(entreprise=ampere, ecole=ampere.ecoles_adherees.get())
    donnees = {
        "metier": "Régleur",
        "postes": "5",
        "contrat": Contrat.CDD_12,
        "mois_embauche": "2031-09",
        "site": "Douvrin",
    }

    response = rh_ampere.post(reverse("besoins:modifier", args=[besoin.pk]), donnees)

    besoin.refresh_from_db()
    assert response.status_code == 302
    assert (besoin.metier, besoin.postes, besoin.contrat) == ("Régleur", 5, Contrat.CDD_12)
    assert besoin.mois_embauche == datetime.date(2031, 9, 1)


def test_a_partner_cancels_its_need_after_confirming(rh_ampere, ampere):
    besoin = BesoinFactory(entreprise=ampere, ecole=ampere.ecoles_adherees.get())
    url = reverse("besoins:annuler", args=[besoin.pk])

    confirmation = rh_ampere.get(url).text
    assert Besoin.objects.get().etat == Besoin.Etat.EXPRIME
    rh_ampere.post(url)

    assert "Confirmez-vous l'annulation de ce besoin ?" in confirmation
    assert Besoin.objects.get().etat == Besoin.Etat.ANNULE


def test_a_partner_neither_validates_nor_assigns(rh_ampere, ampere):
    besoin = BesoinFactory(entreprise=ampere, ecole=ampere.ecoles_adherees.get())

    assert rh_ampere.post(reverse("besoins:valider", args=[besoin.pk])).status_code == 403
    assert rh_ampere.get(reverse("besoins:affecter", args=[besoin.pk])).status_code == 403
    assert Besoin.objects.get().etat == Besoin.Etat.EXPRIME


def test_the_need_pages_never_hold_a_candidate_contact_details(client, client_staff, ampere):
    ecole = ampere.ecoles_adherees.get()
    besoin = BesoinFactory(entreprise=ampere, ecole=ecole, postes=2)
    cohorte = CohorteFactory(parcours__ecole=ecole, nom="Promotion Béthune")
    AffectationBesoinFactory(besoin=besoin, cohorte=cohorte, postes=2)
    candidat = CandidatFactory(
        prenom="Inès",
        nom="Zerrouki",
        email="ines.zerrouki@example.org",
        telephone="TEL-0611223344",
        commune="Noeux-les-Mines",
        ecole_visee=ecole,
    )
    today = timezone.localdate()
    enregistrer_sortie(
        inscription=InscriptionFactory(candidat=candidat, cohorte=cohorte),
        date_sortie=today,
        motif=Sortie.Motif.EMBAUCHE_ANTICIPEE,
        situation=Situation.CDI,
        entreprise_utilisatrice=ampere,
        date_debut_contrat=today + datetime.timedelta(days=1),
    )
    partenaire = PartenaireFactory(appartenance__entreprise=ampere)
    pages = [
        reverse("besoins:detail", args=[besoin.pk]),
        reverse("besoins:planification", args=[ecole.pk]),
        reverse("besoins:planification_ecoles"),
        reverse("besoins:modifier", args=[besoin.pk]),
    ]
    for user_client, urls in [
        (
            client_staff,
            [*pages, reverse("besoins:liste"), reverse("besoins:affecter", args=[besoin.pk])],
        ),
    ]:
        for url in urls:
            html = user_client.get(url).text
            for donnee in ["Zerrouki", "ines.zerrouki", "TEL-0611223344", "Noeux-les-Mines"]:
                assert donnee not in html, f"{donnee} on {url}"
    client_staff.logout()
    client.force_login(partenaire)
    for url in [*pages, reverse("besoins:mes_besoins")]:
        html = client.get(url).text
        assert client.get(url).status_code == 200, url
        for donnee in ["Zerrouki", "ines.zerrouki", "TEL-0611223344", "Noeux-les-Mines"]:
            assert donnee not in html, f"{donnee} on {url}"
    assert "embauches : 1 / 2" in client.get(pages[0]).text


# Staff


def test_staff_filter_the_needs_by_school_company_state_and_contract(client_staff):
    un = BesoinFactory(metier="Régleur", contrat=Contrat.CDI)
    deux = BesoinFactory(metier="Cariste", contrat=Contrat.CDD_6, valide=True)
    liste = reverse("besoins:liste")

    def metiers(**criteres):
        response = client_staff.get(liste, criteres)
        return [besoin.metier for besoin in response.context["page_obj"]]

    assert sorted(metiers()) == ["Cariste", "Régleur"]
    assert metiers(ecole=un.ecole_id) == ["Régleur"]
    assert metiers(entreprise=deux.entreprise_id) == ["Cariste"]
    assert metiers(etat=Besoin.Etat.VALIDE) == ["Cariste"]
    assert metiers(contrat=Contrat.CDI) == ["Régleur"]
    assert metiers(tri="metier") == ["Cariste", "Régleur"]
    assert metiers(tri="-metier") == ["Régleur", "Cariste"]
    assert "Aucun besoin ne correspond" in client_staff.get(liste, {"etat": "annule"}).text


def test_staff_validate_a_need(client_staff):
    besoin = BesoinFactory()

    response = client_staff.post(reverse("besoins:valider", args=[besoin.pk]), follow=True)

    assert Besoin.objects.get().etat == Besoin.Etat.VALIDE
    assert "est validé" in response.text


def test_staff_assign_a_need_to_a_cohort_within_its_seats(client_staff):
    besoin = BesoinFactory(postes=10)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole, places=4, nom="Promo Douai")
    url = reverse("besoins:affecter", args=[besoin.pk])

    refus = client_staff.post(url, {"cohorte": cohorte.pk, "postes": "5"})
    accord = client_staff.post(url, {"cohorte": cohorte.pk, "postes": "4"})

    assert refus.status_code == 200
    assert "« Promo Douai » compte 4 places" in refus.text
    assert 'value="5"' in refus.text
    assert accord.status_code == 302
    assert AffectationBesoin.objects.get().postes == 4


def test_staff_remove_an_assignment(client_staff):
    affectation = AffectationBesoinFactory()

    client_staff.post(reverse("besoins:retirer_affectation", args=[affectation.pk]))

    assert not AffectationBesoin.objects.exists()


def test_the_staff_navigation_and_the_partner_school_page_link_to_the_needs(
    client, client_staff, ampere
):
    assert f'href="{reverse("besoins:liste")}"' in client_staff.get(reverse("besoins:liste")).text
    client.force_login(PartenaireFactory(appartenance__entreprise=ampere))
    html = client.get(reverse("partenaires:ecoles")).text
    ecole = ampere.ecoles_adherees.get()
    assert f'href="{reverse("besoins:planification", args=[ecole.pk])}"' in html
    assert f'href="{reverse("besoins:mes_besoins")}"' in html
