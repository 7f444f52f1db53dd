import pytest
from django.urls import reverse
from django.utils.html import escape

from besoins.models import AffectationBesoin, Besoin, Contrat
from tests.factories import (
    AffectationBesoinFactory,
    BesoinFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    PartenaireFactory,
)

pytestmark = pytest.mark.django_db


def test_the_admin_states_a_need_through_the_service(client, admin_user):
    entreprise = EntrepriseFactory()
    ecole = EcoleFactory(entreprises_adherentes=[entreprise])
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:besoins_besoin_add"),
        {
            "entreprise": entreprise.pk,
            "ecole": ecole.pk,
            "metier": "Cariste",
            "filiere": "",
            "postes": "2",
            "contrat": Contrat.CDI,
            "mois_embauche": "17/03/2031",
            "site": "Douai",
            "affectations-TOTAL_FORMS": "0",
            "affectations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    besoin = Besoin.objects.get()
    assert (besoin.etat, besoin.filiere, besoin.cree_par) == ("exprime", ecole.filiere, admin_user)
    assert besoin.mois_embauche.day == 1


def test_the_admin_refuses_a_company_that_is_not_a_member(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:besoins_besoin_add"),
        {
            "entreprise": EntrepriseFactory().pk,
            "ecole": EcoleFactory(nom="École de la Logistique").pk,
            "metier": "Cariste",
            "postes": "2",
            "contrat": Contrat.CDI,
            "mois_embauche": "01/03/2031",
            "site": "Douai",
            "affectations-TOTAL_FORMS": "0",
            "affectations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "adhérente de l&#x27;École de la Logistique" in response.text
    assert not Besoin.objects.exists()


def test_the_admin_refuses_to_assign_beyond_the_cohort_seats(client, admin_user):
    besoin = BesoinFactory(postes=10)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole, places=3)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:besoins_affectationbesoin_add"),
        {"besoin": besoin.pk, "cohorte": cohorte.pk, "postes": "4"},
    )

    assert response.status_code == 200
    assert "il en reste 3, pas 4" in response.text
    assert not AffectationBesoin.objects.exists()


def test_the_admin_validates_needs_with_its_action(client, admin_user):
    besoin = BesoinFactory()
    client.force_login(admin_user)

    client.post(
        reverse("admin:besoins_besoin_changelist"),
        {"action": "valider", "_selected_action": [besoin.pk]},
    )

    assert Besoin.objects.get().etat == Besoin.Etat.VALIDE


def test_deleting_an_assignment_in_the_admin_goes_through_the_service(client, admin_user):
    affectation = AffectationBesoinFactory()
    client.force_login(admin_user)

    client.post(
        reverse("admin:besoins_affectationbesoin_delete", args=[affectation.pk]), {"post": "yes"}
    )

    assert not AffectationBesoin.objects.exists()
    assert AffectationBesoin.history.filter(history_type="-").count() == 1


ORGANISATION = '"><svg onload=alert(3)>Ampère'
METIER = "<script>alert(1)</script>Régleur"
ECOLE = "<a href=javascript:alert(5)>École</a>"


@pytest.mark.parametrize(
    "name", ["besoins:detail", "besoins:mes_besoins", "besoins:planification", "besoins:annuler"]
)
def test_the_need_pages_show_markup_as_text(client, name):
    entreprise = EntrepriseFactory(nom=ORGANISATION)
    ecole = EcoleFactory(nom=ECOLE, entreprises_adherentes=[entreprise])
    besoin = BesoinFactory(entreprise=entreprise, ecole=ecole, metier=METIER, site=METIER)
    client.force_login(PartenaireFactory(appartenance__entreprise=entreprise))
    args = {
        "besoins:detail": [besoin.pk],
        "besoins:annuler": [besoin.pk],
        "besoins:planification": [ecole.pk],
    }.get(name, [])

    html = client.get(reverse(name, args=args)).text

    for valeur in [ORGANISATION, METIER, ECOLE]:
        assert valeur not in html
    for fragment in ["<script>alert(1)", "<svg onload", "<a href=javascript"]:
        assert fragment not in html
    assert escape(ECOLE) in html
    assert escape(ORGANISATION) in html
