"""`pluralize` follows the French rule in every template, the admin's included."""

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("gabarit", "nombre", "attendu"),
    [
        ("{{ n }} place{{ n|pluralize }}", 0, "0 place"),
        ("{{ n }} place{{ n|pluralize }}", 1, "1 place"),
        ("{{ n }} place{{ n|pluralize }}", 2, "2 places"),
        ("{{ n }} nouveau{{ n|pluralize:'x' }}", 3, "3 nouveaux"),
        ("ser{{ n|pluralize:'a,ont' }}", 1, "sera"),
        ("ser{{ n|pluralize:'a,ont' }}", 0, "sera"),
        ("ser{{ n|pluralize:'a,ont' }}", 5, "seront"),
        ("{{ n|length }} ligne{{ n|pluralize }}", [1, 2], "2 lignes"),
        ("ligne{{ n|pluralize }}", [1], "ligne"),
        ("ligne{{ n|pluralize:'a,b,c' }}", 2, "ligne"),
        ("ligne{{ n|pluralize }}", None, "ligne"),
    ],
)
def test_pluralize_writes_zero_and_one_in_the_singular(gabarit, nombre, attendu):
    assert Template(gabarit).render(Context({"n": nombre})) == attendu
