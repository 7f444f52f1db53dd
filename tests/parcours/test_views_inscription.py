import datetime
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser
from parcours import views
from parcours.models import Inscription, Stage, TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def choisir_candidat_url(cohorte):
    return reverse("parcours:choisir_candidat", args=[cohorte.pk])


def choisir_cohorte_url(candidat):
    return reverse("parcours:choisir_cohorte", args=[candidat.pk])


def inscrire_url(cohorte, candidat):
    return reverse("parcours:inscrire", args=[cohorte.pk, candidat.pk])


def listed_candidates(html):
    return [name.split()[0] for name in re.findall(r'<th scope="row">([^<]+)</th>', html)]


def row_of(html, text):
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.DOTALL) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def a_cohort_at(*entreprises, **kwargs):
    """A cohort of the Béthune track at a school whose members are `entreprises`."""
    ecole = EcoleFactory(entreprises_adherentes=list(entreprises))
    return CohorteFactory(parcours=ParcoursFactory(ecole=ecole), **kwargs)


@pytest.fixture
def pages():
    cohorte = CohorteFactory()
    candidat = CandidatFactory()
    return {
        "choisir_candidat": choisir_candidat_url(cohorte),
        "choisir_cohorte": choisir_cohorte_url(candidat),
        "inscrire": inscrire_url(cohorte, candidat),
    }


# Access.


@pytest.mark.parametrize("page", ["choisir_candidat", "choisir_cohorte", "inscrire"])
def test_anonymous_user_is_sent_to_login(client, pages, page):
    response = client.get(pages[page])

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={pages[page]}"


@pytest.mark.parametrize("page", ["choisir_candidat", "choisir_cohorte", "inscrire"])
def test_partner_gets_403(client, partner_user, pages, page):
    client.force_login(partner_user)

    assert client.get(pages[page]).status_code == 403


@pytest.mark.parametrize("page", ["choisir_candidat", "choisir_cohorte", "inscrire"])
def test_staff_opens_the_page(client_staff, pages, page):
    assert client_staff.get(pages[page]).status_code == 200


def test_unknown_ids_are_404(client_staff):
    cohorte = CohorteFactory()
    candidat = CandidatFactory()
    unknown_cohort = cohorte.pk + 1000
    unknown_candidate = candidat.pk + 1000

    urls = [
        reverse("parcours:choisir_candidat", args=[unknown_cohort]),
        reverse("parcours:choisir_cohorte", args=[unknown_candidate]),
        reverse("parcours:inscrire", args=[unknown_cohort, candidat.pk]),
        reverse("parcours:inscrire", args=[cohorte.pk, unknown_candidate]),
    ]
    for url in urls:
        assert client_staff.get(url).status_code == 404, url


# Choosing a candidate for a cohort.


def test_candidate_search_ignores_accents_and_links_to_the_enrollment(client_staff):
    cohorte = CohorteFactory()
    helene = CandidatFactory(prenom="Hélène", nom="Lefèvre")
    # A name no generated place or cohort holds.
    CandidatFactory(prenom="Jean", nom="Wazniak")

    html = client_staff.get(choisir_candidat_url(cohorte), {"q": "helene lefevre"}).text

    assert "Lefèvre Hélène" in html
    assert "Wazniak" not in html
    assert f'href="{inscrire_url(cohorte, helene)}"' in html


