"""Issue 15: the enrollment pickers, the check-in form and the exit form, as staff see them."""

import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.dates import add_months, first_of_month
from parcours.models import Sortie, Stage, Suivi, TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def this_month():
    return first_of_month(today())


def choisir_candidat_url(cohorte):
    return reverse("parcours:choisir_candidat", args=[cohorte.pk])


def choisir_cohorte_url(candidat):
    return reverse("parcours:choisir_cohorte", args=[candidat.pk])


def inscrire_url(cohorte, candidat):
    return reverse("parcours:inscrire", args=[cohorte.pk, candidat.pk])


def listed_names(html):
    return [name.split()[0] for name in re.findall(r'<th scope="row">([^<]+)</th>', html)]


def listed_cohorts(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def row_of(html, text):
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.DOTALL) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


# Picking a candidate for a cohort.


def test_one_letter_search_asks_for_two_and_lists_only_the_school_s_pipeline(client_staff):
    cohorte = CohorteFactory()
    CandidatFactory(nom="Aubert", ecole_visee=cohorte.parcours.ecole)
    CandidatFactory(nom="Adam", ecole_visee=EcoleFactory())

    html = client_staff.get(choisir_candidat_url(cohorte), {"q": "a"}).text

    assert "Saisissez au moins deux caractères pour rechercher." in html
    assert 'value="a" maxlength="200" aria-invalid="true"' in html
    assert listed_names(html) == ["Aubert"]


def test_without_search_only_the_school_s_pipeline_is_listed(client_staff):
    cohorte = CohorteFactory()
    CandidatFactory(nom="Visee", ecole_visee=cohorte.parcours.ecole)
    CandidatFactory(nom="Autre", ecole_visee=EcoleFactory())
    CandidatFactory(nom="Sansecole")

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    assert listed_names(html) == ["Visee"]


def test_search_puts_the_candidates_of_the_cohort_s_school_first(client_staff):
    cohorte = CohorteFactory()
    CandidatFactory(nom="Martin", ecole_visee=EcoleFactory())
    CandidatFactory(nom="Martineau")
    CandidatFactory(nom="Martinez", ecole_visee=cohorte.parcours.ecole)

    html = client_staff.get(choisir_candidat_url(cohorte), {"q": "mart"}).text

    assert listed_names(html) == ["Martinez", "Martin", "Martineau"]


def test_a_candidate_in_training_elsewhere_is_marked_with_that_cohort(client_staff):
    cohorte = CohorteFactory()
    ailleurs = CohorteFactory(nom="Promotion Cambrai", date_debut=cohorte.date_debut)
    occupee = InscriptionFactory(
        cohorte=ailleurs, candidat__nom="Occupee", candidat__ecole_visee=cohorte.parcours.ecole
    )

    html = client_staff.get(choisir_candidat_url(cohorte)).text

    row = row_of(html, "Occupee")
    assert "cohorte « Promotion Cambrai »" in row
    assert "Indisponible : dates qui chevauchent cette cohorte" in row
    assert inscrire_url(cohorte, occupee.candidat) not in html


