import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from besoins import services
from besoins.models import AffectationBesoin, Besoin, Contrat
from parcours.models import Situation, Sortie
from parcours.services import enregistrer_sortie, supprimer_sorties
from tests.factories import (
    AffectationBesoinFactory,
    BesoinFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    SortieFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def donnees(**kwargs):
    entreprise = kwargs.pop("entreprise", None) or EntrepriseFactory(nom="Ampere")
    ecole = kwargs.pop("ecole", None) or EcoleFactory(entreprises_adherentes=[entreprise])
    return {
        "entreprise": entreprise,
        "ecole": ecole,
        "metier": "Conducteur de ligne",
        "postes": 3,
        "contrat": Contrat.CDI,
        "mois_embauche": datetime.date(2031, 3, 17),
        "site": "Ruitz",
    } | kwargs


# Stating a need


def test_a_stated_need_takes_the_first_of_its_month_and_the_school_job_family():
    besoin, cree = services.exprimer_besoin(**donnees())

    assert cree
    besoin.refresh_from_db()
    assert besoin.etat == Besoin.Etat.EXPRIME
    assert besoin.mois_embauche == datetime.date(2031, 3, 1)
    assert besoin.filiere == besoin.ecole.filiere
    assert besoin.history.count() >= 1


def test_a_company_that_is_not_a_member_of_the_school_is_refused():
    ecole = EcoleFactory(nom="École de la Logistique", ville="Douai")

    with pytest.raises(ValidationError) as error:
        services.exprimer_besoin(**donnees(ecole=ecole))

    assert "n'est pas adhérente de l'École de la Logistique — Douai" in str(error.value)
    assert not Besoin.objects.exists()


def test_a_training_organisation_states_no_need():
    greta = EntrepriseFactory(organisme_formation=True, nom="GRETA")
    ecole = EcoleFactory(entreprises_adherentes=[greta])

    with pytest.raises(ValidationError, match="n'est pas une entreprise adhérente"):
        services.exprimer_besoin(**donnees(entreprise=greta, ecole=ecole))


def test_the_same_token_twice_creates_one_need():
    premier, cree = services.exprimer_besoin(**donnees(), jeton="a" * 32)
    second, cree_encore = services.exprimer_besoin(
        **donnees(entreprise=premier.entreprise, ecole=premier.ecole), jeton="a" * 32
    )

    assert (cree, cree_encore) == (True, False)
    assert second.pk == premier.pk
    assert Besoin.objects.count() == 1


# States


def test_only_a_stated_need_is_validated():
    besoin = BesoinFactory()

    services.valider_besoin(besoin=besoin)
    besoin.refresh_from_db()
    with pytest.raises(ValidationError, match="Seul un besoin exprimé"):
        services.valider_besoin(besoin=besoin)

    assert besoin.etat == Besoin.Etat.VALIDE
    assert besoin.valide_le is not None


def test_cancelling_a_need_gives_its_cohort_positions_back():
    affectation = AffectationBesoinFactory(postes=2)

    services.annuler_besoin(besoin=affectation.besoin)

    assert Besoin.objects.get().etat == Besoin.Etat.ANNULE
    assert not AffectationBesoin.objects.exists()


def test_a_covered_need_is_neither_cancelled_nor_changed():
    besoin = BesoinFactory(postes=1)
    Besoin.objects.filter(pk=besoin.pk).update(etat=Besoin.Etat.COUVERT)
    besoin.refresh_from_db()

    with pytest.raises(ValidationError, match="couvert : il ne peut être annulé"):
        services.annuler_besoin(besoin=besoin)
    with pytest.raises(ValidationError, match="ne peut plus être modifié"):
        services.modifier_besoin(besoin=besoin, postes=4)


def test_positions_never_fall_below_those_assigned():
    affectation = AffectationBesoinFactory(besoin__postes=3, postes=2)

    with pytest.raises(ValidationError) as error:
        services.modifier_besoin(besoin=affectation.besoin, postes=1)

    assert "2 postes de ce besoin sont affectés" in str(error.value)
    assert Besoin.objects.get().postes == 3


# Assigning positions to cohorts


def test_the_positions_assigned_never_exceed_the_cohort_seats():
    cohorte = CohorteFactory(places=5, nom="Promo Béthune")
    ecole = cohorte.parcours.ecole
    entreprises = EntrepriseFactory.create_batch(2)
    ecole.entreprises_adherentes.add(*entreprises)
    un = BesoinFactory(entreprise=entreprises[0], ecole=ecole, postes=4)
    deux = BesoinFactory(entreprise=entreprises[1], ecole=ecole, postes=4)
    services.affecter_cohorte(besoin=un, cohorte=cohorte, postes=3)

    with pytest.raises(ValidationError) as error:
        services.affecter_cohorte(besoin=deux, cohorte=cohorte, postes=3)

    assert "« Promo Béthune » compte 5 places, dont 3 déjà affectées" in str(error.value)
    assert "il en reste 2, pas 3" in str(error.value)
    assert not AffectationBesoin.objects.filter(besoin=deux).exists()
    services.affecter_cohorte(besoin=deux, cohorte=cohorte, postes=2)
    assert sum(AffectationBesoin.objects.values_list("postes", flat=True)) == 5


def test_the_positions_assigned_never_exceed_the_need_positions():
    besoin = BesoinFactory(postes=3)
    premiere = CohorteFactory(parcours__ecole=besoin.ecole, places=12)
    seconde = CohorteFactory(parcours__ecole=besoin.ecole, places=12)
    services.affecter_cohorte(besoin=besoin, cohorte=premiere, postes=2)

    with pytest.raises(ValidationError) as error:
        services.affecter_cohorte(besoin=besoin, cohorte=seconde, postes=2)

    assert "Le besoin compte 3 postes, dont 2 déjà affectés" in str(error.value)
    assert AffectationBesoin.objects.count() == 1


def test_assigning_the_same_cohort_again_replaces_its_positions():
    affectation = AffectationBesoinFactory(besoin__postes=3, postes=1)

    services.affecter_cohorte(besoin=affectation.besoin, cohorte=affectation.cohorte, postes=3)

    assert list(AffectationBesoin.objects.values_list("postes", flat=True)) == [3]


def test_a_cohort_of_another_school_is_refused():
    besoin = BesoinFactory()

    with pytest.raises(ValidationError, match="une autre école"):
        services.affecter_cohorte(besoin=besoin, cohorte=CohorteFactory(), postes=1)


# Covered by hires


def embauche(cohorte, entreprise, situation=Situation.CDI, **kwargs):
    """An exit of a trainee of `cohorte`, today, hired by `entreprise`."""
    inscription = InscriptionFactory(cohorte=cohorte)
    return enregistrer_sortie(
        inscription=inscription,
        date_sortie=today(),
        motif=Sortie.Motif.EMBAUCHE_ANTICIPEE,
        situation=situation,
        employeur="Alliance Emploi",
        entreprise_utilisatrice=entreprise,
        date_debut_contrat=today() + datetime.timedelta(days=1),
        **kwargs,
    )


def test_a_cdi_exit_with_that_employer_covers_the_need_and_deleting_it_uncovers_it():
    besoin = BesoinFactory(postes=1, valide=True)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole)

    sortie = embauche(cohorte, besoin.entreprise)
    besoin.refresh_from_db()
    assert (besoin.etat, besoin.embauches, besoin.couvert_le) == (
        Besoin.Etat.COUVERT,
        1,
        today(),
    )

    supprimer_sorties(sorties=Sortie.objects.filter(pk=sortie.pk))
    besoin.refresh_from_db()
    assert (besoin.etat, besoin.embauches, besoin.couvert_le) == (Besoin.Etat.VALIDE, 0, None)


