import datetime
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser, fin_de_formation
from indicateurs.stats import Periode, entonnoirs, repartitions
from parcours.dates import add_months, first_of_month
from parcours.models import Inscription, Sortie
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    InscriptionFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db
NAME = "Quintavalle-Zéphyrine"
LOGGED_NAME = f"{NAME}-Journal"


def months_ago(months):
    return add_months(timezone.localdate(), -months)


def run(*args):
    out = StringIO()
    call_command("appliquer_retention", *args, stdout=out)
    return out.getvalue()


def log_admin(user, obj, message=None, action_flag=CHANGE):
    """The entry the admin writes for `obj`, whose `object_repr` is `str(obj)`."""
    return LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=action_flag,
        change_message=message or [{"changed": {"fields": ["Commentaire"]}}],
        single_object=True,
    )


def inline_message(obj):
    """The message of a change made through an inline form listing `obj`."""
    return [{"added": {"name": str(obj._meta.verbose_name), "object": str(obj)}}]


def logged_text():
    return " ".join(
        f"{entry.object_repr} {entry.get_change_message()}" for entry in LogEntry.objects.all()
    )


def dated(day):
    return f"{day:%d/%m/%Y}"


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
def logged_trainee(admin_user):
    """An old trainee whose every row the admin logged, the way it words its entries."""
    sortie = SortieFactory(
        inscription__candidat__nom=LOGGED_NAME,
        inscription__cohorte__date_debut=months_ago(80),
    )
    inscription = sortie.inscription
    stage = StageFactory(inscription=inscription)
    log_admin(admin_user, inscription.candidat, inline_message(inscription))
    log_admin(admin_user, inscription, inline_message(stage))
    for obj in (stage, SuiviFactory(inscription=inscription), sortie):
        log_admin(admin_user, obj)
    assert LOGGED_NAME in logged_text()
    return inscription.candidat


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


def test_apply_leaves_no_trace_of_the_people_in_any_table(stale_candidate, old_trainee, admin_user):
    stale_candidate.nom = f"{NAME}-modifié"
    stale_candidate.save()
    for obj in (stale_candidate, old_trainee.inscriptions.get().sortie):
        log_admin(admin_user, obj)
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


def test_apply_scrubs_the_admin_log_of_every_row_of_the_person(logged_trainee):
    run("--apply")

    entries = LogEntry.objects.values_list("content_type__model", "object_repr", "change_message")
    assert sorted(entries) == [
        ("candidat", "Anonyme", ""),
        ("inscription", "Anonyme", ""),
        ("sortie", "Anonyme", ""),
        ("stage", "Anonyme", ""),
        ("suivi", "Anonyme", ""),
    ]


def test_apply_scrubs_the_admin_log_of_rows_deleted_since(logged_trainee, admin_user):
    first = logged_trainee.inscriptions.get()
    suivi = SuiviFactory(inscription=first, mois=add_months(first_of_month(first.date_entree), 1))
    dropped = InscriptionFactory(candidat=logged_trainee, cohorte__date_debut=months_ago(100))
    SuiviFactory(inscription=dropped, commentaire="Commentaire d'une inscription supprimée")
    for obj in (suivi, dropped):
        log_admin(admin_user, obj, action_flag=DELETION)
        obj.delete()
    assert "Commentaire d'une inscription supprimée" in database_dump()

    run("--apply")

    assert LOGGED_NAME not in logged_text()
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {"Anonyme"}
    assert "Commentaire d'une inscription supprimée" not in database_dump()


def test_apply_blanks_the_cohort_log_messages_that_list_the_person(logged_trainee, admin_user):
    cohorte = logged_trainee.inscriptions.get().cohorte
    listing = log_admin(admin_user, cohorte, inline_message(logged_trainee.inscriptions.get()))
    seats = log_admin(admin_user, cohorte, [{"changed": {"fields": ["Places"]}}])

    run("--apply")

    listing.refresh_from_db()
    seats.refresh_from_db()
    assert (listing.object_repr, listing.change_message) == (str(cohorte), "")
    assert seats.get_change_message() == "Modification de Places."
    assert LOGGED_NAME not in logged_text()


def test_apply_leaves_the_admin_log_of_other_people_alone(logged_trainee, admin_user):
    inscription = SortieFactory(inscription__candidat__nom="Témoin").inscription
    entries = [
        log_admin(admin_user, inscription.candidat),
        log_admin(admin_user, inscription.cohorte, inline_message(inscription)),
        log_admin(admin_user, inscription.sortie),
    ]
    before = [(entry.object_repr, entry.change_message) for entry in entries]

    run("--apply")

    after = LogEntry.objects.filter(pk__in=[entry.pk for entry in entries]).order_by("pk")
    assert [(entry.object_repr, entry.change_message) for entry in after] == before
    assert "Témoin" in before[0][0]