def test_the_default_list_is_read_in_the_order_of_its_index(client_staff):
    cohorte = CohorteFactory()
    CandidatFactory.create_batch(3, ecole_visee=cohorte.parcours.ecole)

    with CaptureQueriesContext(connection) as queries:
        client_staff.get(choisir_candidat_url(cohorte))

    liste = next(
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "candidats_candidat"."id"')
    )
    ordre = liste.rsplit("ORDER BY", 1)[1].split("LIMIT")[0]
    assert re.findall(r'"(\w+)" (ASC|DESC)', ordre) == [
        ("statut", "DESC"),
        ("nom", "ASC"),
        ("prenom", "ASC"),
        ("id", "ASC"),
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {liste}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "candidat_ecole_statut_idx" in plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan


# Picking a cohort for a candidate.


def test_an_overlapping_cohort_not_started_is_disabled_as_an_enrollment(client_staff):
    debut = today() + datetime.timedelta(days=30)
    future = CohorteFactory(nom="Promotion Douai", date_debut=debut)
    inscription = InscriptionFactory(cohorte=future, candidat__nom="Attendue")
    meme_dates = CohorteFactory(nom="Promotion Lille", date_debut=debut)

    html = client_staff.get(choisir_cohorte_url(inscription.candidat)).text

    row = row_of(html, "Promotion Lille")
    assert (
        f"Indisponible : inscrit·e dans la cohorte « Promotion Douai » du {debut:%d/%m/%Y}" in row
    )
    assert "déjà en formation" not in html
    assert "en formation dans" not in html
    assert inscrire_url(meme_dates, inscription.candidat) not in html


def test_the_target_school_s_cohorts_come_first(client_staff):
    visee = EcoleFactory()
    CohorteFactory(nom="Autre tot", date_debut=today())
    CohorteFactory(
        nom="Visee tard",
        parcours=ParcoursFactory(ecole=visee),
        date_debut=today() + datetime.timedelta(days=20),
    )
    candidat = CandidatFactory(ecole_visee=visee)

    html = client_staff.get(choisir_cohorte_url(candidat)).text

    assert listed_cohorts(html) == ["Visee tard", "Autre tot"]
    assert "école visée</span>" in row_of(html, "Visee tard")


def test_a_full_cohort_is_not_offered_and_its_form_is_disabled(client_staff):
    complete = CohorteFactory(nom="Promotion complete", places=1)
    InscriptionFactory(cohorte=complete)
    candidat = CandidatFactory()

    choix = client_staff.get(choisir_cohorte_url(candidat)).text
    formulaire = client_staff.get(inscrire_url(complete, candidat)).text
    refus = client_staff.post(
        inscrire_url(complete, candidat), {"date_entree": today().isoformat()}
    ).text

    assert "Promotion complete" not in choix
    assert '<button type="submit" disabled>Cohorte complète</button>' in formulaire
    assert "Cohorte complète : aucune place libre sur 1." in formulaire
    assert "0 libre" not in formulaire + choix
    assert "Cohorte complète" in refus
    assert not candidat.inscriptions.exists()


# Joining during an internship.


def a_cohort_in_its_internship(*entreprises):
    ecole = EcoleFactory(entreprises_adherentes=list(entreprises))
    cohorte = CohorteFactory(
        parcours=ParcoursFactory(ecole=ecole), date_debut=today() - datetime.timedelta(weeks=8)
    )
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    assert stage.date_debut <= today() <= stage.date_fin
    return cohorte, stage


def test_joining_during_an_internship_warns_and_sets_the_chosen_host(client_staff):
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte, stage = a_cohort_in_its_internship(ampere)
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")

    html = client_staff.get(inscrire_url(cohorte, candidat)).text
    client_staff.post(
        inscrire_url(cohorte, candidat),
        {"date_entree": today().isoformat(), f"stage_{stage.pk}": ampere.pk},
    )

    assert f"Hélène Lefèvre rejoint la cohorte pendant le stage « {stage.intitule} »" in html
    assert f'<select name="stage_{stage.pk}"' in html
    assert Stage.objects.get(inscription__candidat=candidat, phase=stage).entreprise == ampere


def test_joining_during_an_internship_without_host_leaves_a_to_do(client_staff):
    cohorte, stage = a_cohort_in_its_internship(EntrepriseFactory(nom="Ampere"))
    candidat = CandidatFactory(prenom="Hélène", nom="Lefèvre")

    response = client_staff.post(
        inscrire_url(cohorte, candidat), {"date_entree": today().isoformat()}, follow=True
    )

    assert "sans entreprise d&#x27;accueil" in response.text
    assert "Lefèvre" in client_staff.get(reverse("parcours:stages_sans_entreprise")).text


# The monthly check-in.


def suivi_creer_url(inscription):
    return reverse("parcours:suivi_creer", args=[inscription.pk])


def test_months_already_recorded_are_not_offered(client_staff):
    inscription = InscriptionFactory(
        cohorte=CohorteFactory(date_debut=add_months(this_month(), -2))
    )
    SuiviFactory(inscription=inscription, mois=add_months(this_month(), -1))

    html = client_staff.get(suivi_creer_url(inscription)).text

    offered = re.findall(r'<option value="(\d{4}-\d{2}-01)"', html)
    assert offered == [add_months(this_month(), -2).isoformat(), this_month().isoformat()]


def test_a_trainee_whose_cohort_has_not_started_gets_a_message_and_no_form(client_staff):
    cohorte = CohorteFactory(date_debut=today() + datetime.timedelta(days=40))
    inscription = InscriptionFactory(cohorte=cohorte, candidat__prenom="Lina")

    html = client_staff.get(suivi_creer_url(inscription)).text

    assert f"entre en formation le {cohorte.date_debut:%d/%m/%Y}" in html
    assert 'class="formulaire"' not in html
    assert "<select" not in html


def test_an_empty_check_in_shows_french_errors_linked_to_marked_fields(client_staff):
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=this_month()))
    url = suivi_creer_url(inscription)

    form = client_staff.get(url).text
    errors = client_staff.post(url, {"mois": this_month().isoformat()}).text

    assert '<form method="post" class="formulaire" novalidate>' in form
    assert '<span class="obligatoire">*</span> champ obligatoire' in form
    assert re.search(r'<select name="progression"[^>]*aria-required="true"', form)
    assert "Le formulaire contient des erreurs" in errors
    for field in ["date_entretien", "assiduite", "progression", "risque_decrochage"]:
        assert f'<li><a href="#id_{field}">' in errors
        assert f'id="id_{field}"' in errors
    assert not Suivi.objects.exists()


