import datetime
import re
from html import unescape

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from parcours.dates import add_months, first_of_month
from parcours.forms import SuiviForm, nom_du_mois
from parcours.models import Suivi
from portail.francais import de
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    SuiviFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUIVIS = reverse("parcours:suivis_du_mois")


def today():
    return timezone.localdate()


def this_month():
    return first_of_month(today())


def creer_url(inscription):
    return reverse("parcours:suivi_creer", args=[inscription.pk])


def modifier_url(suivi):
    return reverse("parcours:suivi_modifier", args=[suivi.pk])


def row_of(html, text):
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.DOTALL) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def listed_trainees(response):
    return re.findall(r'<th scope="row">([^<]+)</th>', response.text)


def check_in_data(mois, **changes):
    return {
        "mois": mois.isoformat(),
        "date_entretien": today().isoformat(),
        "participants": "Formateur GRETA, tutrice Ampere",
        "assiduite": "bon",
        "progression": "moyen",
        "risque_decrochage": "faible",
        "commentaire": "Progresse sur la conduite de ligne.",
        "actions": "Revoir la maintenance de premier niveau.",
        **changes,
    }


def a_cohort_running_since(months, **kwargs):
    """A cohort (21 weeks long) that started `months` calendar months ago."""
    return CohorteFactory(date_debut=add_months(this_month(), -months), **kwargs)


@pytest.fixture
def pages():
    suivi = SuiviFactory()
    return {
        "suivi_creer": creer_url(suivi.inscription),
        "suivi_modifier": modifier_url(suivi),
        "suivis_du_mois": SUIVIS,
    }


# Access.


@pytest.mark.parametrize("page", ["suivi_creer", "suivi_modifier", "suivis_du_mois"])
def test_anonymous_user_is_sent_to_login(client, pages, page):
    response = client.get(pages[page])

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={pages[page]}"


@pytest.mark.parametrize("page", ["suivi_creer", "suivi_modifier", "suivis_du_mois"])
def test_partner_gets_403(client, partner_user, pages, page):
    client.force_login(partner_user)

    assert client.get(pages[page]).status_code == 403


@pytest.mark.parametrize("page", ["suivi_creer", "suivi_modifier", "suivis_du_mois"])
def test_staff_opens_the_page(client_staff, pages, page):
    assert client_staff.get(pages[page]).status_code == 200


def test_unknown_ids_are_404(client_staff):
    suivi = SuiviFactory()

    assert (
        client_staff.get(
            reverse("parcours:suivi_creer", args=[suivi.inscription.pk + 1000])
        ).status_code
        == 404
    )
    assert (
        client_staff.get(reverse("parcours:suivi_modifier", args=[suivi.pk + 1000])).status_code
        == 404
    )


# Saving a check-in.


def test_check_in_form_offers_the_months_in_training_and_preselects_the_requested_one(
    client_staff,
):
    inscription = InscriptionFactory(cohorte=a_cohort_running_since(2))
    last_month = add_months(this_month(), -1)

    html = client_staff.get(creer_url(inscription), {"mois": f"{last_month:%Y-%m}"}).text

    offered = re.findall(r'<option value="(\d{4}-\d{2}-01)"', html)
    assert offered == [
        add_months(this_month(), -2).isoformat(),
        last_month.isoformat(),
        this_month().isoformat(),
    ]
    assert f'<option value="{last_month.isoformat()}" selected>' in html
    assert f'name="date_entretien" value="{today():%Y-%m-%d}"' in html


def test_check_in_defaults_to_the_oldest_missing_month(client_staff):
    inscription = InscriptionFactory(cohorte=a_cohort_running_since(2))
    SuiviFactory(inscription=inscription, mois=add_months(this_month(), -2))

    html = client_staff.get(creer_url(inscription)).text

    offered = re.findall(r'<option value="(\d{4}-\d{2}-01)"', html)
    assert offered == [add_months(this_month(), -1).isoformat(), this_month().isoformat()]
    assert f'<option value="{add_months(this_month(), -1).isoformat()}" selected>' in html


