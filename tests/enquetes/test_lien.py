"""The survey page behind the e-mailed link: public, one answer, revealing nothing else."""

import datetime
import re

import pytest
from django.core import mail

from enquetes.models import Enquete, JetonEnquete, SituationApresSortie
from parcours.models import Categorie, Sortie

from .helpers import enquete_envoyee, lien, sortie_tardive

pytestmark = pytest.mark.django_db


def reponse(**changes):
    return {
        "situation": "cdi",
        "date_debut_contrat": "2026-03-02",
        "date_fin_contrat": "",
        "satisfaction": "4",
        "commentaire": "Embauchée chez Ampere.",
        **changes,
    }


def field_errors(html, field):
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.DOTALL)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def survey_at_6_months(**candidat):
    """The 6-month survey of the exit of 31 August 2025, sent today, and its link."""
    sortie = sortie_tardive(**{f"candidat__{name}": value for name, value in candidat.items()})
    enquete = sortie.enquetes.get(vague_mois=6)
    return enquete, lien(enquete)


def personne(enquete):
    candidat = enquete.sortie.inscription.candidat
    cohorte = enquete.sortie.inscription.cohorte
    return [
        candidat.nom,
        candidat.email,
        candidat.telephone,
        cohorte.nom,
        cohorte.parcours.ecole.ville,
    ]


def test_anyone_with_the_link_sees_only_the_first_name_and_the_track(client):
    enquete, chemin = survey_at_6_months(prenom="Lina", nom="Vasseur")

    response = client.get(chemin)

    assert response.status_code == 200
    assert "Bonjour Lina," in response.text
    assert f"« {enquete.sortie.inscription.cohorte.parcours.nom} »" in response.text
    assert "6 mois après la fin de votre formation" in response.text
    for detail in personne(enquete):
        assert detail not in response.text
    assert "Ne plus recevoir d'enquête" in response.text
    assert "Vos données personnelles" in response.text
    assert "donnees-personnelles@plan-marshall.local" in response.text
    assert "no-store" in response["Cache-Control"]
    # The CSP allows no inline script or style: scripts come from the portal's files only.
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    assert "style=" not in response.text


def test_a_tampered_token_gets_a_404_that_tells_nothing(client):
    enquete, chemin = enquete_envoyee()

    response = client.get(chemin[:-3] + "xy/")

    assert response.status_code == 404
    assert "Lien introuvable" in response.text
    for detail in [enquete.sortie.inscription.candidat.prenom, *personne(enquete)]:
        assert detail not in response.text


def test_an_expired_link_gets_a_410_that_tells_nothing(client, horloge, settings):
    enquete, chemin = enquete_envoyee()

    horloge.avancer(days=settings.PORTAIL_ENQUETES_VALIDITE_JOURS - 1)
    encore_valide = client.get(chemin)
    horloge.avancer(days=1)
    response = client.get(chemin)

    assert encore_valide.status_code == 200
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.text
    assert enquete.sortie.inscription.candidat.prenom not in response.text
    assert client.post(chemin, reponse()).status_code == 410
    assert not SituationApresSortie.objects.exists()


def test_an_answered_survey_says_thank_you_and_nothing_else(client):
    enquete, chemin = enquete_envoyee()

    client.post(chemin, reponse())
    response = client.get(chemin)
    again = client.post(chemin, reponse(situation="inactif"))

    assert response.status_code == 410
    assert "Merci" in response.text
    assert enquete.sortie.inscription.candidat.prenom not in response.text
    assert again.status_code == 410
    assert SituationApresSortie.objects.get().situation == "cdi"


def test_opting_out_closes_every_survey_of_the_person(client):
    enquete, chemin = enquete_envoyee()

    response = client.post(chemin, {"ne_plus_recevoir": "1"}, follow=True)

    assert response.status_code == 410
    assert "Vous ne recevrez plus d'enquête" in response.text
    assert enquete.sortie.inscription.candidat.prenom not in response.text
    assert set(Enquete.objects.values_list("refusee_le", flat=True)) != {None}
    assert not Enquete.objects.filter(refusee_le__isnull=True).exists()
    assert not SituationApresSortie.objects.exists()


