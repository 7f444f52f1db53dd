import pytest
from django.contrib.auth.models import AnonymousUser

from ecoles.models import Ecole
from parcours.models import Cohorte, Inscription
from tests.factories import (
    AppartenanceFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    PartenaireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecoles():
    """Two schools with one cohort each; only the first has the partner's organisations."""
    tremois = EntrepriseFactory(nom="Trémois")
    greta = EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)
    cambrai = EcoleFactory(
        ville="Cambrai", entreprises_adherentes=[tremois], organismes_formation=[greta]
    )
    douai = EcoleFactory(ville="Douai", entreprises_adherentes=[EntrepriseFactory(nom="Big Ben")])
    for ecole in (cambrai, douai):
        InscriptionFactory(cohorte=CohorteFactory(parcours=ParcoursFactory(ecole=ecole)))
    return {"cambrai": cambrai, "douai": douai, "tremois": tremois, "greta": greta}


def visible_cities(user):
    return {
        "ecoles": set(Ecole.objects.visibles_par(user).values_list("ville", flat=True)),
        "cohortes": set(
            Cohorte.objects.visibles_par(user).values_list("parcours__ecole__ville", flat=True)
        ),
        "inscriptions": set(
            Inscription.objects.visibles_par(user).values_list(
                "cohorte__parcours__ecole__ville", flat=True
            )
        ),
    }


def seeing(*cities):
    return {"ecoles": set(cities), "cohortes": set(cities), "inscriptions": set(cities)}


@pytest.mark.parametrize("user_fixture", ["staff_user", "admin_user"])
def test_staff_sees_every_school_and_cohort(request, ecoles, user_fixture):
    user = request.getfixturevalue(user_fixture)

    assert visible_cities(user) == seeing("Cambrai", "Douai")


def test_superuser_with_partner_role_is_treated_as_staff(ecoles):
    user = UserFactory(partenaire=True, is_superuser=True)

    assert visible_cities(user) == seeing("Cambrai", "Douai")


@pytest.mark.parametrize("organisation", ["tremois", "greta"])
def test_partner_sees_only_the_schools_of_its_organisation(ecoles, organisation):
    partner = PartenaireFactory(appartenance__entreprise=ecoles[organisation])

    assert visible_cities(partner) == seeing("Cambrai")


def test_partner_of_both_schools_sees_each_school_once(ecoles):
    partner = PartenaireFactory(appartenance__entreprise=ecoles["tremois"])
    AppartenanceFactory(user=partner, entreprise=ecoles["douai"].entreprises_adherentes.get())

    assert list(
        Ecole.objects.visibles_par(partner).order_by("ville").values_list("ville", flat=True)
    ) == [
        "Cambrai",
        "Douai",
    ]


def test_partner_of_an_organisation_in_no_school_sees_nothing(ecoles, partner_user):
    assert visible_cities(partner_user) == seeing()


def test_partner_sees_a_school_once_its_organisation_joins_it(ecoles, partner_user):
    ecoles["douai"].entreprises_adherentes.add(partner_user.appartenances.get().entreprise)

    assert visible_cities(partner_user) == seeing("Douai")


def test_employment_partner_in_no_school_sees_nothing(ecoles):
    partner = PartenaireFactory(appartenance__entreprise=EntrepriseFactory(partenaire_emploi=True))

    assert visible_cities(partner) == seeing()


@pytest.mark.parametrize("organisation", ["tremois", "greta"])
def test_partner_with_deactivated_membership_sees_nothing(ecoles, organisation):
    partner = PartenaireFactory(appartenance__entreprise=ecoles[organisation])
    partner.appartenances.get().desactiver()

    assert visible_cities(partner) == seeing()


def test_deactivated_membership_does_not_hide_an_active_one(ecoles):
    partner = PartenaireFactory(appartenance__entreprise=ecoles["tremois"])
    AppartenanceFactory(
        user=partner, entreprise=ecoles["douai"].entreprises_adherentes.get()
    ).desactiver()

    assert visible_cities(partner) == seeing("Cambrai")


def test_deactivated_user_sees_nothing(ecoles):
    staff = UserFactory(is_active=False)
    partner = PartenaireFactory(appartenance__entreprise=ecoles["tremois"], is_active=False)

    assert visible_cities(staff) == seeing()
    assert visible_cities(partner) == seeing()


def test_anonymous_user_sees_nothing(ecoles):
    assert visible_cities(AnonymousUser()) == seeing()
