"""One colouring per status and category, whichever page shows it."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from parcours.models import Categorie, Situation
from tests.factories import EntrepriseFactory, PartenaireFactory, SortieFactory

pytestmark = pytest.mark.django_db


def badge(kind, value):
    return Template("{% load portail %}{% badge kind value %}").render(
        Context({"kind": kind, "value": value})
    )


@pytest.mark.parametrize(
    ("categorie", "attendu"),
    [
        (Categorie.EMPLOI_DURABLE, '<span class="badge badge-success">Emploi durable</span>'),
        (
            Categorie.EMPLOI_TRANSITION,
            '<span class="badge badge-warning">Emploi de transition</span>',
        ),
        (Categorie.SORTIE_POSITIVE, '<span class="badge badge-warning">Sortie positive</span>'),
        (Categorie.AUTRE, '<span class="badge">Autre</span>'),
    ],
)
def test_each_category_has_one_badge(categorie, attendu):
    assert badge("categorie", categorie) == attendu


def test_an_empty_value_shows_no_badge():
    assert badge("niveau", "") == ""


def test_staff_partner_and_candidate_pages_colour_an_exit_alike(client, staff_user):
    sortie = SortieFactory(
        situation=Situation.CDD,
        date_fin_contrat=datetime.date.today() + datetime.timedelta(days=60),
    )
    inscription = sortie.inscription
    ecole = inscription.cohorte.parcours.ecole
    entreprise = EntrepriseFactory()
    ecole.entreprises_adherentes.add(entreprise)
    partenaire = PartenaireFactory(appartenance__entreprise=entreprise)
    attendu = '<span class="badge badge-warning">Emploi de transition</span>'

    client.force_login(staff_user)
    pages = [
        client.get(reverse("parcours:cohorte", args=[inscription.cohorte_id])).text,
        client.get(reverse("candidats:detail", args=[inscription.candidat_id])).text,
    ]
    client.force_login(partenaire)
    pages.append(client.get(reverse("partenaires:cohorte", args=[inscription.cohorte_id])).text)

    for page in pages:
        assert attendu in page
