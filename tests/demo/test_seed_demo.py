import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from candidats.models import Candidat
from comptes.models import User
from ecoles.models import Ecole
from parcours.models import Categorie, Cohorte, Inscription, Sortie, Suivi


def run_seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_loads_the_schools_of_the_article_and_is_idempotent():
    first = run_seed()
    counts = [
        model.objects.count() for model in (Ecole, Cohorte, Candidat, Inscription, Suivi, Sortie)
    ]

    second = run_seed()

    assert "chargées" in first
    assert "déjà présentes" in second
    assert counts == [
        model.objects.count() for model in (Ecole, Cohorte, Candidat, Inscription, Suivi, Sortie)
    ]
    assert sorted(Ecole.objects.values_list("ville", flat=True)) == [
        "Béthune",
        "Cambrai",
        "Douai",
        "Dunkerque",
        "Lille",
        "Maubeuge",
    ]
    assert 140 <= Candidat.objects.count() <= 160
    assert set(Candidat.objects.values_list("statut", flat=True)) == set(Candidat.Statut.values)


@pytest.mark.django_db
def test_seed_demo_carries_the_bethune_line_operation_track_of_early_2025():
    run_seed()

    cohorte = Cohorte.objects.get(parcours__ecole__ville="Béthune", date_debut__year=2025)
    phases = list(cohorte.phases.order_by("ordre"))

    assert cohorte.date_debut == datetime.date(2025, 1, 13)
    assert [(phase.type, (phase.date_fin - phase.date_debut).days + 1) for phase in phases] == [
        ("theorie", 6 * 7),
        ("stage", 5 * 7),
        ("theorie", 11 * 7),
    ]
    stage_companies = set(
        cohorte.phases.get(type="stage").stages.values_list("entreprise__nom", flat=True)
    )
    assert stage_companies == {"Ampere"}


@pytest.mark.django_db
def test_seed_demo_gives_past_current_and_future_cohorts_and_a_plausible_insertion_rate():
    run_seed()
    etats = {cohorte.etat() for cohorte in Cohorte.objects.all()}
    sorties = Sortie.objects.count()
    durables = Sortie.objects.filter(categorie=Categorie.EMPLOI_DURABLE).count()

    assert etats == {Cohorte.Etat.A_VENIR, Cohorte.Etat.EN_COURS, Cohorte.Etat.TERMINEE}
    assert sorties > 20
    assert 0.7 <= durables / sorties <= 0.98


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_accounts_it_prints():
    output = run_seed()

    for username in ["admin", "equipe", "partenaire.ampere", "partenaire.bigben"]:
        assert username in output
        assert User.objects.get(username=username).check_password("PlanMarshall-2026")
    partner_schools = {
        Ecole.objects.visibles_par(User.objects.get(username=username)).get().ville
        for username in ["partenaire.ampere", "partenaire.bigben"]
    }
    assert partner_schools == {"Béthune", "Douai"}


@pytest.mark.django_db
def test_seed_demo_if_empty_loads_nothing_when_the_database_has_schools():
    run_seed()
    Candidat.objects.filter(inscriptions__isnull=True).delete()
    remaining = Candidat.objects.count()

    output = run_seed("--if-empty")

    assert "rien n'est chargé" in output
    assert Candidat.objects.count() == remaining


@pytest.mark.django_db
def test_demo_partner_of_ampere_sees_internships_coming(client):
    run_seed()
    client.force_login(User.objects.get(username="partenaire.ampere"))

    page = client.get("/partenaire/").content.decode()

    stages = page.split('id="stages-a-venir"')[1]
    assert "Aucun stage à venir" not in stages
    assert "Présences du stage" in stages