# The exit.


def test_the_employer_list_offers_member_companies_only(client_staff):
    EntrepriseFactory(nom="Ampere")
    for nom in ["France Travail", "Région Hauts-de-France", "OPCO 2i", "UIMM"]:
        EntrepriseFactory(nom=nom, partenaire_emploi=True)
    EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)

    html = client_staff.get(reverse("parcours:sortie", args=[InscriptionFactory().pk])).text

    select = re.search(r'<select name="entreprise_utilisatrice".*?</select>', html, re.DOTALL)
    offered = [name.strip() for name in re.findall(r"<option [^>]*>([^<(]*)", select.group(0))]
    assert offered == ["— Aucune —", "Ampere"]


def test_an_empty_exit_form_shows_french_errors_linked_to_the_fields(client_staff):
    inscription = InscriptionFactory()
    url = reverse("parcours:sortie", args=[inscription.pk])

    form = client_staff.get(url).text
    errors = client_staff.post(url, {"date_sortie": today().isoformat()}).text

    assert '<form method="post" class="formulaire" novalidate>' in form
    assert '<li><a href="#id_motif">Motif</a></li>' in errors
    assert '<li><a href="#id_situation">Situation à la sortie</a></li>' in errors
    assert not Sortie.objects.exists()


# The shared error summary.


def test_the_error_summary_links_radio_buttons_to_the_first_one():
    class Form(forms.Form):
        nom = forms.CharField(label="Nom")
        avis = forms.ChoiceField(
            label="Avis", choices=[("oui", "Oui"), ("non", "Non")], widget=forms.RadioSelect
        )

    form = Form(data={})
    html = render_to_string("_form_errors.html", {"form": form}) + form.as_div()

    assert '<li><a href="#id_nom">Nom</a></li>' in html
    assert '<li><a href="#id_avis_0">Avis</a></li>' in html
    assert 'id="id_avis_0"' in html