def test_without_search_the_school_s_candidates_come_kept_and_pre_selected_first(client_staff):
    cohorte = CohorteFactory()
    ecole = cohorte.parcours.ecole
    CandidatFactory(nom="Aaron", statut=Candidat.Statut.A_CONTACTER, ecole_visee=ecole)
    CandidatFactory(nom="Zola", statut=Candidat.Statut.PRESELECTIONNE, ecole_visee=ecole)
    CandidatFactory(nom="Moreau", statut=Candidat.Statut.RETENU, ecole_visee=ecole)
    CandidatFactory(nom="Brun", statut=Candidat.Statut.RETENU, ecole_visee=ecole)
    CandidatFactory(nom="Ecarte", statut=Candidat.Statut.NON_RETENU, ecole_visee=ecole)
    CandidatFactory(nom="Ailleurs", statut=Candidat.Statut.RETENU, ecole_visee=EcoleFactory())
    CandidatFactory(nom="Sansecole", statut=Candidat.Statut.RETENU)

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    assert listed_candidates(html) == ["Brun", "Moreau", "Zola", "Aaron"]
    assert f"4 candidats visent {ecole}" in html


def test_search_finds_candidates_of_every_school_by_name_or_france_travail_id(client_staff):
    cohorte = CohorteFactory()
    CandidatFactory(nom="Ailleurs", ecole_visee=EcoleFactory())
    CandidatFactory(nom="Sansecole", identifiant_france_travail="7654321A")
    CandidatFactory(nom="Ecarte", statut=Candidat.Statut.NON_RETENU)

    par_nom = client_staff.get(choisir_candidat_url(cohorte), {"q": "ailleurs"}).text
    par_identifiant = client_staff.get(choisir_candidat_url(cohorte), {"q": "7654321a"}).text
    non_retenu = client_staff.get(choisir_candidat_url(cohorte), {"q": "ecarte"}).text

    assert listed_candidates(par_nom) == ["Ailleurs"]
    assert "1 candidat correspond à « ailleurs »." in par_nom
    assert listed_candidates(par_identifiant) == ["Sansecole"]
    assert listed_candidates(non_retenu) == ["Ecarte"]


def test_picker_says_who_is_in_training_elsewhere_and_blocks_an_overlap(client_staff):
    cohorte = CohorteFactory(nom="Douai automne")
    ecole = cohorte.parcours.ecole
    en_cours = InscriptionFactory(
        candidat__nom="Occupee", candidat__ecole_visee=ecole, cohorte__nom="Cambrai printemps"
    )
    plus_tard = CohorteFactory(nom="Lille plus tard", date_debut=cohorte.date_fin)
    a_venir = InscriptionFactory(
        candidat__nom="Attendue", candidat__ecole_visee=ecole, cohorte=plus_tard
    )
    terminee = CohorteFactory(date_debut=today() - datetime.timedelta(weeks=40))
    ancienne = InscriptionFactory(
        candidat__nom="Ancienne", candidat__ecole_visee=ecole, cohorte=terminee
    )
    libre = CandidatFactory(nom="Libre", ecole_visee=ecole)

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    occupee = row_of(html, "Occupee")
    fin = en_cours.cohorte.date_fin
    assert (
        f"En formation dans la cohorte « Cambrai printemps » jusqu&#x27;au {fin:%d/%m/%Y}"
        in occupee
    )
    assert "Indisponible : dates qui chevauchent cette cohorte" in occupee
    assert inscrire_url(cohorte, en_cours.candidat) not in html
    attendue = row_of(html, "Attendue")
    assert (
        f"Inscrit·e dans la cohorte « Lille plus tard » du {plus_tard.date_debut:%d/%m/%Y} au "
        f"{plus_tard.date_fin:%d/%m/%Y}" in attendue
    )
    # Starting on this cohort's last day, the other cohort overlaps it by that day.
    assert inscrire_url(cohorte, a_venir.candidat) not in html
    assert "Cohorte" not in row_of(html, "Ancienne").split("</th>", 1)[1].split("Inscrire")[0]
    assert f'href="{inscrire_url(cohorte, ancienne.candidat)}"' in html
    assert f'href="{inscrire_url(cohorte, libre)}"' in html