def test_trainee_without_recorded_exit_is_anonymised_past_the_end_of_the_cohort():
    inscription = InscriptionFactory(candidat__nom=NAME, cohorte__date_debut=months_ago(80))
    recent = InscriptionFactory(candidat__nom="Récent", cohorte__date_debut=months_ago(64))
    assert recent.cohorte.date_fin > months_ago(60)

    output = run("--apply")

    assert "1 ancien(s) stagiaire(s), dont 1 sans sortie enregistrée" in output
    inscription.candidat.refresh_from_db()
    recent.candidat.refresh_from_db()
    assert inscription.candidat.nom == "Anonyme"
    assert recent.candidat.nom == "Récent"


def test_trainee_is_kept_while_their_last_training_is_within_the_retention(old_trainee):
    InscriptionFactory(candidat=old_trainee, cohorte__date_debut=months_ago(30))

    output = run("--apply")

    assert "0 personne(s) anonymisée(s)" in output
    old_trainee.refresh_from_db()
    assert old_trainee.nom == f"{NAME}-Stagiaire"


def test_dry_run_lists_each_person_and_why_then_the_counts(stale_candidate, old_trainee):
    never_contacted = CandidatFactory(
        nom="Jamaisvu",
        date_dernier_contact=None,
        cree_le=timezone.now() - datetime.timedelta(days=800),
    )
    without_exit = InscriptionFactory(candidat__nom="Sansortie", cohorte__date_debut=months_ago(80))
    # The exit of the later training is missing: that is the one the list names.
    InscriptionFactory(candidat=old_trainee, cohorte__date_debut=months_ago(75))
    later = old_trainee.inscriptions.latest("cohorte__date_fin").cohorte

    output = run().splitlines()

    assert dated(months_ago(24)) in output[0]
    assert dated(months_ago(60)) in output[0]
    assert output[1:] == [
        f"n° {never_contacted.pk} — {never_contacted} : jamais inscrit, sans contact "
        f"enregistré, ajouté le {dated(timezone.localtime(never_contacted.cree_le))}",
        f"n° {stale_candidate.pk} — {stale_candidate} : jamais inscrit, dernier contact le "
        f"{dated(stale_candidate.date_dernier_contact)}",
        f"n° {old_trainee.pk} — {old_trainee} : cohorte terminée le {dated(later.date_fin)} "
        "sans sortie enregistrée",
        f"n° {without_exit.candidat.pk} — {without_exit.candidat} : cohorte terminée le "
        f"{dated(without_exit.cohorte.date_fin)} sans sortie enregistrée",
        "2 candidat(s) jamais inscrit(s) et 2 ancien(s) stagiaire(s), dont 2 sans sortie "
        "enregistrée, à anonymiser.",
        "Simulation : rien n'a été modifié (ajoutez --apply pour anonymiser).",
    ]


def test_dry_run_names_a_recorded_exit_by_its_date(old_trainee):
    sortie = old_trainee.inscriptions.get().sortie

    output = run()

    assert f"n° {old_trainee.pk} — {old_trainee} : sorti le {dated(sortie.date_sortie)}" in output


def test_apply_prints_the_counts_but_no_name(stale_candidate, old_trainee):
    output = run("--apply")

    assert NAME not in output
    assert "1 candidat(s) jamais inscrit(s) et 1 ancien(s) stagiaire(s)" in output
    assert "2 personne(s) anonymisée(s)" in output


def test_end_of_training_in_sql_agrees_with_the_model():
    cohorte = CohorteFactory(date_debut=months_ago(12))
    early_exit = SortieFactory(
        inscription__cohorte=cohorte, date_sortie=cohorte.date_debut + datetime.timedelta(days=20)
    )
    without_exit = InscriptionFactory(cohorte=cohorte)

    rows = Inscription.objects.select_related("sortie", "cohorte").annotate(fin=fin_de_formation())

    assert {row.pk: row.fin for row in rows} == {
        early_exit.inscription_id: early_exit.date_sortie,
        without_exit.pk: cohorte.date_fin,
    }
    assert all(row.fin == row.fin_de_formation() for row in rows)


def logged_old_trainees(count, user):
    candidats = []
    for _ in range(count):
        sortie = SortieFactory(inscription__cohorte__date_debut=months_ago(80))
        suivi = SuiviFactory(inscription=sortie.inscription)
        for obj in (sortie.inscription.candidat, sortie.inscription, suivi, sortie):
            log_admin(user, obj)
        log_admin(user, sortie.inscription.cohorte, inline_message(sortie.inscription))
        candidats.append(sortie.inscription.candidat.pk)
    return Candidat.objects.filter(pk__in=candidats)


def queries_to_anonymise(candidats):
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        anonymiser(candidats=candidats)
    return len(queries)


def test_anonymising_takes_as_many_queries_for_one_person_as_for_many(admin_user):
    one = logged_old_trainees(1, admin_user)
    many = logged_old_trainees(5, admin_user)

    assert queries_to_anonymise(one) == queries_to_anonymise(many)
    people = LogEntry.objects.exclude(content_type__model="cohorte")
    assert set(people.values_list("object_repr", flat=True)) == {"Anonyme"}
    assert set(LogEntry.objects.values_list("change_message", flat=True)) == {""}