def test_check_in_page_of_a_trainee_not_yet_in_training_says_so_without_a_form(client_staff):
    cohorte = CohorteFactory(date_debut=today() + datetime.timedelta(days=40))
    inscription = InscriptionFactory(cohorte=cohorte)

    html = client_staff.get(creer_url(inscription)).text

    assert f"entre en formation le {cohorte.date_debut:%d/%m/%Y}" in html
    assert 'name="mois"' not in html


def test_check_in_page_of_a_trainee_not_yet_in_training_names_the_first_month(client_staff):
    debut = add_months(this_month(), 2)
    cohorte = CohorteFactory(date_debut=debut)
    inscription = InscriptionFactory(cohorte=cohorte)

    html = client_staff.get(creer_url(inscription)).text

    assert f"le premier suivi, celui {de(nom_du_mois(debut))}, pourra être saisi" in html
    assert 'class="formulaire"' not in html


def test_check_in_form_leaves_empty_fields_to_the_portal_s_french_errors(client_staff):
    inscription = InscriptionFactory(cohorte=a_cohort_running_since(1))

    html = client_staff.get(creer_url(inscription)).text
    errors = client_staff.post(
        creer_url(inscription), check_in_data(this_month(), assiduite="", progression="")
    ).text

    assert '<form method="post" class="formulaire" novalidate>' in html
    assert '<li><a href="#id_assiduite">Assiduité</a></li>' in errors
    assert '<li><a href="#id_progression">Progression</a></li>' in errors
    assert 'id="id_assiduite"' in errors
    assert "Ce champ est obligatoire." in errors
    assert not Suivi.objects.exists()


def test_check_in_form_marks_its_required_fields(client_staff):
    inscription = InscriptionFactory(cohorte=a_cohort_running_since(1))

    html = client_staff.get(creer_url(inscription)).text

    def label(field):
        return re.search(rf'<label for="id_{field}">(.*?)</label>', html).group(1)

    def attributes(field):
        return re.search(rf'<(?:select|input|textarea)[^>]*name="{field}"[^>]*>', html).group(0)

    assert '<span class="obligatoire">*</span> champ obligatoire' in html
    for field in ["mois", "date_entretien", "assiduite", "progression", "risque_decrochage"]:
        assert label(field).endswith(
            '<span class="obligatoire" aria-hidden="true">&nbsp;*</span>&nbsp;:'
        )
        assert 'aria-required="true"' in attributes(field)
    for field in ["commentaire", "actions"]:
        assert "*" not in label(field)
        assert "aria-required" not in attributes(field)
        assert " required" not in attributes(field)


def test_check_in_page_when_every_month_is_recorded_offers_no_form(client_staff):
    inscription = InscriptionFactory()
    for mois in inscription.mois_de_suivi():
        SuiviFactory(inscription=inscription, mois=mois)

    html = client_staff.get(creer_url(inscription)).text

    assert "Tous les suivis mensuels" in html
    assert 'name="mois"' not in html


def test_check_in_is_saved_with_its_author(client_staff, staff_user):
    inscription = InscriptionFactory(candidat__prenom="Hélène", candidat__nom="Lefèvre")

    response = client_staff.post(creer_url(inscription), check_in_data(this_month()), follow=True)

    cohorte_url = reverse("parcours:cohorte", args=[inscription.cohorte_id])
    assert response.redirect_chain == [(cohorte_url, 302)]
    suivi = Suivi.objects.get(inscription=inscription)
    assert suivi.auteur == staff_user
    assert suivi.mois == this_month()
    assert suivi.progression == "moyen"
    assert suivi.participants == "Formateur GRETA, tutrice Ampere"
    mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ][this_month().month - 1]
    assert f"Suivi {de(mois)} {this_month().year} enregistré pour Hélène Lefèvre." in unescape(
        response.text
    )


