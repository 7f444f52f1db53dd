"""Funding schemes: the five seeded ones, the cohort's settings, and the warnings of the
cohort page when the calendar or the exits go beyond the scheme's limits."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours import services
from parcours.dispositifs import (
    atteint_le_contrat_vise,
    ecarts_au_dispositif,
    volume_du_calendrier,
)
from parcours.models import Cohorte, Dispositif, Situation, TypePhase
from tests.factories import CohorteFactory, InscriptionFactory, ParcoursFactory, SortieFactory
from tests.formulaires import champs_du_formulaire

pytestmark = pytest.mark.django_db

THEORIE, STAGE = TypePhase.THEORIE, TypePhase.STAGE
# Mondays of weeks without a French public holiday in the weeks that follow.
JANVIER_2031 = datetime.date(2031, 1, 6)
JANVIER_2025 = datetime.date(2025, 1, 6)


def dispositif(code):
    return Dispositif.objects.get(code=code)


def cohorte_de(phases, debut=JANVIER_2031, **reglages):
    return CohorteFactory(parcours=ParcoursFactory(phases=phases), date_debut=debut, **reglages)


def page(client, cohorte):
    return client.get(reverse("parcours:cohorte", args=[cohorte.pk])).text


# The seeded schemes.


def test_the_five_schemes_are_seeded_with_their_limits():
    limites = {
        d.code: (d.heures_max, d.part_entreprise_max, d.contrat_vise, d.duree_min_contrat_mois)
        for d in Dispositif.objects.all()
    }

    assert limites == {
        "poec": (400, 33, True, 12),
        "poei": (400, None, True, 12),
        "prf": (None, None, True, 6),
        "contrat_pro": (None, 85, True, 6),
        "autre": (None, None, False, None),
    }


# The calendar's volume.


def test_planned_hours_leave_out_weekends_and_public_holidays():
    # 5 to 9 May 2025: Thursday 8 May is a public holiday.
    cohorte = cohorte_de([(THEORIE, "Théorie", 1)], debut=datetime.date(2025, 5, 5))

    volume = volume_du_calendrier(cohorte)

    assert volume.demi_journees == 8
    assert volume.heures_prevues == Decimal("28.0")


def test_the_company_share_counts_the_half_days_of_internship_phases():
    cohorte = cohorte_de([(THEORIE, "Théorie", 3), (STAGE, "Stage", 1)])

    volume = volume_du_calendrier(cohorte)

    assert (volume.demi_journees, volume.demi_journees_en_entreprise) == (40, 10)
    assert volume.part_entreprise == 25


def test_hours_per_half_day_is_a_cohort_setting():
    cohorte = cohorte_de([(THEORIE, "Théorie", 1)], heures_par_demi_journee=Decimal("4"))

    assert volume_du_calendrier(cohorte).heures_prevues == Decimal("40")


# The calendar against the scheme.


def test_a_poec_over_its_hour_limit_shows_its_warning(client_staff):
    # 14 weeks without holidays: 140 half-days of 3.5 h, 490 h.
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 8), (STAGE, "Stage", 4), (THEORIE, "Théorie 2", 2)],
        dispositif=dispositif("poec"),
    )

    html = page(client_staff, cohorte)

    assert "Écarts aux limites du dispositif POEC" in html
    assert (
        "Le calendrier prévoit 490 h (140 demi-journées de 3,5 h), au-delà des 400 h permises "
        "par le dispositif POEC." in html
    )
    assert "en entreprise (" not in html


def test_a_poec_with_more_than_its_share_in_a_company_shows_its_warning(client_staff):
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 3), (STAGE, "Stage", 3)], dispositif=dispositif("poec")
    )

    html = page(client_staff, cohorte)

    assert (
        "50 % des demi-journées sont en entreprise (30 sur 60), au-delà des 33 % permis par "
        "le dispositif POEC." in html
    )
    assert "Le calendrier prévoit" not in html


def test_a_compliant_poec_shows_no_warning(client_staff):
    # 11 weeks, 385 h, 2 weeks in a company out of 11.
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 6), (STAGE, "Stage", 2), (THEORIE, "Théorie 2", 3)],
        dispositif=dispositif("poec"),
    )

    html = page(client_staff, cohorte)

    assert ecarts_au_dispositif(cohorte) == []
    assert "Écarts aux limites" not in html
    assert "Le calendrier et les sorties respectent les limites du dispositif." in html
    assert "385 h : 110 demi-journées ouvrées de 3,5 h, dont 18 % en entreprise" in html


def test_a_third_in_a_company_is_within_a_poec_share():
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 2), (STAGE, "Stage", 1)], dispositif=dispositif("poec")
    )

    assert volume_du_calendrier(cohorte).part_entreprise == 33
    assert ecarts_au_dispositif(cohorte) == []


def test_a_contrat_pro_may_spend_85_percent_in_a_company_but_not_more():
    dans_la_limite = cohorte_de(
        [(THEORIE, "Théorie", 3), (STAGE, "Stage", 17)], dispositif=dispositif("contrat_pro")
    )
    au_dela = cohorte_de(
        [(THEORIE, "Théorie", 1), (STAGE, "Stage", 19)], dispositif=dispositif("contrat_pro")
    )

    assert ecarts_au_dispositif(dans_la_limite) == []
    assert ecarts_au_dispositif(au_dela) == [
        "95 % des demi-journées sont en entreprise (182 sur 192), au-delà des 85 % permis par "
        "le dispositif Contrat de professionnalisation."
    ]


def test_a_cohort_without_scheme_invites_to_set_it(client_staff):
    cohorte = cohorte_de([(THEORIE, "Théorie", 30)])

    html = page(client_staff, cohorte)

    assert ecarts_au_dispositif(cohorte) == []
    assert "Renseignez le dispositif de financement pour vérifier ses limites" in html


# The exits against the contract the scheme aims at.


def une_sortie(cohorte, nom, situation, mois=None, **champs):
    debut = cohorte.date_fin + datetime.timedelta(days=1)
    fin = None
    if mois is not None:
        fin = debut.replace(year=debut.year + (debut.month - 1 + mois) // 12)
        fin = fin.replace(month=(debut.month - 1 + mois) % 12 + 1) - datetime.timedelta(days=1)
    return SortieFactory(
        inscription=InscriptionFactory(cohorte=cohorte, candidat__nom=nom, candidat__prenom="Léa"),
        situation=situation,
        date_debut_contrat=debut if situation != Situation.RECHERCHE_EMPLOI else None,
        date_fin_contrat=fin,
        **champs,
    )


def test_an_exit_short_of_the_poec_contract_is_listed(client_staff):
    cohorte = cohorte_de([(THEORIE, "Théorie", 8)], debut=JANVIER_2025)
    cohorte = services.modifier_cohorte(
        cohorte=cohorte, nom=cohorte.nom, places=cohorte.places, dispositif=dispositif("poec")
    )
    une_sortie(cohorte, "Court", Situation.CDD_LONG, mois=8)
    une_sortie(cohorte, "Long", Situation.CDD_LONG, mois=12)
    une_sortie(cohorte, "Permanent", Situation.CDI)
    une_sortie(cohorte, "Interimaire", Situation.INTERIM, mois=2)
    une_sortie(cohorte, "Cherche", Situation.RECHERCHE_EMPLOI)

    html = page(client_staff, cohorte)

    assert ecarts_au_dispositif(cohorte) == [
        "Sortie de Léa Court (02/03/2025) : CDD long (6 mois ou plus) du 03/03/2025 au "
        "02/11/2025, pas le contrat visé par le dispositif POEC (un CDI ou un CDD d'au moins "
        "12 mois).",
        "Sortie de Léa Interimaire (02/03/2025) : Intérim du 03/03/2025 au 02/05/2025, pas "
        "le contrat visé par le dispositif POEC (un CDI ou un CDD d'au moins 12 mois).",
    ]
    assert "Sortie de Léa Court" in html
    assert "Léa Long" not in html.split("Écarts aux limites")[1].split("</section>")[0]


def test_the_same_cdd_meets_a_regional_programme_aim():
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 8)], debut=JANVIER_2025, dispositif=dispositif("prf")
    )
    une_sortie(cohorte, "Court", Situation.CDD_LONG, mois=8)

    assert ecarts_au_dispositif(cohorte) == []


def test_a_scheme_aiming_at_a_cdi_only_lists_every_cdd():
    poec = dispositif("poec")
    poec.duree_min_contrat_mois = None
    poec.save()

    assert atteint_le_contrat_vise(poec, Situation.CDI) is True
    assert (
        atteint_le_contrat_vise(
            poec, Situation.CDD_LONG, datetime.date(2025, 1, 1), datetime.date(2027, 1, 1)
        )
        is False
    )
    assert atteint_le_contrat_vise(poec, Situation.RECHERCHE_EMPLOI) is None


def test_the_other_scheme_judges_no_exit():
    autre = dispositif("autre")

    assert atteint_le_contrat_vise(autre, Situation.CONTRAT_AIDE) is True


@pytest.mark.parametrize("rows", [1, 50])
def test_cohort_page_queries_stay_flat_with_a_scheme_and_its_exits(
    client_staff, django_assert_num_queries, rows
):
    cohorte = cohorte_de(
        [(THEORIE, "Théorie", 8)], debut=JANVIER_2025, dispositif=dispositif("poec"), places=60
    )
    for numero in range(rows):
        une_sortie(cohorte, f"Court{numero}", Situation.CDD, mois=3)

    # The request's savepoint, the session, the user; the cohort with its school, scheme
    # and seats used; its phases; the count of trainees; a page of trainees; their
    # internships; the internships without host; the exits into a job, with their
    # trainee; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(13):
        html = page(client_staff, cohorte)

    assert html.count("pas le contrat visé par le dispositif POEC") == rows


# The cohort's settings, on the staff pages and in the admin.


def test_staff_create_a_cohort_with_its_funding_settings(client_staff):
    parcours = ParcoursFactory()

    response = client_staff.post(
        reverse("parcours:cohorte_creer"),
        {
            "parcours": parcours.pk,
            "date_debut": "2031-01-06",
            "places": "12",
            "dispositif": dispositif("poei").pk,
            "financeur": "France Travail",
            "cofinancee_fse": "on",
            "heures_par_demi_journee": "3,5",
            "lieu": "Lycée Marie Curie, Béthune",
            "formateur": "Camille Leroy",
            "creer": "",
        },
    )

    cohorte = Cohorte.objects.get()
    assert response.status_code == 302
    assert (cohorte.dispositif.code, cohorte.financeur, cohorte.cofinancee_fse) == (
        "poei",
        "France Travail",
        True,
    )
    assert (cohorte.lieu, cohorte.formateur) == ("Lycée Marie Curie, Béthune", "Camille Leroy")
    html = page(client_staff, cohorte)
    assert "POEI — vise un CDI ou un CDD d&#x27;au moins 12 mois à la sortie" in html
    assert "Oui (documents conservés 10 ans)" in html
    assert "Lycée Marie Curie, Béthune" in html


def test_the_edit_page_changes_the_settings_and_keeps_what_was_typed_on_error(client_staff):
    cohorte = cohorte_de([(THEORIE, "Théorie", 4)])
    url = reverse("parcours:cohorte_modifier", args=[cohorte.pk])
    donnees = champs_du_formulaire(client_staff.get(url))

    refus = client_staff.post(
        url, donnees | {"financeur": "Région Hauts-de-France", "heures_par_demi_journee": "9"}
    )
    assert "Région Hauts-de-France" in refus.text
    assert "inférieure ou égale à 6" in refus.text
    response = client_staff.post(
        url,
        donnees
        | {
            "dispositif": dispositif("prf").pk,
            "financeur": "Région Hauts-de-France",
            "heures_par_demi_journee": "3",
        },
    )

    cohorte.refresh_from_db()
    assert response.status_code == 302
    assert cohorte.dispositif.code == "prf"
    assert cohorte.financeur == "Région Hauts-de-France"
    assert cohorte.heures_par_demi_journee == Decimal("3")


def test_the_admin_saves_the_settings_and_shows_the_warnings(client, admin_user):
    client.force_login(admin_user)
    cohorte = cohorte_de([(THEORIE, "Théorie", 3), (STAGE, "Stage", 3)])
    url = reverse("admin:parcours_cohorte_change", args=[cohorte.pk])
    donnees = champs_du_formulaire(client.get(url), "cohorte_form")

    response = client.post(
        url, donnees | {"dispositif": dispositif("poec").pk, "financeur": "OPCO 2i"}
    )

    cohorte.refresh_from_db()
    assert response.status_code == 302
    assert (cohorte.dispositif.code, cohorte.financeur) == ("poec", "OPCO 2i")
    assert "50 % des demi-journées sont en entreprise" in client.get(url).text


def test_the_admin_creates_a_cohort_with_its_settings(client, admin_user):
    client.force_login(admin_user)
    parcours = ParcoursFactory()

    response = client.post(
        reverse("admin:parcours_cohorte_add"),
        {
            "parcours": parcours.pk,
            "nom": "",
            "date_debut": "06/01/2031",
            "places": "12",
            "dispositif": dispositif("contrat_pro").pk,
            "financeur": "OPCO 2i",
            "heures_par_demi_journee": "3.5",
            "lieu": "",
            "formateur": "",
        },
    )

    assert response.status_code == 302
    cohorte = Cohorte.objects.get()
    assert cohorte.dispositif.code == "contrat_pro"
    assert cohorte.phases.count() == 3
