import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from indicateurs.stats import Periode, entonnoirs, repartitions
from parcours.dates import add_months
from parcours.models import Sortie
from tests.factories import CandidatFactory, SortieFactory, SuiviFactory

pytestmark = pytest.mark.django_db
NAME = "Quintavalle-Zéphyrine"


def months_ago(months):
    return add_months(timezone.localdate(), -months)


def run(*args):
    out = StringIO()
    call_command("appliquer_retention", *args, stdout=out)
    return out.getvalue()


def database_dump():
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def aggregates():
    return {
        "candidats": list(
            Candidat.objects.values("statut", "canal", "ecole_visee")
            .annotate(total=Count("pk"))
            .order_by("statut", "canal", "ecole_visee")
        ),
        "sorties": list(
            Sortie.objects.values("categorie", "motif", "date_sortie")
            .annotate(total=Count("pk"))
            .order_by("categorie", "motif", "date_sortie")
        ),
    }


@pytest.fixture
def stale_candidate():
    return CandidatFactory(
        nom=NAME,
        email="zephyrine@example.org",
        notes="Notes privées",
        date_dernier_contact=months_ago(25),
    )


@pytest.fixture
def old_trainee():
    sortie = SortieFactory(
        inscription__candidat__nom=f"{NAME}-Stagiaire",
        inscription__cohorte__date_debut=months_ago(80),
        commentaire="Commentaire de sortie",
    )
    SuiviFactory(inscription=sortie.inscription, commentaire="Commentaire de suivi")
    return sortie.inscription.candidat


def test_dry_run_reports_and_changes_nothing(stale_candidate, old_trainee):
    output = run()

    assert "1 candidat(s) jamais inscrit(s) et 1 ancien(s) stagiaire(s)" in output
    assert "Simulation" in output
    stale_candidate.refresh_from_db()
    assert stale_candidate.nom == NAME


def test_apply_anonymises_stale_candidates_and_old_trainees_only(stale_candidate, old_trainee):
    recent = CandidatFactory(nom="Recent", date_dernier_contact=months_ago(23))
    in_training = SuiviFactory(inscription__candidat__nom="Enformation").inscription.candidat

    output = run("--apply")

    assert "2 personne(s) anonymisée(s)" in output
    for candidat in (stale_candidate, old_trainee):
        candidat.refresh_from_db()
        assert candidat.nom == "Anonyme"
        assert candidat.email == ""
        assert candidat.anonymise_le is not None
    for candidat, nom in ((recent, "Recent"), (in_training, "Enformation")):
        candidat.refresh_from_db()
        assert candidat.nom == nom


def test_apply_leaves_no_trace_of_the_people_in_any_table(stale_candidate, old_trainee):
    stale_candidate.nom = f"{NAME}-modifié"
    stale_candidate.save()
    assert NAME in database_dump()

    run("--apply")

    dump = database_dump()
    assert NAME not in dump
    assert "zephyrine@example.org" not in dump
    assert "Commentaire de suivi" not in dump
    assert "Commentaire de sortie" not in dump
    assert "Notes privées" not in dump


def test_apply_keeps_every_aggregate_identical(stale_candidate, old_trainee):
    before = aggregates()

    run("--apply")

    assert aggregates() == before


def test_running_twice_changes_nothing_more(stale_candidate):
    run("--apply")

    assert "0 personne(s) anonymisée(s)" in run("--apply")


def test_admin_erases_a_person_on_request_after_confirmation(client, admin_user):
    person = CandidatFactory(nom=NAME, date_dernier_contact=timezone.localdate())
    client.force_login(admin_user)
    url = reverse("admin:candidats_candidat_changelist")
    data = {"action": "effacer_a_la_demande", "_selected_action": [person.pk]}

    confirmation = client.post(url, data)
    person.refresh_from_db()
    assert confirmation.status_code == 200
    assert "anonymisées définitivement" in confirmation.text
    assert person.nom == NAME

    done = client.post(url, {**data, "confirmation": "oui"})
    person.refresh_from_db()
    assert done.status_code == 302
    assert person.nom == "Anonyme"
    assert NAME not in database_dump()


def test_never_enrolled_without_contact_date_uses_the_date_added():
    old = CandidatFactory(
        date_dernier_contact=None,
        cree_le=timezone.now() - datetime.timedelta(days=800),
    )

    run("--apply")

    old.refresh_from_db()
    assert old.nom == "Anonyme"


def every_indicator(user):
    periode = Periode(debut=datetime.date(2000, 1, 1), fin=timezone.localdate())
    return [
        repartitions(periode, user),
        entonnoirs(periode, user),
    ]


def test_apply_keeps_every_programme_indicator_identical(stale_candidate, old_trainee, admin_user):
    SortieFactory(inscription__cohorte__date_debut=months_ago(20))
    before = every_indicator(admin_user)

    run("--apply")

    assert every_indicator(admin_user) == before


def test_anonymised_people_are_numbered_and_found_as_such(stale_candidate):
    run("--apply")

    stale_candidate.refresh_from_db()
    assert stale_candidate.prenom == f"n° {stale_candidate.pk}"
    assert list(Candidat.objects.recherche(f"Anonyme n° {stale_candidate.pk}")) == [stale_candidate]
