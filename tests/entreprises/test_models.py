import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from entreprises.models import Entreprise
from entreprises.validators import validate_siret
from tests.factories import EntrepriseFactory, luhn_check_digit, siret_de_sequence

pytestmark = pytest.mark.django_db

VALID_SIRET = "12345678200010"  # 123 456 782 is a Luhn-valid SIREN, 00010 its NIC.


def siret_errors(siret):
    entreprise = EntrepriseFactory.build(siret=siret)
    with pytest.raises(ValidationError) as error:
        entreprise.full_clean()
    return error.value.message_dict["siret"]


def test_luhn_valid_siret_is_accepted():
    entreprise = EntrepriseFactory.build(siret=VALID_SIRET)

    entreprise.full_clean()


def test_factory_sirets_pass_the_model_validator():
    for number in (0, 1, 9, 10, 99, 12345, 999_999):
        validate_siret(siret_de_sequence(number))


def test_check_digit_helper_matches_a_known_siret():
    assert luhn_check_digit("1234567820001") == "0"
    assert luhn_check_digit("3560000000004") == "8"


@pytest.mark.parametrize("last_digit", "123456789")
def test_siret_with_bad_checksum_is_rejected(last_digit):
    assert siret_errors(VALID_SIRET[:-1] + last_digit) == [
        "Ce SIRET n'est pas valide (clé de contrôle incorrecte)."
    ]


@pytest.mark.parametrize(
    "siret",
    [
        "1234567820001",  # 13 digits
        "123456782000100",  # 15 digits
        "1234567820001A",
        "123 456 782 00010",
        "１２３４５６７８２０００１０",  # full-width digits pass str.isdigit()
    ],
)
def test_siret_of_wrong_length_or_with_non_digits_is_rejected(siret):
    assert "Le SIRET doit comporter exactement 14 chiffres." in siret_errors(siret)


def test_la_poste_establishment_follows_the_sum_of_digits_rule():
    # 35600000000001 fails Luhn but its digits add up to 15, a multiple of 5.
    validate_siret("35600000000001")
    with pytest.raises(ValidationError):
        validate_siret("35600000000002")


def test_database_rejects_a_13_character_siret_saved_without_validation():
    with pytest.raises(IntegrityError), transaction.atomic():
        Entreprise.objects.create(nom="Trémois", siret="1234567820001", ville="Cambrai")


def test_database_rejects_a_duplicate_siret():
    EntrepriseFactory(siret=VALID_SIRET)

    with pytest.raises(IntegrityError), transaction.atomic():
        Entreprise.objects.create(nom="Mahle", siret=VALID_SIRET, ville="Cambrai")


def test_duplicate_siret_is_a_validation_error_on_the_siret_field():
    EntrepriseFactory(siret=VALID_SIRET)

    with pytest.raises(ValidationError) as error:
        EntrepriseFactory.build(siret=VALID_SIRET).full_clean()

    assert [item.code for item in error.value.error_dict["siret"]] == ["unique"]


def test_la_poste_head_office_keeps_the_luhn_rule():
    validate_siret("35600000000048")
