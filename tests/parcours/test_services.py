import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidats.models import Candidat
from parcours import services
from parcours.models import Categorie, Inscription, Situation, Sortie, TypePhase
from parcours.services import creer_cohorte, enregistrer_sortie, inscrire
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    PhaseModeleFactory,
    SortieFactory,
)

pytestmark = pytest.mark.django_db

LUNDI_6_JANVIER = datetime.date(2025, 1, 6)


def test_creer_cohorte_lays_the_template_phases_end_to_end():
    parcours = ParcoursFactory(
        phases=[
            (TypePhase.THEORIE, "Théorie 1", 6),
            (TypePhase.STAGE, "Stage chez Ampere", 5),
            (TypePhase.THEORIE, "Théorie 2", 10),
        ]
    )

    cohorte = creer_cohorte(
        parcours=parcours, nom="Béthune 2025", date_debut=LUNDI_6_JANVIER, places=12
    )

    assert [
        (phase.ordre, phase.type, phase.intitule, phase.date_debut, phase.date_fin)
        for phase in cohorte.phases.all()
    ] == [
        (1, TypePhase.THEORIE, "Théorie 1", datetime.date(2025, 1, 6), datetime.date(2025, 2, 16)),
        (
            2,
            TypePhase.STAGE,
            "Stage chez Ampere",
            datetime.date(2025, 2, 17),
            datetime.date(2025, 3, 23),
        ),
        (3, TypePhase.THEORIE, "Théorie 2", datetime.date(2025, 3, 24), datetime.date(2025, 6, 1)),
    ]
    cohorte.refresh_from_db()
    assert cohorte.date_debut == LUNDI_6_JANVIER
    assert cohorte.date_fin == datetime.date(2025, 6, 1)


def test_creer_cohorte_follows_the_template_order_not_the_creation_order():
    parcours = ParcoursFactory(phases=[])
    PhaseModeleFactory(parcours=parcours, ordre=2, intitule="Stage", duree_semaines=1)
    PhaseModeleFactory(parcours=parcours, ordre=1, intitule="Théorie", duree_semaines=2)

    cohorte = creer_cohorte(parcours=parcours, nom="Ordre", date_debut=LUNDI_6_JANVIER, places=5)

    assert [(phase.intitule, phase.date_debut) for phase in cohorte.phases.all()] == [
        ("Théorie", datetime.date(2025, 1, 6)),
        ("Stage", datetime.date(2025, 1, 20)),
    ]
    assert cohorte.date_fin == datetime.date(2025, 1, 26)


def test_inscrire_refuses_a_full_cohort():
    cohorte = CohorteFactory(date_debut=LUNDI_6_JANVIER, places=1)
    inscrire(
        candidat=CandidatFactory(),
        cohorte=cohorte,
        date_entree=LUNDI_6_JANVIER,
        today=LUNDI_6_JANVIER,
    )
    refused = CandidatFactory()

    with pytest.raises(ValidationError, match=r"La cohorte est complète \(1 place\)"):
        inscrire(
            candidat=refused, cohorte=cohorte, date_entree=LUNDI_6_JANVIER, today=LUNDI_6_JANVIER
        )

    assert not refused.inscriptions.exists()


def test_inscrire_refuses_a_candidate_already_in_training_on_overlapping_dates():
    candidat = CandidatFactory()
    premiere = CohorteFactory(nom="Cambrai janvier", date_debut=LUNDI_6_JANVIER)
    seconde = CohorteFactory(date_debut=datetime.date(2025, 3, 3))
    inscrire(
        candidat=candidat, cohorte=premiere, date_entree=LUNDI_6_JANVIER, today=LUNDI_6_JANVIER
    )

    with pytest.raises(
        ValidationError, match="déjà en formation dans la cohorte « Cambrai janvier »"
    ):
        inscrire(
            candidat=candidat,
            cohorte=seconde,
            date_entree=seconde.date_debut,
            today=LUNDI_6_JANVIER,
        )

    assert list(candidat.inscriptions.values_list("cohorte", flat=True)) == [premiere.pk]


def test_inscrire_accepts_a_new_cohort_after_the_previous_exit():
    candidat = CandidatFactory()
    premiere = CohorteFactory(date_debut=LUNDI_6_JANVIER)
    seconde = CohorteFactory(date_debut=datetime.date(2025, 3, 3))
    inscription = inscrire(
        candidat=candidat, cohorte=premiere, date_entree=LUNDI_6_JANVIER, today=LUNDI_6_JANVIER
    )
    enregistrer_sortie(
        inscription=inscription,
        date_sortie=datetime.date(2025, 2, 10),
        motif=Sortie.Motif.ABANDON,
        situation=Situation.RECHERCHE_EMPLOI,
    )

    nouvelle = inscrire(
        candidat=candidat, cohorte=seconde, date_entree=seconde.date_debut, today=LUNDI_6_JANVIER
    )

    assert nouvelle.cohorte == seconde
    assert nouvelle.statut == Inscription.Statut.EN_FORMATION


