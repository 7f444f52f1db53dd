import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from parcours.models import Categorie, Cohorte, Situation, Sortie, Suivi, categorie_de_sortie
from tests.factories import (
    CohorteFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db

JANVIER = datetime.date(2025, 1, 6)


def unsaved_copy(suivi, **changes):
    fields = {
        "inscription": suivi.inscription,
        "mois": suivi.mois,
        "date_entretien": suivi.date_entretien,
        "auteur": suivi.auteur,
        "assiduite": suivi.assiduite,
        "progression": suivi.progression,
        "risque_decrochage": suivi.risque_decrochage,
    }
    return Suivi(**{**fields, **changes})


def test_second_check_in_of_the_same_month_is_refused_by_the_database():
    suivi = SuiviFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved_copy(suivi).save()


def test_second_check_in_of_the_same_month_is_a_validation_error():
    suivi = SuiviFactory()
    duplicate = unsaved_copy(suivi)

    with pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()

    assert [item.code for item in error.value.error_dict[NON_FIELD_ERRORS]] == ["unique_together"]


def test_check_in_dated_mid_month_counts_for_that_month():
    suivi = SuiviFactory()
    duplicate = unsaved_copy(suivi, mois=suivi.mois.replace(day=15))

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert duplicate.mois == suivi.mois
    assert NON_FIELD_ERRORS in error.value.error_dict


def test_check_in_of_another_month_is_accepted():
    suivi = SuiviFactory()
    next_month = unsaved_copy(suivi, mois=(suivi.mois + datetime.timedelta(days=31)).replace(day=1))

    next_month.full_clean()
    next_month.save()

    assert suivi.inscription.suivis.count() == 2


def test_cohort_ending_before_it_starts_is_refused_by_the_database():
    parcours = ParcoursFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohorte.objects.create(
            parcours=parcours,
            nom="À l'envers",
            date_debut=JANVIER,
            date_fin=JANVIER - datetime.timedelta(days=1),
            places=12,
        )


def test_cohort_ending_before_it_starts_is_a_validation_error():
    cohorte = Cohorte(
        parcours=ParcoursFactory(),
        nom="À l'envers",
        date_debut=JANVIER,
        date_fin=JANVIER - datetime.timedelta(days=1),
        places=12,
    )

    with pytest.raises(ValidationError) as error:
        cohorte.full_clean()

    assert error.value.message_dict["date_fin"] == ["La date de fin doit suivre la date de début."]


def test_cohort_without_seats_is_refused_by_the_database():
    cohorte = CohorteFactory()
    cohorte.places = 0

    with pytest.raises(IntegrityError), transaction.atomic():
        cohorte.save()


def test_cohort_without_seats_is_a_validation_error():
    cohorte = CohorteFactory()
    cohorte.places = 0

    with pytest.raises(ValidationError) as error:
        cohorte.full_clean()

    assert NON_FIELD_ERRORS in error.value.error_dict


def test_contract_ending_before_it_starts_is_refused_by_the_database():
    sortie = SortieFactory.build(
        inscription=InscriptionFactory(),
        situation=Situation.CDD,
        date_debut_contrat=JANVIER,
        date_fin_contrat=JANVIER - datetime.timedelta(days=1),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        sortie.save()


def test_exit_before_entry_is_a_validation_error_naming_the_entry_date():
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=JANVIER))
    sortie = SortieFactory.build(
        inscription=inscription, date_sortie=JANVIER - datetime.timedelta(days=1)
    )

    with pytest.raises(ValidationError) as error:
        sortie.full_clean()

    assert error.value.message_dict["date_sortie"] == [
        "La sortie ne peut précéder l'entrée en formation (06/01/2025)."
    ]


def test_long_cdd_shorter_than_six_months_is_rejected_with_its_earliest_end():
    sortie = SortieFactory.build(
        inscription=InscriptionFactory(),
        situation=Situation.CDD_LONG,
        date_debut_contrat=datetime.date(2025, 1, 1),
        date_fin_contrat=datetime.date(2025, 6, 29),
    )

    with pytest.raises(ValidationError) as error:
        sortie.full_clean()

    assert error.value.message_dict["date_fin_contrat"] == [
        "Un CDD long dure au moins 6 mois : ce contrat finirait au plus tôt le 30/06/2025."
    ]


def test_long_cdd_of_exactly_six_months_is_accepted():
    sortie = SortieFactory.build(
        inscription=InscriptionFactory(),
        situation=Situation.CDD_LONG,
        date_debut_contrat=datetime.date(2025, 1, 1),
        date_fin_contrat=datetime.date(2025, 6, 30),
    )

    sortie.full_clean()