def test_candidates_already_in_the_cohort_are_not_offered(client_staff):
    inscription = InscriptionFactory(candidat__nom="Dejainscrit")
    ecole = inscription.cohorte.parcours.ecole
    inscription.candidat.ecole_visee = ecole
    inscription.candidat.save()
    CandidatFactory(nom="Libre", ecole_visee=ecole)

    html = client_staff.get(choisir_candidat_url(inscription.cohorte)).text

    assert "Libre" in html
    assert "Dejainscrit" not in html


def test_full_cohort_offers_no_enrollment_link(client_staff):
    cohorte = CohorteFactory(places=1)
    InscriptionFactory(cohorte=cohorte)
    candidat = CandidatFactory(nom="Attente", ecole_visee=cohorte.parcours.ecole)

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    assert "Cohorte complète : aucune place libre sur 1." in html
    assert "(aucune place libre)" in html
    assert "Cohorte complète" in row_of(html, "Attente")
    assert inscrire_url(cohorte, candidat) not in html


@pytest.mark.parametrize(
    ("places", "inscrits", "texte"),
    [(3, 2, "(1 place libre)"), (5, 2, "(3 places libres)"), (2, 2, "(aucune place libre)")],
)
def test_free_seats_are_told_in_french(client_staff, places, inscrits, texte):
    cohorte = CohorteFactory(places=places)
    InscriptionFactory.create_batch(inscrits, cohorte=cohorte)

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    assert texte in html
    assert "0 libres" not in html


def test_full_cohort_page_disables_enrollment_and_says_why(client_staff):
    cohorte = CohorteFactory(places=1)
    InscriptionFactory(cohorte=cohorte)

    html = client_staff.get(reverse("parcours:cohorte", args=[cohorte.pk])).text
    formulaire = client_staff.get(inscrire_url(cohorte, CandidatFactory())).text

    assert '<button type="button" disabled>Cohorte complète</button>' in html
    assert choisir_candidat_url(cohorte) not in html
    assert "<strong>aucune</strong> libre" in html
    assert '<button type="submit" disabled>Cohorte complète</button>' in formulaire
    assert ">Inscrire</button>" not in formulaire


def test_search_without_match_shows_the_empty_state(client_staff):
    CandidatFactory(nom="Martin")

    html = client_staff.get(choisir_candidat_url(CohorteFactory()), {"q": "introuvable"}).text

    assert "Aucun candidat ne correspond à « introuvable »." in html


def test_school_without_candidates_invites_to_search(client_staff):
    CandidatFactory(nom="Martin")
    cohorte = CohorteFactory()

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    assert "Martin" not in html
    assert f"ne vise {cohorte.parcours.ecole} : recherchez la personne par son nom" in html


# Choosing a cohort for a candidate.


def test_candidate_is_offered_the_open_cohorts_only(client_staff):
    candidat = CandidatFactory()
    ouverte = CohorteFactory(nom="Ouverte")
    CohorteFactory(nom="A venir", date_debut=today() + datetime.timedelta(weeks=2))
    CohorteFactory(nom="Terminee", date_debut=today() - datetime.timedelta(weeks=40))
    complete = CohorteFactory(nom="Complete", places=1)
    InscriptionFactory(cohorte=complete)
    # Enrolled in a later cohort, which does not overlap the open one.
    apres = ouverte.date_fin + datetime.timedelta(days=1)
    InscriptionFactory(candidat=candidat, cohorte=CohorteFactory(nom="Deja", date_debut=apres))

    html = client_staff.get(choisir_cohorte_url(candidat)).text

    assert f'href="{inscrire_url(ouverte, candidat)}"' in html
    assert "A venir" in html
    for absent in ("Terminee", "Complete"):
        assert absent not in html
    assert ">Deja</a>" not in html
    assert "12 / 12" in row_of(html, "Ouverte")


