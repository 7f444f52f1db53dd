from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from entreprises.validators import luhn_is_valid, validate_siret
from tests.factories import siret_de_sequence


@given(st.one_of(st.text(), st.text(alphabet="0123456789", min_size=12, max_size=16)))
def test_any_text_is_either_accepted_or_refused_with_a_validation_error(value):
    try:
        validate_siret(value)
    except ValidationError as error:
        assert error.messages
    else:
        assert len(value) == 14 and value.isdigit()


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_generated_siret_is_accepted(number):
    validate_siret(siret_de_sequence(number))


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=13))
def test_changing_one_digit_breaks_the_luhn_check(number, position):
    siret = siret_de_sequence(number)
    changed = str((int(siret[position]) + 1) % 10)

    assert not luhn_is_valid(siret[:position] + changed + siret[position + 1 :])