def test_fixed_term_contract_without_end_date_is_rejected():
    sortie = SortieFactory.build(
        inscription=InscriptionFactory(), situation=Situation.CDD, date_fin_contrat=None
    )

    with pytest.raises(ValidationError) as error:
        sortie.full_clean()

    assert error.value.message_dict["date_fin_contrat"] == ["Indiquez la date de fin du contrat."]


@pytest.mark.parametrize(
    ("situation", "debut", "fin", "categorie"),
    [
        (Situation.CDI, datetime.date(2025, 1, 1), None, Categorie.EMPLOI_DURABLE),
        (
            Situation.CDD,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 5, 31),
            Categorie.EMPLOI_TRANSITION,
        ),
        (
            Situation.CDD,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 7, 31),
            Categorie.EMPLOI_DURABLE,
        ),
        (
            Situation.INTERIM,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 6, 30),
            Categorie.EMPLOI_DURABLE,
        ),
        (
            Situation.INTERIM,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 6, 29),
            Categorie.EMPLOI_TRANSITION,
        ),
        (Situation.CDD, None, None, Categorie.EMPLOI_TRANSITION),
        (Situation.CONTRAT_AIDE, datetime.date(2025, 1, 1), None, Categorie.EMPLOI_TRANSITION),
        (Situation.CREATION_ENTREPRISE, None, None, Categorie.EMPLOI_DURABLE),
        (Situation.FORMATION_QUALIFIANTE, None, None, Categorie.SORTIE_POSITIVE),
        (Situation.AUTRE_EMPLOYEUR_INSERTION, None, None, Categorie.SORTIE_POSITIVE),
        (Situation.RECHERCHE_EMPLOI, None, None, Categorie.AUTRE),
        (Situation.INCONNUE, None, None, Categorie.AUTRE),
    ],
)
def test_category_is_derived_from_situation_and_contract_length(situation, debut, fin, categorie):
    assert categorie_de_sortie(situation, debut, fin) == categorie


@pytest.mark.parametrize(
    ("situation", "fin", "categorie"),
    [
        (Situation.CDI, None, Categorie.EMPLOI_DURABLE),
        (Situation.CDD, datetime.date(2025, 5, 31), Categorie.EMPLOI_TRANSITION),
        (Situation.CDD, datetime.date(2025, 7, 31), Categorie.EMPLOI_DURABLE),
        (Situation.INTERIM, datetime.date(2025, 6, 30), Categorie.EMPLOI_DURABLE),
        (Situation.CONTRAT_AIDE, datetime.date(2025, 12, 31), Categorie.EMPLOI_TRANSITION),
    ],
)
def test_saved_exit_stores_its_derived_category(situation, fin, categorie):
    sortie = SortieFactory(
        situation=situation, date_debut_contrat=datetime.date(2025, 1, 1), date_fin_contrat=fin
    )

    sortie.refresh_from_db()
    assert sortie.categorie == categorie


@pytest.mark.parametrize(
    ("situation", "categorie"),
    [
        (Situation.FORMATION_QUALIFIANTE, Categorie.SORTIE_POSITIVE),
        (Situation.RECHERCHE_EMPLOI, Categorie.AUTRE),
    ],
)
def test_saved_exit_without_contract_stores_its_derived_category(situation, categorie):
    sortie = SortieFactory(situation=situation, employeur="", date_debut_contrat=None)

    sortie.refresh_from_db()
    assert sortie.categorie == categorie


def test_typed_category_is_overwritten_on_save():
    sortie = SortieFactory(situation=Situation.CDI)
    sortie.categorie = Categorie.AUTRE

    sortie.save()

    sortie.refresh_from_db()
    assert sortie.categorie == Categorie.EMPLOI_DURABLE


def test_category_follows_a_situation_saved_with_update_fields():
    sortie = SortieFactory(situation=Situation.CDI)
    sortie.situation = Situation.RECHERCHE_EMPLOI

    sortie.save(update_fields=["situation"])

    sortie.refresh_from_db()
    assert sortie.categorie == Categorie.AUTRE


def test_category_is_not_a_form_field():
    form_class = modelform_factory(Sortie, fields="__all__")

    assert "situation" in form_class.base_fields
    assert "categorie" not in form_class.base_fields


def test_database_refuses_a_check_in_month_that_is_not_a_first_day():
    suivi = SuiviFactory.build(inscription=InscriptionFactory(), mois=datetime.date(2025, 3, 15))
    suivi.auteur.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        suivi.save()