def test_cohort_choice_disables_overlapping_cohorts_with_the_reason(client_staff):
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")
    en_cours = InscriptionFactory(candidat=candidat, cohorte__nom="Cambrai printemps")
    fin = en_cours.cohorte.date_fin
    chevauchante = CohorteFactory(nom="Chevauchante")
    apres = CohorteFactory(nom="Apres", date_debut=fin + datetime.timedelta(days=1))

    html = client_staff.get(choisir_cohorte_url(candidat)).text

    raison = (
        "Indisponible : en formation dans la cohorte « Cambrai printemps » "
        f"jusqu&#x27;au {fin:%d/%m/%Y}"
    )
    assert raison in row_of(html, "Chevauchante")
    assert inscrire_url(chevauchante, candidat) not in html
    assert f'href="{inscrire_url(apres, candidat)}"' in html
    assert "Hélène Lefèvre est en formation dans la cohorte « Cambrai printemps »" in html


def test_a_cohort_not_started_yet_is_an_enrollment_not_a_training(client_staff):
    candidat = CandidatFactory()
    debut = today() + datetime.timedelta(weeks=2)
    a_venir = InscriptionFactory(
        candidat=candidat, cohorte=CohorteFactory(nom="Future", date_debut=debut)
    )
    CohorteFactory(nom="Chevauchante", date_debut=debut)

    html = client_staff.get(choisir_cohorte_url(candidat)).text

    raison = (
        f"Indisponible : inscrit·e dans la cohorte « Future » du {debut:%d/%m/%Y} au "
        f"{a_venir.cohorte.date_fin:%d/%m/%Y}"
    )
    assert raison in row_of(html, "Chevauchante")
    assert "en formation dans" not in html


def test_cohorts_of_the_target_school_come_first(client_staff):
    visee = EcoleFactory(nom="École visée de Douai")
    candidat = CandidatFactory(ecole_visee=visee)
    CohorteFactory(nom="Autre tot", date_debut=today() - datetime.timedelta(weeks=6))
    CohorteFactory(nom="Visee tard", parcours=ParcoursFactory(ecole=visee))

    html = client_staff.get(choisir_cohorte_url(candidat)).text

    assert html.index(">Visee tard</a>") < html.index(">Autre tot</a>")
    assert "école visée" in row_of(html, "Visee tard")
    assert "école visée" not in row_of(html, "Autre tot")


def test_candidate_without_open_cohort_sees_the_empty_state(client_staff):
    html = client_staff.get(choisir_cohorte_url(CandidatFactory())).text

    assert "Aucune cohorte ouverte n'accueille de nouveau candidat" in html


# The enrollment form.


def test_entry_date_defaults_to_today_in_a_running_cohort(client_staff):
    cohorte = CohorteFactory()

    html = client_staff.get(inscrire_url(cohorte, CandidatFactory())).text

    assert f'name="date_entree" value="{today():%Y-%m-%d}"' in html


def test_entry_date_defaults_to_the_start_of_a_future_cohort(client_staff):
    debut = today() + datetime.timedelta(weeks=3)
    cohorte = CohorteFactory(date_debut=debut)

    html = client_staff.get(inscrire_url(cohorte, CandidatFactory())).text

    assert f'name="date_entree" value="{debut:%Y-%m-%d}"' in html


def test_host_company_select_offers_the_school_members_only(client_staff):
    cohorte = a_cohort_at(EntrepriseFactory(nom="Ampere"), EntrepriseFactory(nom="Minth"))
    EntrepriseFactory(nom="Etrangere")

    html = client_staff.get(inscrire_url(cohorte, CandidatFactory())).text

    stage = cohorte.phases.get(type=TypePhase.STAGE)
    assert f'name="stage_{stage.pk}"' in html
    assert "Ampere" in html
    assert "Minth" in html
    assert "Etrangere" not in html


