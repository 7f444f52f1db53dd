import datetime

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from evaluations.models import Appreciation, Embauche, EvaluationDeStage
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    StageFactory,
    UserFactory,
)


class EvaluationDeStageFactory(DjangoModelFactory):
    """A tutor's evaluation, saved by a partner of the host company."""

    class Meta:
        model = EvaluationDeStage

    stage = factory.SubFactory(StageFactory)
    ponctualite = Appreciation.TRES_SATISFAISANT
    qualite_du_travail = Appreciation.SATISFAISANT
    integration = Appreciation.A_AMELIORER
    embaucherait = Embauche.OUI
    commentaire = "Rigoureux, à l'aise sur la ligne."
    tuteur = "Nadia Caron"
    saisie_par = factory.LazyAttribute(
        lambda evaluation: PartenaireFactory(appartenance__entreprise=evaluation.stage.entreprise)
    )


def il_y_a(semaines):
    return timezone.localdate() - datetime.timedelta(weeks=semaines)


@pytest.fixture
def ampere(db):
    return EntrepriseFactory(nom="Ampere")


@pytest.fixture
def mahle(db):
    return EntrepriseFactory(nom="Mahle")


@pytest.fixture
def greta(db):
    return EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)


@pytest.fixture
def ecole(ampere, mahle, greta):
    return EcoleFactory(
        nom="École de la Maintenance",
        ville="Béthune",
        entreprises_adherentes=[ampere, mahle],
        organismes_formation=[greta],
    )


@pytest.fixture
def cohorte_terminee(ecole):
    """Started 30 weeks ago: its internship (weeks 7 to 11) is over."""
    return CohorteFactory(parcours__ecole=ecole, nom="Béthune 2026", date_debut=il_y_a(30))


@pytest.fixture
def stage_termine(cohorte_terminee, ampere):
    """Hélène Lefèvre's internship at Ampere, over."""
    return StageFactory(
        inscription=InscriptionFactory(
            cohorte=cohorte_terminee, candidat__prenom="Hélène", candidat__nom="Lefèvre"
        ),
        entreprise=ampere,
    )


@pytest.fixture
def tuteur_ampere(ampere):
    return PartenaireFactory(appartenance__entreprise=ampere, first_name="Nadia")


@pytest.fixture
def partenaire_mahle(mahle):
    """A partner of another member company of the same school."""
    return PartenaireFactory(appartenance__entreprise=mahle)


@pytest.fixture
def partenaire_greta(greta):
    """A partner of the school's training organisation."""
    return PartenaireFactory(appartenance__entreprise=greta)


@pytest.fixture
def equipe(db):
    return UserFactory(first_name="Camille", email="camille.roussel@example.org")


LUNDI = datetime.date(2025, 6, 16)


@pytest.fixture
def semaine_chargee(today_is, ecole, ampere):
    """Monday 16 June 2025, with one row in each section of the "À faire" page.

    Hélène, in a cohort started on 3 March, has no check-in for March, April or May (three
    overdue months) and her internship at Ampere ended on 18 May without evaluation; Louis,
    entered on 2 June, has no host company for his July internship; Marc's cohort ended in
    January 2024 without his exit recorded (too long ago for his missing check-ins to be
    looked for).
    """
    today_is(LUNDI)
    en_cours = CohorteFactory(parcours__ecole=ecole, nom="Béthune mars 2025", date_debut=D(3, 3))
    helene = InscriptionFactory(
        cohorte=en_cours, candidat__prenom="Hélène", candidat__nom="Lefèvre"
    )
    stage = StageFactory(inscription=helene, entreprise=ampere)
    a_venir = CohorteFactory(parcours__ecole=ecole, nom="Béthune juin 2025", date_debut=D(6, 2))
    louis = InscriptionFactory(cohorte=a_venir, candidat__prenom="Louis", candidat__nom="Martin")
    terminee = CohorteFactory(
        parcours__ecole=ecole, nom="Béthune 2023", date_debut=datetime.date(2023, 9, 4)
    )
    marc = InscriptionFactory(cohorte=terminee, candidat__prenom="Marc", candidat__nom="Petit")
    return {"helene": helene, "stage": stage, "louis": louis, "marc": marc}


def D(month, day):
    return datetime.date(2025, month, day)