def test_check_in_returns_to_a_local_next_url_only(client_staff):
    inscription = InscriptionFactory()
    other = InscriptionFactory(cohorte=inscription.cohorte)

    local = client_staff.post(
        creer_url(inscription), {**check_in_data(this_month()), "next": f"{SUIVIS}?mois=2025-01"}
    )
    foreign = client_staff.post(
        creer_url(other), {**check_in_data(this_month()), "next": "https://evil.example/"}
    )

    assert local.url == f"{SUIVIS}?mois=2025-01"
    assert foreign.url == reverse("parcours:cohorte", args=[inscription.cohorte_id])


def test_second_check_in_of_the_same_month_links_to_the_first(client_staff):
    suivi = SuiviFactory(mois=this_month())

    response = client_staff.post(creer_url(suivi.inscription), check_in_data(this_month()))

    assert response.status_code == 200
    assert "est déjà saisi pour ce stagiaire" in response.text
    assert f'<a href="{modifier_url(suivi)}">modifier ce suivi</a>' in response.text
    assert Suivi.objects.filter(inscription=suivi.inscription).count() == 1


def test_check_in_saved_meanwhile_by_a_colleague_is_a_form_error_not_a_500(
    client_staff, monkeypatch
):
    # The form's check passes, then the database's constraint refuses the row: the race.
    monkeypatch.setattr(SuiviForm, "clean", forms.ModelForm.clean)
    suivi = SuiviFactory(mois=this_month())

    response = client_staff.post(creer_url(suivi.inscription), check_in_data(this_month()))

    assert response.status_code == 200
    assert f'<a href="{modifier_url(suivi)}">modifier ce suivi</a>' in response.text
    assert Suivi.objects.filter(inscription=suivi.inscription).count() == 1


def test_check_in_dated_in_the_future_is_refused(client_staff):
    inscription = InscriptionFactory()
    tomorrow = today() + datetime.timedelta(days=1)

    response = client_staff.post(
        creer_url(inscription), check_in_data(this_month(), date_entretien=tomorrow.isoformat())
    )

    assert "L&#x27;entretien ne peut pas être daté dans le futur." in response.text
    assert not Suivi.objects.exists()


def test_check_in_of_a_month_outside_the_training_is_refused(client_staff):
    inscription = InscriptionFactory()

    response = client_staff.post(
        creer_url(inscription), check_in_data(add_months(this_month(), -6))
    )

    assert "Sélectionnez un choix valide" in response.text
    assert not Suivi.objects.exists()


def test_check_in_is_edited_and_keeps_its_author(client_staff):
    auteur = UserFactory()
    suivi = SuiviFactory(mois=this_month(), auteur=auteur, risque_decrochage="faible")

    html = client_staff.get(modifier_url(suivi)).text
    response = client_staff.post(
        modifier_url(suivi), check_in_data(this_month(), risque_decrochage="eleve")
    )

    assert f'<option value="{this_month().isoformat()}" selected>' in html
    assert response.status_code == 302
    suivi.refresh_from_db()
    assert suivi.risque_decrochage == "eleve"
    assert suivi.auteur == auteur
    assert Suivi.objects.count() == 1


def test_check_in_cannot_be_moved_onto_a_month_already_followed(client_staff):
    inscription = InscriptionFactory(cohorte=a_cohort_running_since(1))
    premier = SuiviFactory(inscription=inscription, mois=add_months(this_month(), -1))
    second = SuiviFactory(inscription=inscription, mois=this_month())

    response = client_staff.post(modifier_url(second), check_in_data(premier.mois))

    assert f'<a href="{modifier_url(premier)}">modifier ce suivi</a>' in response.text
    second.refresh_from_db()
    assert second.mois == this_month()


# The month's check-ins.


