"""A new staff member's first journey, in Chromium: from a new candidate to a CDI.

Fields are found by their label and buttons by their name, as a screen reader user
would: a label no longer tied to its field fails the test.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from candidats.models import Candidat
from parcours.dates import first_of_month
from parcours.forms import nom_du_mois
from parcours.models import Categorie, Inscription, Niveau, Risque, Situation
from portail.francais import de
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    UserFactory,
)

PASSWORD = "Parcours-equipe-2026"


@pytest.fixture
def ecole(transactional_db):
    """The Béthune school, a running cohort and an ended one."""
    ampere = EntrepriseFactory(nom="Ampere", ville="Ruitz")
    minth = EntrepriseFactory(nom="Minth", ville="Béthune")
    ecole = EcoleFactory(
        nom="École de la Maintenance et conduite de ligne",
        ville="Béthune",
        entreprises_adherentes=[ampere, minth],
    )
    today = timezone.localdate()
    # Three weeks in: still in theory, the 5-week internship starts in three weeks.
    en_cours = CohorteFactory(
        parcours__ecole=ecole,
        nom="Promotion Béthune en cours",
        date_debut=today - datetime.timedelta(weeks=3),
    )
    CohorteFactory(
        parcours=en_cours.parcours,
        nom="Promotion Béthune terminée",
        date_debut=today - datetime.timedelta(weeks=40),
    )
    return en_cours


@pytest.fixture
def camille(transactional_db):
    return UserFactory(
        username="camille.dupont", first_name="Camille", last_name="Dupont", password=PASSWORD
    )


@pytest.fixture
def csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    return violations


def champ(page, libelle):
    """The field labelled exactly `libelle` (French labels end with " :", the labels of
    required fields with an asterisk before it)."""
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}(\s*\*)?\s*:?$"))


def message(page):
    return page.locator(".messages").inner_text()


def ligne_du_stagiaire(page, nom):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(nom)))


def test_staff_enrolls_a_new_candidate_follows_them_and_records_a_cdi(
    page, screenshot, csp_violations, ecole, camille
):
    today = timezone.localdate()
    with translation.override("fr"):
        mois = nom_du_mois(first_of_month(today))

    # Sign in.
    page.goto(reverse("login"))
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    screenshot("parcours-01-connexion")
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/")
    expect(page.get_by_role("heading", name="Bonjour Camille")).to_be_visible()
    assert "Promotion Béthune en cours" in page.locator("#cohortes-en-cours").inner_text()
    screenshot("parcours-02-accueil")

    # A new candidate.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Candidats"
    ).click()
    page.get_by_role("button", name="Nouveau candidat").click()
    expect(page.get_by_role("heading", name="Nouveau candidat")).to_be_visible()
    champ(page, "Nom").fill("Vasseur")
    champ(page, "Prénom").fill("Lina")
    champ(page, "Date de naissance").fill("2001-04-17")
    champ(page, "Courriel").fill("lina.vasseur@example.org")
    champ(page, "Téléphone").fill("06 11 22 33 44")
    champ(page, "Commune").fill("Béthune")
    champ(page, "Code postal").fill("62400")
    champ(page, "Identifiant France Travail").fill("4455667B")
    champ(page, "Canal de sourcing").select_option(label="France Travail")
    champ(page, "École visée").select_option(
        label="École de la Maintenance et conduite de ligne — Béthune"
    )
    champ(page, "Statut de présélection").select_option(label="Présélectionné")
    champ(page, "Notes de l'équipe").fill("Rencontrée au forum de l'emploi.")
    champ(page, "Date du consentement").fill(today.isoformat())
    screenshot("parcours-03-nouveau-candidat")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Lina Vasseur")).to_be_visible()
    assert "Fiche créée : Lina Vasseur." in message(page)
    assert "Ce candidat n'est inscrit dans aucune cohorte." in page.content()
    candidat = Candidat.objects.get(nom="Vasseur")
    assert candidat.identifiant_france_travail == "4455667B"
    assert candidat.statut == Candidat.Statut.PRESELECTIONNE
    screenshot("parcours-04-fiche-candidat")

    # Enrollment in the running cohort, with the host company of the internship.
    page.get_by_role("button", name="Inscrire dans une cohorte").click()
    expect(
        page.get_by_role("heading", name="Inscrire Lina Vasseur dans une cohorte")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Promotion Béthune en cours")).to_be_visible()
    assert page.get_by_role("link", name="Promotion Béthune terminée").count() == 0
    screenshot("parcours-05-choix-cohorte")
    page.get_by_role("row").filter(has_text="Promotion Béthune en cours").get_by_role(
        "link", name="Inscrire"
    ).click()

    expect(page.get_by_role("heading", name="Inscrire Lina Vasseur")).to_be_visible()
    assert champ(page, "Date d'entrée").input_value() == today.isoformat()
    entreprise = page.get_by_label(re.compile(r"^Entreprise d'accueil — Stage en entreprise \(du "))
    entreprise.select_option(label="Ampere (Ruitz)")
    screenshot("parcours-06-inscription")
    page.get_by_role("button", name="Inscrire", exact=True).click()

    expect(page.get_by_role("heading", name="Promotion Béthune en cours")).to_be_visible()
    inscrite = "Lina Vasseur est inscrit·e dans la cohorte « Promotion Béthune en cours »."
    assert inscrite in message(page)
    ligne = ligne_du_stagiaire(page, "Lina Vasseur")
    assert "Ampere" in ligne.inner_text()
    assert "Minth" not in ligne.inner_text()
    assert "En formation" in ligne.inner_text()
    inscription = Inscription.objects.get(candidat=candidat, cohorte=ecole)
    assert inscription.stages.get().entreprise.nom == "Ampere"
    screenshot("parcours-07-cohorte")

    # This month's check-in.
    ligne.get_by_role("link", name="Saisir le suivi").click()
    expect(page.get_by_role("heading", name="Saisir un suivi mensuel")).to_be_visible()
    assert champ(page, "Mois suivi").input_value() == first_of_month(today).isoformat()
    assert champ(page, "Date de l'entretien").input_value() == today.isoformat()
    champ(page, "Participants de l'équipe pédagogique").fill("Mme Caron, formatrice GRETA")
    champ(page, "Assiduité").select_option(label="Bon")
    champ(page, "Progression").select_option(label="Moyen")
    champ(page, "Risque de décrochage").select_option(label="Faible")
    champ(page, "Commentaire").fill("Bonne intégration dans le groupe.")
    champ(page, "Actions convenues").fill("Préparer la visite chez Ampere.")
    screenshot("parcours-08-suivi")
    page.get_by_role("button", name="Enregistrer le suivi").click()

    expect(page.get_by_role("heading", name="Promotion Béthune en cours")).to_be_visible()
    assert f"Suivi {de(mois)} enregistré pour Lina Vasseur." in message(page)
    assert mois.capitalize() in ligne_du_stagiaire(page, "Lina Vasseur").inner_text()
    suivi = inscription.suivis.get()
    assert (suivi.assiduite, suivi.progression, suivi.risque_decrochage) == (
        Niveau.BON,
        Niveau.MOYEN,
        Risque.FAIBLE,
    )
    assert suivi.auteur == camille

    # Hired on a CDI before the end of the track.
    ligne = ligne_du_stagiaire(page, "Lina Vasseur")
    ligne.get_by_role("link", name="Enregistrer la sortie").click()
    expect(
        page.get_by_role("heading", name="Enregistrer la sortie de Lina Vasseur")
    ).to_be_visible()
    assert champ(page, "Date de sortie").input_value() == today.isoformat()
    debut_contrat = today + datetime.timedelta(days=7)
    champ(page, "Motif").select_option(label="Embauche avant la fin du parcours")
    champ(page, "Situation à la sortie").select_option(label="CDI")
    champ(page, "Employeur").fill("Ampere ElectriCity")
    champ(page, "Début du contrat").fill(debut_contrat.isoformat())
    screenshot("parcours-09-sortie")
    page.get_by_role("button", name="Enregistrer la sortie").click()

    expect(page.get_by_role("heading", name="Promotion Béthune en cours")).to_be_visible()
    assert "Sortie enregistrée : emploi durable (Lina Vasseur)." in message(page)
    ligne = ligne_du_stagiaire(page, "Lina Vasseur")
    assert "CDI" in ligne.inner_text()
    assert "Emploi durable" in ligne.inner_text()

    # The candidate's page tells the whole story.
    ligne.get_by_role("link", name="Lina Vasseur").click()
    expect(page.get_by_role("heading", name="Lina Vasseur")).to_be_visible()
    parcours = page.locator("article.inscription")
    expect(parcours.get_by_role("link", name="Promotion Béthune en cours")).to_be_visible()
    assert "Sortie" in parcours.locator(".badge").first.inner_text()
    assert "Ampere — Stage en entreprise" in parcours.inner_text()
    expect(parcours.get_by_role("row").filter(has_text=mois.capitalize())).to_be_visible()
    sortie = parcours.locator("dl.fiche")
    assert "CDI" in sortie.inner_text()
    assert "Ampere ElectriCity" in sortie.inner_text()
    assert sortie.locator(".badge-success").inner_text() == "Emploi durable"
    assert parcours.get_by_role("button", name="Enregistrer la sortie").count() == 0
    screenshot("parcours-10-fiche-sortie")

    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.SORTIE
    assert inscription.sortie.situation == Situation.CDI
    assert inscription.sortie.categorie == Categorie.EMPLOI_DURABLE
    assert inscription.sortie.date_debut_contrat == debut_contrat
    assert inscription.sortie.employeur == "Ampere ElectriCity"
    assert not csp_violations


def test_the_navigation_tells_assistive_technologies_which_section_is_open(page, camille):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(reverse("candidats:liste"))

    navigation = page.get_by_role("navigation", name="Navigation principale")
    assert navigation.get_by_role("link", name="Candidats").get_attribute("aria-current") == "page"


def se_connecter(page):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_the_enrollment_picker_offers_the_school_s_candidates_and_says_who_is_taken(
    page, screenshot, csp_violations, ecole, camille
):
    ailleurs = CohorteFactory(nom="Promotion Cambrai", date_debut=ecole.date_debut)
    occupee = CandidatFactory(
        prenom="Inès", nom="Occupée", ecole_visee=ecole.parcours.ecole, statut="retenu"
    )
    InscriptionFactory(candidat=occupee, cohorte=ailleurs)
    CandidatFactory(
        prenom="Paul", nom="Disponible", ecole_visee=ecole.parcours.ecole, statut="preselectionne"
    )
    CandidatFactory(prenom="Rémi", nom="Autreecole", identifiant_france_travail="9988776C")
    se_connecter(page)

    page.goto(reverse("parcours:cohorte", args=[ecole.pk]))
    page.get_by_role("button", name="Inscrire un candidat").click()

    expect(page.get_by_role("heading", name="Inscrire un candidat")).to_be_visible()
    assert "(9 places libres)" not in page.content()
    prise = ligne_du_stagiaire(page, "Occupée Inès")
    fin = ailleurs.date_fin
    expect(prise).to_contain_text(
        f"En formation dans la cohorte « Promotion Cambrai » jusqu'au {fin:%d/%m/%Y}"
    )
    expect(prise).to_contain_text("Indisponible : dates qui chevauchent cette cohorte")
    assert prise.get_by_role("link", name="Inscrire").count() == 0
    expect(
        ligne_du_stagiaire(page, "Disponible Paul").get_by_role("link", name="Inscrire")
    ).to_be_visible()
    assert ligne_du_stagiaire(page, "Autreecole Rémi").count() == 0
    screenshot("parcours-11-choix-candidat")

    page.get_by_label(re.compile(r"^Rechercher un candidat")).fill("9988776c")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_text("1 candidat correspond à « 9988776c ».")).to_be_visible()
    ligne_du_stagiaire(page, "Autreecole Rémi").get_by_role("link", name="Inscrire").click()
    expect(page.get_by_role("heading", name="Inscrire Rémi Autreecole")).to_be_visible()
    assert not csp_violations


def test_an_incomplete_check_in_shows_french_errors_linked_to_the_fields(
    page, screenshot, csp_violations, ecole, camille
):
    inscription = InscriptionFactory(
        cohorte=ecole, candidat__prenom="Lina", candidat__nom="Vasseur"
    )
    se_connecter(page)

    page.goto(reverse("parcours:suivi_creer", args=[inscription.pk]))
    expect(page.get_by_role("heading", name="Saisir un suivi mensuel")).to_be_visible()
    expect(page.get_by_text("* champ obligatoire")).to_be_visible()
    assert champ(page, "Assiduité").get_attribute("aria-required") == "true"
    assert champ(page, "Commentaire").get_attribute("aria-required") is None
    champ(page, "Assiduité").select_option(index=0)
    champ(page, "Progression").select_option(index=0)
    page.get_by_role("button", name="Enregistrer le suivi").click()

    # The browser let the form go (no bubble of its own): the portal answers in French.
    alerte = page.get_by_role("alert")
    expect(alerte).to_contain_text("Le formulaire contient des erreurs")
    screenshot("parcours-12-suivi-incomplet")
    alerte.get_by_role("link", name="Progression").click()

    assert page.url.endswith("#id_progression")
    assert page.evaluate("document.activeElement.id") == "id_progression"
    assert inscription.suivis.count() == 0
    assert not csp_violations