def test_inscrire_refuses_an_ended_cohort():
    cohorte = CohorteFactory(date_debut=LUNDI_6_JANVIER)

    with pytest.raises(ValidationError, match="Cette cohorte est terminée"):
        inscrire(
            candidat=CandidatFactory(),
            cohorte=cohorte,
            date_entree=LUNDI_6_JANVIER,
            today=cohorte.date_fin + datetime.timedelta(days=1),
        )

    assert not cohorte.inscriptions.exists()


def test_inscrire_accepts_a_cohort_on_its_last_day():
    cohorte = CohorteFactory(date_debut=LUNDI_6_JANVIER)

    inscription = inscrire(
        candidat=CandidatFactory(),
        cohorte=cohorte,
        date_entree=cohorte.date_fin,
        today=cohorte.date_fin,
    )

    assert inscription.date_entree == cohorte.date_fin


def test_inscrire_refuses_a_host_company_that_is_not_a_member_of_the_school():
    ecole = EcoleFactory(entreprises_adherentes=[EntrepriseFactory()])
    cohorte = CohorteFactory(parcours=ParcoursFactory(ecole=ecole), date_debut=LUNDI_6_JANVIER)
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    outsider = EntrepriseFactory(nom="Big Ben")

    with pytest.raises(ValidationError, match="Big Ben n'est pas une entreprise adhérente"):
        inscrire(
            candidat=CandidatFactory(),
            cohorte=cohorte,
            date_entree=LUNDI_6_JANVIER,
            entreprises_de_stage={stage: outsider},
            today=LUNDI_6_JANVIER,
        )

    assert not cohorte.inscriptions.exists()


def test_inscrire_records_the_host_company_of_each_internship():
    ampere = EntrepriseFactory(nom="Ampere")
    ecole = EcoleFactory(entreprises_adherentes=[ampere])
    cohorte = CohorteFactory(parcours=ParcoursFactory(ecole=ecole), date_debut=LUNDI_6_JANVIER)
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    candidat = CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE)

    inscription = inscrire(
        candidat=candidat,
        cohorte=cohorte,
        date_entree=LUNDI_6_JANVIER,
        entreprises_de_stage={stage: ampere},
        today=LUNDI_6_JANVIER,
    )

    assert [(s.phase, s.entreprise) for s in inscription.stages.all()] == [(stage, ampere)]
    candidat.refresh_from_db()
    assert candidat.statut == Candidat.Statut.RETENU


def test_inscrire_refuses_a_theory_phase_as_internship():
    ampere = EntrepriseFactory(nom="Ampere")
    ecole = EcoleFactory(entreprises_adherentes=[ampere])
    cohorte = CohorteFactory(parcours=ParcoursFactory(ecole=ecole), date_debut=LUNDI_6_JANVIER)
    theorie = cohorte.phases.filter(type=TypePhase.THEORIE).first()

    with pytest.raises(ValidationError, match="Seule une phase de stage accueille une entreprise"):
        inscrire(
            candidat=CandidatFactory(),
            cohorte=cohorte,
            date_entree=LUNDI_6_JANVIER,
            entreprises_de_stage={theorie: ampere},
            today=LUNDI_6_JANVIER,
        )


def test_enregistrer_sortie_closes_the_enrollment_with_its_category():
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=LUNDI_6_JANVIER))

    sortie = enregistrer_sortie(
        inscription=inscription,
        date_sortie=inscription.cohorte.date_fin,
        motif=Sortie.Motif.FIN_PARCOURS,
        situation=Situation.CDD,
        employeur="Ampere",
        date_debut_contrat=datetime.date(2025, 6, 2),
        date_fin_contrat=datetime.date(2025, 12, 1),
    )

    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.SORTIE
    assert sortie.categorie == Categorie.EMPLOI_DURABLE


def test_enregistrer_sortie_refuses_an_invalid_exit_and_keeps_the_enrollment_open():
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=LUNDI_6_JANVIER))

    with pytest.raises(ValidationError):
        enregistrer_sortie(
            inscription=inscription,
            date_sortie=LUNDI_6_JANVIER - datetime.timedelta(days=1),
            motif=Sortie.Motif.ABANDON,
            situation=Situation.RECHERCHE_EMPLOI,
        )

    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.EN_FORMATION
    assert not Sortie.objects.filter(inscription=inscription).exists()


def test_supprimer_sorties_refuses_an_exit_whose_trainee_is_in_another_cohort_since():
    debut = timezone.localdate() - datetime.timedelta(weeks=20)
    premiere = InscriptionFactory(cohorte=CohorteFactory(date_debut=debut))
    sortie = SortieFactory(inscription=premiere, date_sortie=debut + datetime.timedelta(weeks=2))
    InscriptionFactory(
        candidat=premiere.candidat,
        cohorte=CohorteFactory(date_debut=debut + datetime.timedelta(weeks=4)),
    )

    with pytest.raises(ValidationError, match="déjà en formation dans la cohorte"):
        services.supprimer_sorties(sorties=Sortie.objects.filter(pk=sortie.pk))

    assert Sortie.objects.filter(pk=sortie.pk).exists()
    premiere.refresh_from_db()
    assert premiere.statut == Inscription.Statut.SORTIE