def test_enrollment_creates_the_inscription_and_its_internships(client_staff, staff_user):
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte = a_cohort_at(ampere, EntrepriseFactory(nom="Minth"))
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")

    response = client_staff.post(
        inscrire_url(cohorte, candidat),
        {"date_entree": today().isoformat(), f"stage_{stage.pk}": ampere.pk},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("parcours:cohorte", args=[cohorte.pk]), 302)]
    assert f"Hélène Lefèvre est inscrit·e dans la cohorte « {cohorte.nom} »." in response.text
    inscription = Inscription.objects.get(candidat=candidat)
    assert inscription.cohorte == cohorte
    assert inscription.date_entree == today()
    assert inscription.creee_par == staff_user
    assert list(
        Stage.objects.filter(inscription=inscription).values_list("phase", "entreprise")
    ) == [(stage.pk, ampere.pk)]
    assert "Ampere" in row_of(response.text, "Lefèvre")


def test_enrollment_without_host_company_leaves_it_to_define(client_staff):
    cohorte = a_cohort_at(EntrepriseFactory())
    candidat = CandidatFactory()

    client_staff.post(inscrire_url(cohorte, candidat), {"date_entree": today().isoformat()})

    inscription = Inscription.objects.get(candidat=candidat)
    assert not inscription.stages.exists()


def a_cohort_in_its_internship(*entreprises):
    """A cohort whose 5-week internship started last week, at a school of `entreprises`."""
    cohorte = a_cohort_at(*entreprises, date_debut=today() - datetime.timedelta(weeks=8))
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    assert stage.date_debut <= today() <= stage.date_fin
    return cohorte, stage


def test_joining_during_an_internship_asks_for_its_host_and_warns_without_one(client_staff):
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte, stage = a_cohort_in_its_internship(ampere)
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")

    html = client_staff.get(inscrire_url(cohorte, candidat)).text
    response = client_staff.post(
        inscrire_url(cohorte, candidat), {"date_entree": today().isoformat()}, follow=True
    )

    assert f"Hélène Lefèvre rejoint la cohorte pendant le stage « {stage.intitule} »" in html
    assert "Stage en cours à l'entrée : choisissez l'entreprise" in html
    assert (
        f"Hélène Lefèvre rejoint la cohorte pendant le stage « {stage.intitule} », sans "
        "entreprise d&#x27;accueil : ce stage figure dans « Stages sans entreprise »"
    ) in response.text
    stages_sans_entreprise = client_staff.get(reverse("parcours:stages_sans_entreprise")).text
    assert "Lefèvre" in stages_sans_entreprise


def test_joining_during_an_internship_with_its_host_gives_no_warning(client_staff):
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte, stage = a_cohort_in_its_internship(ampere)
    candidat = CandidatFactory()

    response = client_staff.post(
        inscrire_url(cohorte, candidat),
        {"date_entree": today().isoformat(), f"stage_{stage.pk}": ampere.pk},
        follow=True,
    )

    assert "sans entreprise d&#x27;accueil" not in response.text
    assert Stage.objects.get(inscription__candidat=candidat).entreprise == ampere


def test_joining_before_the_internship_gives_no_internship_warning(client_staff):
    cohorte = a_cohort_at(EntrepriseFactory())

    html = client_staff.get(inscrire_url(cohorte, CandidatFactory())).text

    assert "rejoint la cohorte pendant le stage" not in html


def refused(client, cohorte, candidat, data=None):
    """POST the enrollment form; the page must be shown again, not redirected."""
    response = client.post(
        inscrire_url(cohorte, candidat), data or {"date_entree": today().isoformat()}
    )
    assert response.status_code == 200
    return response.text


def test_full_cohort_is_refused(client_staff):
    cohorte = CohorteFactory(places=1)
    InscriptionFactory(cohorte=cohorte)
    candidat = CandidatFactory()

    html = refused(client_staff, cohorte, candidat)

    assert "La cohorte est complète (1 place)." in html
    assert not Inscription.objects.filter(candidat=candidat).exists()