def test_past_month_shows_done_and_overdue(client_staff):
    mois = add_months(this_month(), -2)
    cohorte = a_cohort_running_since(3)
    fait = InscriptionFactory(cohorte=cohorte, candidat__nom="Fait")
    suivi = SuiviFactory(inscription=fait, mois=mois)
    oublie = InscriptionFactory(cohorte=cohorte, candidat__nom="Oublie")
    SortieFactory(
        inscription__cohorte=cohorte,
        inscription__candidat__nom="Parti",
        date_sortie=add_months(mois, -1),
    )

    response = client_staff.get(SUIVIS, {"mois": f"{mois:%Y-%m}"})

    assert listed_trainees(response) == [str(fait.candidat), str(oublie.candidat)]
    done = row_of(response.text, "Fait")
    assert '<span class="badge badge-success">Fait</span>' in done
    assert f'href="{modifier_url(suivi)}"' in done
    late = row_of(response.text, "Oublie")
    assert '<span class="badge badge-danger">En retard</span>' in late
    assert f"{creer_url(oublie)}?mois={mois:%Y-%m}" in late
    assert counts(response) == {"Fait": "1", "À faire": "0", "En retard": "1"}


def test_current_month_shows_done_and_to_do(client_staff):
    cohorte = a_cohort_running_since(1)
    SuiviFactory(inscription__cohorte=cohorte, inscription__candidat__nom="Fait", mois=this_month())
    InscriptionFactory(cohorte=cohorte, candidat__nom="Afaire")

    response = client_staff.get(SUIVIS)

    assert '<span class="badge badge-success">Fait</span>' in row_of(response.text, "Fait")
    assert '<span class="badge badge-warning">À faire</span>' in row_of(response.text, "Afaire")
    assert "En retard</span>" not in row_of(response.text, "Afaire")
    assert counts(response) == {"Fait": "1", "À faire": "1", "En retard": "0"}


def counts(response):
    return dict(
        re.findall(
            r'<span class="badge badge-\w+">([^<]+)</span> <strong>(\d+)</strong>', response.text
        )
    )


def test_month_links_go_to_the_previous_and_next_months(client_staff):
    response = client_staff.get(SUIVIS, {"mois": "2025-01"})

    assert "<h1>Suivis de janvier 2025</h1>" in response.text
    assert 'href="?mois=2024-12" rel="prev">‹ Décembre 2024</a>' in response.text
    assert 'href="?mois=2025-02" rel="next">Février 2025 ›</a>' in response.text


@pytest.mark.parametrize("mois", ["janvier", "2025-13", "0001-01"])
def test_garbled_month_falls_back_to_the_current_month(client_staff, mois):
    response = client_staff.get(SUIVIS, {"mois": mois})

    assert response.status_code == 200
    assert f'name="mois" value="{this_month():%Y-%m}"' in response.text


def test_month_list_is_sorted_by_school_cohort_and_name(client_staff):
    arras = ParcoursFactory(ecole=EcoleFactory(ville="Arras"))
    lille = ParcoursFactory(ecole=EcoleFactory(ville="Lille"))
    lille_b = a_cohort_running_since(1, parcours=lille, nom="B")
    lille_a = a_cohort_running_since(1, parcours=lille, nom="A")
    InscriptionFactory(cohorte=lille_b, candidat__nom="Zidane", candidat__prenom="Un")
    InscriptionFactory(cohorte=lille_a, candidat__nom="Yacine", candidat__prenom="Deux")
    InscriptionFactory(cohorte=lille_a, candidat__nom="Bernard", candidat__prenom="Trois")
    InscriptionFactory(
        cohorte=a_cohort_running_since(1, parcours=arras),
        candidat__nom="Xavier",
        candidat__prenom="Quatre",
    )

    response = client_staff.get(SUIVIS)

    assert listed_trainees(response) == [
        "Quatre Xavier",
        "Trois Bernard",
        "Deux Yacine",
        "Un Zidane",
    ]


