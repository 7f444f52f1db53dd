"""What the audit of one write path and one definition per rule found still unproven.

The admin's other paths, the host company of the moment read alike by the staff and
partner cohort pages once an internship is over, and factories that only reach states
the application can.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser
from parcours.models import Inscription, Stage, TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
)
from tests.formulaires import champs_du_formulaire

pytestmark = pytest.mark.django_db

SEMAINE = datetime.timedelta(weeks=1)


def today():
    return timezone.localdate()


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def poster(client, url, form_id, **changes):
    """GET the admin page, then POST its form back with `changes`."""
    donnees = champs_du_formulaire(client.get(url), form_id)
    donnees.update({name: "" if value is None else value for name, value in changes.items()})
    return client.post(url, donnees)


# The admin


def test_the_admin_refuses_to_enroll_an_anonymised_person(client_admin):
    cohorte = CohorteFactory()
    personne = CandidatFactory()
    anonymiser(candidats=Candidat.objects.filter(pk=personne.pk))

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_add"),
        "inscription_form",
        candidat=personne.pk,
        cohorte=cohorte.pk,
        date_entree=cohorte.date_debut.isoformat(),
    )

    assert response.status_code == 200
    assert "Cette personne a été anonymisée : elle ne peut être inscrite." in response.text
    assert not Inscription.objects.filter(candidat=personne).exists()


def test_an_anonymised_person_is_offered_neither_in_the_school_s_list_nor_by_search(
    client_staff,
):
    cohorte = CohorteFactory()
    ecole = cohorte.parcours.ecole
    voisine = CandidatFactory(ecole_visee=ecole, statut=Candidat.Statut.PRESELECTIONNE)
    personne = CandidatFactory(ecole_visee=ecole, statut=Candidat.Statut.PRESELECTIONNE)
    anonymiser(candidats=Candidat.objects.filter(pk=personne.pk))
    url = reverse("parcours:choisir_candidat", args=[cohorte.pk])

    liste = client_staff.get(url).text
    recherche = client_staff.get(url, {"q": "anonyme"}).text

    # The school's list shows the people it proposes: the anonymised one is not among them.
    assert reverse("parcours:inscrire", args=[cohorte.pk, voisine.pk]) in liste
    inscrire = reverse("parcours:inscrire", args=[cohorte.pk, personne.pk])
    assert inscrire not in liste
    assert inscrire not in recherche


def test_the_admin_refuses_an_entry_date_outside_the_cohort(client_admin):
    cohorte = CohorteFactory()
    candidat = CandidatFactory()

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_add"),
        "inscription_form",
        candidat=candidat.pk,
        cohorte=cohorte.pk,
        date_entree=(cohorte.date_fin + datetime.timedelta(days=1)).isoformat(),
    )

    assert response.status_code == 200
    assert "La date d&#x27;entrée doit être comprise entre le" in response.text
    assert not Inscription.objects.exists()


def test_the_admin_refuses_a_theory_phase_as_an_internship(client_admin):
    inscription = InscriptionFactory()
    theorie = inscription.cohorte.phases.filter(type=TypePhase.THEORIE).first()
    entreprise = EntrepriseFactory()
    inscription.cohorte.parcours.ecole.entreprises_adherentes.add(entreprise)

    response = poster(
        client_admin,
        reverse("admin:parcours_stage_add"),
        "stage_form",
        inscription=inscription.pk,
        phase=theorie.pk,
        entreprise=entreprise.pk,
    )

    assert response.status_code == 200
    assert "Seule une phase de stage accueille une entreprise." in response.text
    assert not Stage.objects.exists()


def test_the_admin_cannot_shorten_a_cohort_before_its_recorded_exits(client_admin):
    cohorte = CohorteFactory(date_debut=today() - 30 * SEMAINE)
    SortieFactory(inscription=InscriptionFactory(cohorte=cohorte))
    fin = cohorte.date_fin
    url = reverse("admin:parcours_cohorte_change", args=[cohorte.pk])

    assert 'name="date_fin"' not in client_admin.get(url).text
    response = poster(client_admin, url, "cohorte_form", date_fin=cohorte.date_debut.isoformat())

    assert response.status_code == 302
    cohorte.refresh_from_db()
    assert cohorte.date_fin == fin


def test_an_internship_added_inline_on_the_enrollment_keeps_the_member_company_rule(
    client_admin,
):
    inscription = InscriptionFactory()
    phase = inscription.cohorte.phases.get(type=TypePhase.STAGE)
    ailleurs = EntrepriseFactory(nom="Ailleurs SA")

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_change", args=[inscription.pk]),
        "inscription_form",
        **{
            "stages-TOTAL_FORMS": "1",
            "stages-0-inscription": inscription.pk,
            "stages-0-phase": phase.pk,
            "stages-0-entreprise": ailleurs.pk,
            "stages-0-heures_hebdomadaires": "35",
        },
    )

    assert response.status_code == 200
    assert "Ailleurs SA n&#x27;est pas une entreprise adhérente" in response.text
    assert not Stage.objects.exists()


# The host company of the moment, on both cohort pages


@pytest.mark.parametrize(
    ("semaines_depuis_le_debut", "attendue"),
    [(5, "Flex N Gate"), (9, "Flex N Gate"), (14, "Flex N Gate")],
    ids=["between-the-internships", "after-both-internships", "cohort-ended"],
)
def test_staff_and_partner_cohort_pages_show_the_same_host_of_the_moment(
    client, staff_user, semaines_depuis_le_debut, attendue
):
    parcours = ParcoursFactory(
        phases=[
            (TypePhase.THEORIE, "Théorie 1", 2),
            (TypePhase.STAGE, "Stage 1", 2),
            (TypePhase.THEORIE, "Théorie 2", 2),
            (TypePhase.STAGE, "Stage 2", 2),
            (TypePhase.THEORIE, "Théorie 3", 2),
        ]
    )
    ampere, flex = EntrepriseFactory(nom="Ampere Béthune"), EntrepriseFactory(nom="Flex N Gate")
    parcours.ecole.entreprises_adherentes.add(ampere, flex)
    cohorte = CohorteFactory(
        parcours=parcours, date_debut=today() - semaines_depuis_le_debut * SEMAINE
    )
    inscription = InscriptionFactory(cohorte=cohorte, candidat__nom="Zerrouki")
    for phase, entreprise in zip(
        cohorte.phases.filter(type=TypePhase.STAGE).order_by("ordre"), [ampere, flex], strict=True
    ):
        StageFactory(inscription=inscription, phase=phase, entreprise=entreprise)
    url = reverse("parcours:cohorte", args=[cohorte.pk])

    client.force_login(staff_user)
    equipe = client.get(url).text
    client.force_login(PartenaireFactory(appartenance__entreprise=ampere))
    partenaire = client.get(reverse("partenaires:cohorte", args=[cohorte.pk])).text

    assert f"<td>{attendue}<br>" in equipe
    assert "<td>Ampere Béthune<br>" not in equipe
    assert f"<td>{attendue}</td>" in partenaire
    assert "<td>Ampere Béthune</td>" not in partenaire


# Factories


def test_the_exit_factory_closes_the_enrollment_like_the_exit_service():
    sortie = SortieFactory()

    assert sortie.inscription.statut == Inscription.Statut.SORTIE
    assert Inscription.objects.get().statut == Inscription.Statut.SORTIE


def test_the_exit_factory_refuses_an_exit_the_application_would_refuse():
    inscription = InscriptionFactory()

    with pytest.raises(ValidationError):
        SortieFactory(inscription=inscription, date_sortie=today() + datetime.timedelta(days=1))

    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.EN_FORMATION