def test_overlapping_enrollment_is_refused(client_staff):
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")
    InscriptionFactory(candidat=candidat, cohorte=CohorteFactory(nom="Cambrai printemps"))
    cohorte = CohorteFactory()

    html = refused(client_staff, cohorte, candidat)

    expected = "Hélène Lefèvre est déjà en formation dans la cohorte « Cambrai printemps »"
    assert expected in html
    assert not Inscription.objects.filter(candidat=candidat, cohorte=cohorte).exists()


def test_ended_cohort_is_refused(client_staff):
    cohorte = CohorteFactory(date_debut=today() - datetime.timedelta(weeks=40))
    candidat = CandidatFactory()

    html = refused(client_staff, cohorte, candidat, {"date_entree": cohorte.date_fin.isoformat()})

    assert "Cette cohorte est terminée : on ne peut plus y inscrire de candidat." in html
    assert not Inscription.objects.filter(candidat=candidat).exists()


def test_entry_date_outside_the_cohort_is_refused_and_kept_in_the_form(client_staff):
    cohorte = CohorteFactory()
    candidat = CandidatFactory()
    trop_tard = cohorte.date_fin + datetime.timedelta(days=1)

    html = refused(client_staff, cohorte, candidat, {"date_entree": trop_tard.isoformat()})

    assert (
        f"La date d&#x27;entrée doit être comprise entre le {cohorte.date_debut:%d/%m/%Y}" in html
    )
    assert f'name="date_entree" value="{trop_tard:%Y-%m-%d}"' in html
    assert not Inscription.objects.filter(candidat=candidat).exists()


def test_company_that_is_not_a_member_is_refused(client_staff):
    cohorte = a_cohort_at(EntrepriseFactory())
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    candidat = CandidatFactory()

    html = refused(
        client_staff,
        cohorte,
        candidat,
        {"date_entree": today().isoformat(), f"stage_{stage.pk}": EntrepriseFactory().pk},
    )

    assert "Sélectionnez un choix valide" in html
    assert not Inscription.objects.filter(candidat=candidat).exists()


def test_an_enrollment_committed_meanwhile_is_shown_as_already_enrolled(client_staff, monkeypatch):
    # The real service runs; only its early check comes too soon to see the other
    # enrollment, so the database's unique constraint refuses the row: the race.
    cohorte = CohorteFactory()
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")
    InscriptionFactory(candidat=candidat, cohorte=cohorte)
    monkeypatch.setattr(views.services, "deja_inscrit", lambda candidat, cohorte: False)

    html = refused(client_staff, cohorte, candidat)

    assert "Hélène Lefèvre est déjà inscrit·e dans cette cohorte." in html
    assert Inscription.objects.filter(candidat=candidat).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
)
def test_two_staff_enrolling_the_last_seat_at_once_get_one_enrollment():
    cohorte = CohorteFactory(places=1)
    candidats = CandidatFactory.create_batch(2)
    staff = UserFactory()
    barrier = threading.Barrier(2)
    statuses = []

    def enroll(candidat):
        client = Client()
        client.force_login(staff)
        barrier.wait()
        response = client.post(
            inscrire_url(cohorte, candidat), {"date_entree": today().isoformat()}
        )
        statuses.append(response.status_code)
        connections.close_all()

    threads = [threading.Thread(target=enroll, args=[candidat]) for candidat in candidats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]
    assert Inscription.objects.filter(cohorte=cohorte).count() == 1


def test_an_anonymised_person_is_neither_offered_nor_enrolled(client_staff):
    cohorte = CohorteFactory()
    personne = CandidatFactory(nom="Effacee", prenom="Personne")
    anonymiser(candidats=Candidat.objects.filter(pk=personne.pk))
    personne.refresh_from_db()

    liste = client_staff.get(reverse("parcours:choisir_candidat", args=[cohorte.pk])).text
    response = client_staff.post(
        inscrire_url(cohorte, personne), {"date_entree": today().isoformat()}
    )

    assert f"/inscrire/{personne.pk}/" not in liste
    assert response.status_code in {200, 404}
    assert not Inscription.objects.filter(candidat=personne).exists()