def test_month_list_filters_by_school_and_cohort(client_staff):
    cambrai = EcoleFactory(ville="Cambrai")
    cohorte_cambrai = a_cohort_running_since(1, parcours=ParcoursFactory(ecole=cambrai))
    InscriptionFactory(cohorte=cohorte_cambrai, candidat__nom="Cambresien")
    autre = a_cohort_running_since(1)
    InscriptionFactory(cohorte=autre, candidat__nom="Douaisien")

    by_school = client_staff.get(SUIVIS, {"ecole": cambrai.pk})
    by_cohort = client_staff.get(SUIVIS, {"cohorte": autre.pk})

    assert [name.split()[-1] for name in listed_trainees(by_school)] == ["Cambresien"]
    assert [name.split()[-1] for name in listed_trainees(by_cohort)] == ["Douaisien"]
    assert counts(by_school)["À faire"] == "1"


def test_month_list_searches_cohorts_by_name_school_or_city_instead_of_listing_them(
    client_staff,
):
    cambrai = EcoleFactory(nom="École de la Logistique", ville="Cambrai")
    printemps = a_cohort_running_since(
        1, parcours=ParcoursFactory(ecole=cambrai), nom="Cambrai printemps"
    )
    InscriptionFactory(cohorte=printemps, candidat__nom="Cambresien")
    douai = a_cohort_running_since(1, nom="Douai automne")
    InscriptionFactory(cohorte=douai, candidat__nom="Douaisien")

    page = client_staff.get(SUIVIS)
    by_name = client_staff.get(SUIVIS, {"q": "automne"})
    by_school = client_staff.get(SUIVIS, {"q": "logistique"})
    by_city_and_name = client_staff.get(SUIVIS, {"q": "cambrai printemps"})
    nothing = client_staff.get(SUIVIS, {"q": "introuvable"})

    assert '<input type="search" name="q"' in page.text
    assert "Douai automne</option>" not in page.text
    assert [name.split()[-1] for name in listed_trainees(by_name)] == ["Douaisien"]
    assert [name.split()[-1] for name in listed_trainees(by_school)] == ["Cambresien"]
    assert [name.split()[-1] for name in listed_trainees(by_city_and_name)] == ["Cambresien"]
    assert counts(by_name) == {"Fait": "0", "À faire": "1", "En retard": "0"}
    assert "Aucun stagiaire ne correspond à « introuvable »" in nothing.text


def test_month_list_opened_from_a_cohort_names_it(client_staff):
    cohorte = a_cohort_running_since(1, nom="Douai automne")

    html = client_staff.get(SUIVIS, {"cohorte": cohorte.pk}).text

    lien = f'<a href="{reverse("parcours:cohorte", args=[cohorte.pk])}">Douai automne</a>'
    assert f"Stagiaires de la cohorte « {lien} »" in html


def test_month_list_is_paginated(client_staff):
    cohorte = a_cohort_running_since(1, places=30)
    InscriptionFactory.create_batch(27, cohorte=cohorte)

    first = client_staff.get(SUIVIS)
    second = client_staff.get(SUIVIS, {"page": 2})

    assert len(listed_trainees(first)) == 25
    assert len(listed_trainees(second)) == 2
    assert "Page 2 sur 2" in second.text


def test_month_without_trainees_shows_the_empty_state(client_staff):
    response = client_staff.get(SUIVIS, {"mois": "2001-01"})

    assert "Aucun stagiaire en formation en janvier 2001." in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_month_list_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, rows
):
    cohorte = a_cohort_running_since(1, places=60)
    for index in range(rows):
        inscription = InscriptionFactory(cohorte=cohorte)
        if index % 2:
            SuiviFactory(inscription=inscription, mois=this_month())

    # The request's savepoint, the session, the user; the bounded counts of check-ins
    # done and of check-ins missing; the paginator's bounded count; the page's trainees
    # with candidate, cohort, school and check-in; the schools of the filter; release;
    # the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(SUIVIS, {"q": cohorte.nom})

    assert len(listed_trainees(response)) == min(rows, 25)
