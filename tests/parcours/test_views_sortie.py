import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.models import Categorie, Inscription, Sortie
from tests.factories import EntrepriseFactory, InscriptionFactory, SortieFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def sortie_url(inscription):
    return reverse("parcours:sortie", args=[inscription.pk])


def exit_data(**changes):
    return {
        "date_sortie": today().isoformat(),
        "motif": "fin_parcours",
        "situation": "cdi",
        "employeur": "Ampere",
        "entreprise_utilisatrice": "",
        "date_debut_contrat": (today() + datetime.timedelta(days=1)).isoformat(),
        "date_fin_contrat": "",
        "commentaire": "Embauché sur la ligne 2.",
        **changes,
    }


def field_errors(html, field):
    """The error messages shown under `field`."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.DOTALL)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


# Access.


def test_anonymous_user_is_sent_to_login(client):
    url = sortie_url(InscriptionFactory())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_partner_gets_403(client, partner_user):
    client.force_login(partner_user)

    assert client.get(sortie_url(InscriptionFactory())).status_code == 403


def test_staff_opens_the_page(client_staff):
    assert client_staff.get(sortie_url(InscriptionFactory())).status_code == 200


def test_unknown_enrollment_is_404(client_staff):
    inscription = InscriptionFactory()

    response = client_staff.get(reverse("parcours:sortie", args=[inscription.pk + 1000]))

    assert response.status_code == 404


# Recording the exit.


def test_exit_into_a_cdi_is_durable_employment(client_staff):
    inscription = InscriptionFactory(candidat__prenom="Hélène", candidat__nom="Lefèvre")
    ampere = EntrepriseFactory(nom="Ampere")

    response = client_staff.post(
        sortie_url(inscription), exit_data(entreprise_utilisatrice=ampere.pk), follow=True
    )

    cohorte_url = reverse("parcours:cohorte", args=[inscription.cohorte_id])
    assert response.redirect_chain == [(cohorte_url, 302)]
    assert "Sortie enregistrée : emploi durable (Hélène Lefèvre)." in response.text
    assert '<span class="badge badge-success">Emploi durable</span>' in response.text
    sortie = Sortie.objects.get(inscription=inscription)
    assert sortie.categorie == Categorie.EMPLOI_DURABLE
    assert sortie.employeur == "Ampere"
    assert sortie.entreprise_utilisatrice == ampere
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.SORTIE


def test_short_cdd_is_transitional_employment(client_staff):
    inscription = InscriptionFactory()
    debut = today() + datetime.timedelta(days=1)

    response = client_staff.post(
        sortie_url(inscription),
        exit_data(
            situation="cdd",
            date_debut_contrat=debut.isoformat(),
            date_fin_contrat=(debut + datetime.timedelta(days=90)).isoformat(),
        ),
        follow=True,
    )

    assert "Sortie enregistrée : emploi de transition" in response.text
    assert Sortie.objects.get().categorie == Categorie.EMPLOI_TRANSITION


def test_long_cdd_of_five_months_is_refused_on_the_end_date(client_staff):
    inscription = InscriptionFactory()
    debut = datetime.date(2025, 3, 1)

    response = client_staff.post(
        sortie_url(inscription),
        exit_data(
            situation="cdd_long",
            date_debut_contrat=debut.isoformat(),
            date_fin_contrat=datetime.date(2025, 7, 31).isoformat(),
        ),
    )

    assert response.status_code == 200
    assert field_errors(response.text, "date_fin_contrat") == [
        "Un CDD long dure au moins 6 mois : ce contrat finirait au plus tôt le 31/08/2025."
    ]
    assert 'name="date_fin_contrat" value="2025-07-31"' in response.text
    assert not Sortie.objects.exists()
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.EN_FORMATION


def test_exit_before_entry_is_refused_on_the_exit_date(client_staff):
    inscription = InscriptionFactory()
    avant = inscription.date_entree - datetime.timedelta(days=1)

    response = client_staff.post(sortie_url(inscription), exit_data(date_sortie=avant.isoformat()))

    assert field_errors(response.text, "date_sortie") == [
        f"La sortie ne peut précéder l&#x27;entrée en formation "
        f"({inscription.date_entree:%d/%m/%Y})."
    ]
    assert not Sortie.objects.exists()


def test_contract_missing_its_start_is_refused(client_staff):
    inscription = InscriptionFactory()

    response = client_staff.post(sortie_url(inscription), exit_data(date_debut_contrat=""))

    assert field_errors(response.text, "date_debut_contrat") == [
        "Indiquez la date de début du contrat."
    ]
    assert not Sortie.objects.exists()


def test_new_exit_form_proposes_today_within_the_cohort(client_staff):
    html = client_staff.get(sortie_url(InscriptionFactory())).text

    assert f'name="date_sortie" value="{today():%Y-%m-%d}"' in html
    assert "Enregistrer la sortie d" in html


def test_existing_exit_is_prefilled_and_corrected(client_staff):
    sortie = SortieFactory(employeur="Minth")
    url = sortie_url(sortie.inscription)

    html = client_staff.get(url).text
    response = client_staff.post(
        url,
        exit_data(
            date_sortie=sortie.date_sortie.isoformat(),
            situation="recherche_emploi",
            date_debut_contrat="",
        ),
        follow=True,
    )

    assert "Modifier la sortie" in html
    assert 'name="employeur" value="Minth"' in html
    assert f'name="date_sortie" value="{sortie.date_sortie:%Y-%m-%d}"' in html
    assert '<option value="cdi" selected>CDI</option>' in html
    assert '<span class="badge badge-success">Emploi durable</span>' in html
    assert "Sortie enregistrée : autre" in response.text
    sortie.refresh_from_db()
    assert sortie.categorie == Categorie.AUTRE
    assert Sortie.objects.count() == 1


# Nothing chosen for the user.


def test_the_exit_form_opens_with_no_reason_and_no_situation_chosen(client_staff):
    cohorte_terminee = SortieFactory().inscription.cohorte
    inscription = InscriptionFactory(cohorte=cohorte_terminee)

    html = client_staff.get(sortie_url(inscription)).text

    for field in ["motif", "situation"]:
        select = re.search(rf'<select name="{field}".*?</select>', html, re.DOTALL).group(0)
        assert re.findall(r"<option [^>]*selected>([^<]*)<", select) == ["— Choisir —"]


def test_saving_with_only_the_date_records_nothing(client_staff):
    inscription = InscriptionFactory()

    html = client_staff.post(
        sortie_url(inscription), exit_data(motif="", situation="", date_debut_contrat="")
    ).text

    assert field_errors(html, "motif") == ["Ce champ est obligatoire."]
    assert field_errors(html, "situation") == ["Ce champ est obligatoire."]
    assert not Sortie.objects.exists()


def test_an_exit_dated_after_today_is_refused(client_staff):
    inscription = InscriptionFactory()
    tomorrow = today() + datetime.timedelta(days=1)

    html = client_staff.post(
        sortie_url(inscription), exit_data(date_sortie=tomorrow.isoformat())
    ).text

    assert field_errors(html, "date_sortie") == [
        "Une sortie s&#x27;enregistre une fois survenue : la date ne peut être dans le futur."
    ]
    assert not Sortie.objects.exists()
    assert f'value="{tomorrow.isoformat()}"' in html


def test_an_exit_moved_later_into_another_enrollment_is_refused(client_staff):
    candidat_cohorte = SortieFactory(date_sortie=today() - datetime.timedelta(weeks=25))
    inscription = candidat_cohorte.inscription
    suivante = InscriptionFactory(
        candidat=inscription.candidat,
        cohorte__date_debut=today() - datetime.timedelta(weeks=20),
        cohorte__nom="Cohorte suivante",
    )

    html = client_staff.post(
        sortie_url(inscription),
        exit_data(date_sortie=inscription.cohorte.date_fin.isoformat()),
    ).text

    assert "déjà en formation dans la cohorte « Cohorte suivante »" in html
    assert suivante.pk
    candidat_cohorte.refresh_from_db()
    assert candidat_cohorte.date_sortie == today() - datetime.timedelta(weeks=25)


def test_an_exit_date_out_of_the_portal_s_range_is_refused(client_staff):
    inscription = InscriptionFactory()

    html = client_staff.post(sortie_url(inscription), exit_data(date_sortie="0001-01-01")).text

    assert field_errors(html, "date_sortie") == [
        "Choisissez une date entre le 01/01/2000 et le 31/12/2099."
    ]
    assert not Sortie.objects.exists()


def test_only_member_companies_are_offered_as_employers(client_staff):
    EntrepriseFactory(nom="Ampere")
    EntrepriseFactory(nom="France Travail", partenaire_emploi=True)
    EntrepriseFactory(nom="Région Hauts-de-France", partenaire_emploi=True)
    EntrepriseFactory(nom="OPCO 2i", partenaire_emploi=True)
    EntrepriseFactory(nom="UIMM", partenaire_emploi=True)
    EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)

    html = client_staff.get(sortie_url(InscriptionFactory())).text

    select = re.search(r'<select name="entreprise_utilisatrice".*?</select>', html, re.DOTALL)
    offered = re.findall(r"<option [^>]*>([^<(]*)", select.group(0))
    assert [name.strip() for name in offered] == ["— Aucune —", "Ampere"]


def test_an_employment_partner_sent_as_employer_is_refused(client_staff):
    inscription = InscriptionFactory()
    france_travail = EntrepriseFactory(nom="France Travail", partenaire_emploi=True)

    html = client_staff.post(
        sortie_url(inscription),
        exit_data(situation="interim", entreprise_utilisatrice=france_travail.pk),
    ).text

    assert field_errors(html, "entreprise_utilisatrice") == [
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    ]
    assert not Sortie.objects.exists()


def test_the_exit_service_refuses_an_employer_that_cannot_employ():
    inscription = InscriptionFactory()
    greta = EntrepriseFactory(organisme_formation=True)

    with pytest.raises(ValidationError) as refus:
        services.enregistrer_sortie(
            inscription=inscription,
            date_sortie=today(),
            motif=Sortie.Motif.FIN_PARCOURS,
            situation="cdi",
            entreprise_utilisatrice=greta,
        )

    assert "entreprise_utilisatrice" in refus.value.message_dict
    assert not Sortie.objects.exists()


def test_exit_form_marks_required_fields_and_leaves_errors_to_the_portal(client_staff):
    inscription = InscriptionFactory()

    html = client_staff.get(sortie_url(inscription)).text
    errors = client_staff.post(sortie_url(inscription), exit_data(motif="", situation="")).text

    assert '<form method="post" class="formulaire" novalidate>' in html
    assert '<span class="obligatoire">*</span> champ obligatoire' in html
    label = re.search(r'<label for="id_motif">.*?</label>', html).group(0)
    assert '<span class="obligatoire" aria-hidden="true">&nbsp;*</span>' in label
    assert re.search(r'<select name="motif"[^>]*aria-required="true"', html)
    assert "*" not in re.search(r'<label for="id_commentaire">.*?</label>', html).group(0)
    assert '<li><a href="#id_motif">Motif</a></li>' in errors
    assert '<li><a href="#id_situation">Situation à la sortie</a></li>' in errors