def test_hires_are_counted_until_they_reach_the_positions():
    besoin = BesoinFactory(postes=3)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole)

    embauche(cohorte, besoin.entreprise)
    embauche(
        cohorte,
        besoin.entreprise,
        situation=Situation.CDD_LONG,
        date_fin_contrat=today() + datetime.timedelta(days=400),
    )
    besoin.refresh_from_db()

    assert (besoin.etat, besoin.embauches) == (Besoin.Etat.EXPRIME, 2)


def test_changing_the_employer_of_an_exit_moves_the_hire_to_the_other_company():
    besoin = BesoinFactory(postes=1)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole)
    sortie = embauche(cohorte, besoin.entreprise)
    autre = EntrepriseFactory()

    enregistrer_sortie(inscription=sortie.inscription, entreprise_utilisatrice=autre)
    besoin.refresh_from_db()

    assert (besoin.etat, besoin.embauches) == (Besoin.Etat.EXPRIME, 0)


def test_an_exit_that_is_not_a_job_or_at_another_employer_does_not_count():
    besoin = BesoinFactory(postes=1)
    cohorte = CohorteFactory(parcours__ecole=besoin.ecole)
    InscriptionFactory(cohorte=cohorte)
    enregistrer_sortie(
        inscription=InscriptionFactory(cohorte=cohorte),
        date_sortie=today(),
        motif=Sortie.Motif.ABANDON,
        situation=Situation.RECHERCHE_EMPLOI,
        entreprise_utilisatrice=besoin.entreprise,
    )
    embauche(cohorte, EntrepriseFactory())

    besoin.refresh_from_db()
    assert (besoin.etat, besoin.embauches) == (Besoin.Etat.EXPRIME, 0)


def test_a_need_linked_to_cohorts_counts_only_their_trainees():
    besoin = BesoinFactory(postes=1)
    liee = CohorteFactory(parcours__ecole=besoin.ecole)
    autre = CohorteFactory(parcours__ecole=besoin.ecole)
    services.affecter_cohorte(besoin=besoin, cohorte=liee, postes=1)

    embauche(autre, besoin.entreprise)
    besoin.refresh_from_db()
    assert besoin.embauches == 0

    embauche(liee, besoin.entreprise)
    besoin.refresh_from_db()
    assert (besoin.etat, besoin.embauches) == (Besoin.Etat.COUVERT, 1)


def test_exits_before_the_need_was_stated_do_not_count():
    entreprise = EntrepriseFactory()
    ecole = EcoleFactory(entreprises_adherentes=[entreprise])
    SortieFactory(
        inscription__cohorte__parcours__ecole=ecole,
        entreprise_utilisatrice=entreprise,
    )

    besoin = BesoinFactory(entreprise=entreprise, ecole=ecole, postes=1)

    assert (besoin.etat, besoin.embauches) == (Besoin.Etat.EXPRIME, 0)