@pytest.mark.parametrize(
    ("fin_du_contrat", "categorie"),
    [
        # Five months from 2 March: a transition job; seven: a durable one.
        ("2026-08-01", Categorie.EMPLOI_TRANSITION),
        ("2026-10-01", Categorie.EMPLOI_DURABLE),
    ],
)
def test_a_cdd_at_6_months_gets_the_category_of_its_length(client, fin_du_contrat, categorie):
    enquete, chemin = survey_at_6_months()

    response = client.post(chemin, reponse(situation="cdd", date_fin_contrat=fin_du_contrat))

    assert response.status_code == 302
    situation = SituationApresSortie.objects.get()
    assert (situation.sortie, situation.vague_mois) == (enquete.sortie, 6)
    assert situation.categorie == categorie
    assert situation.source == SituationApresSortie.Source.ENQUETE
    assert situation.satisfaction == 4
    assert situation.commentaire == "Embauchée chez Ampere."
    assert situation.saisie_par is None


def test_the_answer_leaves_the_exit_untouched(client):
    enquete, chemin = survey_at_6_months()
    avant = Sortie.objects.values().get()
    historique = Sortie.history.count()

    client.post(chemin, reponse(situation="recherche_emploi", date_debut_contrat=""))

    assert Sortie.objects.values().get() == avant
    assert Sortie.history.count() == historique
    assert SituationApresSortie.objects.get().categorie == Categorie.AUTRE


def test_a_long_cdd_shorter_than_6_months_is_refused_like_an_exit(client):
    _, chemin = survey_at_6_months()

    response = client.post(
        chemin,
        reponse(
            situation="cdd_long", date_debut_contrat="2026-03-01", date_fin_contrat="2026-07-31"
        ),
    )

    assert response.status_code == 200
    assert field_errors(response.text, "date_fin_contrat") == [
        "Un CDD long dure au moins 6 mois : ce contrat finirait au plus tôt le 31/08/2026."
    ]
    assert not SituationApresSortie.objects.exists()


def test_a_contract_without_its_start_is_refused(client):
    _, chemin = survey_at_6_months()

    response = client.post(chemin, reponse(date_debut_contrat=""))

    assert field_errors(response.text, "date_debut_contrat") == [
        "Indiquez la date de début du contrat."
    ]
    assert not SituationApresSortie.objects.exists()


def test_one_client_is_slowed_down_after_too_many_requests(client, settings):
    settings.PORTAIL_ENQUETES_REQUETES_PAR_HEURE = 3
    _, chemin = enquete_envoyee()

    for _ in range(3):
        assert client.get(chemin).status_code == 200
    refusee = client.get(chemin)
    devinee = client.get("/enquete/un-jeton-devine/")
    autre_client = client.get(chemin, REMOTE_ADDR="192.0.2.7")

    assert refusee.status_code == 429
    assert "Trop de demandes" in refusee.text
    assert devinee.status_code == 429
    assert autre_client.status_code == 200


def test_the_database_holds_only_the_hash_of_the_token(client):
    enquete, chemin = enquete_envoyee()
    jeton = chemin.split("/")[2]

    [stocke] = JetonEnquete.objects.values_list("empreinte", flat=True)

    assert len(jeton) >= 43
    assert jeton not in stocke
    assert len(stocke) == 64
    assert mail.outbox[0].body.count(jeton) == 1
    assert enquete.jetons.get().expire_le - enquete.envoyee_le == datetime.timedelta(days=60)


def test_the_survey_pages_are_under_the_strict_content_security_policy(client):
    enquete, chemin = enquete_envoyee()
    _, chemin_ferme = enquete_envoyee()
    client.post(chemin_ferme, reponse())

    for page in (chemin, chemin_ferme, chemin[:-3] + "xy/"):
        response = client.get(page)

        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        # Nothing inline that the policy would block: the page works as written.
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son\w+=", response.text)
