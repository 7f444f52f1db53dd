"""Personal-data retention (docs/domaine.md, « Données personnelles »): anonymise, never delete.

A candidate keeps the fields the indicators aggregate (status, sourcing channel, school,
dates of creation, enrollments and outcomes) and loses everything that identifies them;
the history rows and the admin log entries that still hold their former values are
scrubbed.
"""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Max, Q, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone

import enquetes.retention
import evaluations.retention
import evenements.retention
from parcours.dates import add_months
from parcours.models import Cohorte, Inscription, Sortie, Stage, Suivi

from .models import Candidat
from .text import normalize_for_search

ANONYME = "Anonyme"

# Why a person is due (`motif_retention`, annotated by `candidats_a_anonymiser`) and how
# the dry run says it, with `date_retention`.
DERNIER_CONTACT = "dernier_contact"
AJOUT = "ajout"
SORTIE = "sortie"
COHORTE_TERMINEE = "cohorte_terminee"
RAISONS = {
    DERNIER_CONTACT: "jamais inscrit, dernier contact le {:%d/%m/%Y}",
    AJOUT: "jamais inscrit, sans contact enregistré, ajouté le {:%d/%m/%Y}",
    SORTIE: "sorti le {:%d/%m/%Y}",
    COHORTE_TERMINEE: "cohorte terminée le {:%d/%m/%Y} sans sortie enregistrée",
}
JAMAIS_INSCRITS = [DERNIER_CONTACT, AJOUT]
STAGIAIRES = [SORTIE, COHORTE_TERMINEE]

# The admin's message for a change made through an inline names each inline row by its
# `str()`, and an enrollment's is its candidate's name.
MENTION_D_INSCRIPTION = f'"name": "{Inscription._meta.verbose_name}"'


def fin_de_formation(prefix=""):
    """SQL twin of `Inscription.fin_de_formation()`: the exit date, else the cohort's end."""
    return Coalesce(f"{prefix}sortie__date_sortie", f"{prefix}cohorte__date_fin")


def candidats_a_anonymiser(today=None):
    """Never-enrolled candidates past the contact delay, and trainees past the reporting one.

    A trainee's delay runs from the end of their last training: its recorded exit, or the
    end of its cohort when the exit was never recorded. Each row is annotated with
    `motif_retention` (a key of `RAISONS`) and `date_retention`, the date the delay runs
    from. One grouped query: at regional scale it is several times faster than a
    subquery per candidate.
    """
    today = today or timezone.localdate()
    limite_contact = add_months(today, -settings.PORTAIL_RETENTION_CANDIDAT_MOIS)
    limite_stagiaire = add_months(today, -settings.PORTAIL_RETENTION_STAGIAIRE_MOIS)
    # Both aggregates in one annotate(), so that they read the same join of enrollments.
    candidats = Candidat.objects.filter(anonymise_le__isnull=True).annotate(
        fin_formation=Max(fin_de_formation("inscriptions__")),
        fin_cohorte_sans_sortie=Max(
            "inscriptions__cohorte__date_fin", filter=Q(inscriptions__sortie__isnull=True)
        ),
    )
    candidats = candidats.annotate(
        motif_retention=Case(
            When(fin_formation__isnull=True, date_dernier_contact__isnull=True, then=Value(AJOUT)),
            When(fin_formation__isnull=True, then=Value(DERNIER_CONTACT)),
            # On a tie the missing exit is named: it is the one the team may want to fix.
            When(fin_formation=F("fin_cohorte_sans_sortie"), then=Value(COHORTE_TERMINEE)),
            default=Value(SORTIE),
        ),
        date_retention=Coalesce("fin_formation", "date_dernier_contact", TruncDate("cree_le")),
    )
    return candidats.filter(
        Q(motif_retention__in=JAMAIS_INSCRITS, date_retention__lt=limite_contact)
        | Q(motif_retention__in=STAGIAIRES, date_retention__lt=limite_stagiaire)
    )


def raison(candidat):
    """Why a row of `candidats_a_anonymiser()` is due, as the dry run lists it."""
    return RAISONS[candidat.motif_retention].format(candidat.date_retention)


@transaction.atomic
def anonymiser(*, candidats):
    """Replace the identity, contacts and notes of `candidats`; returns how many changed.

    Written with update() so that no new history row repeats the old values, then the
    admin log entries that name these people are scrubbed and their history rows purged.
    A bounded number of queries, whatever the number of people.
    """
    ids = list(candidats.values_list("pk", flat=True))
    if not ids:
        return 0
    # With the enrollments deleted since (the history keeps their deletion row): their
    # check-ins' history and their log entries still name the person.
    supprimees = Inscription.history.filter(candidat_id__in=ids, history_type="-")
    inscriptions = set(
        Inscription.objects.filter(candidat_id__in=ids)
        .values_list("pk", "cohorte_id")
        .order_by()
        .union(supprimees.values_list("id", "cohorte_id").order_by())
    )
    inscription_ids = {inscription_id for inscription_id, _ in inscriptions}
    cohorte_ids = {cohorte_id for _, cohorte_id in inscriptions}
    now = timezone.now()
    numero = Concat(Value("n° "), Cast("pk", CharField()))
    Candidat.objects.filter(pk__in=ids).update(
        nom=ANONYME,
        prenom=numero,
        date_naissance=None,
        email="",
        telephone="",
        commune="",
        code_postal="",
        identifiant_france_travail="",
        notes="",
        date_consentement=None,
        # Searchable as "anonyme n° 123", like the name it now shows.
        recherche=Concat(Value(f"{normalize_for_search(ANONYME)} "), numero),
        cle_nom_naissance="",
        anonymise_le=now,
    )
    Suivi.objects.filter(inscription_id__in=inscription_ids).update(
        participants="", commentaire="", actions=""
    )
    Sortie.objects.filter(inscription_id__in=inscription_ids).update(commentaire="")
    enquetes.retention.anonymiser(inscription_ids=inscription_ids)
    evaluations.retention.anonymiser(inscription_ids=inscription_ids)
    evenements.retention.anonymiser(candidat_ids=ids, libelle=ANONYME)
    _effacer_du_journal_admin(
        candidat_ids=ids, inscription_ids=inscription_ids, cohorte_ids=cohorte_ids
    )
    Candidat.history.filter(id__in=ids).delete()
    Inscription.history.filter(candidat_id__in=ids).delete()
    Stage.history.filter(inscription_id__in=inscription_ids).delete()
    Suivi.history.filter(inscription_id__in=inscription_ids).delete()
    Sortie.history.filter(inscription_id__in=inscription_ids).delete()
    return len(ids)


def _effacer_du_journal_admin(*, candidat_ids, inscription_ids, cohorte_ids):
    """Scrub the admin log entries that name the people: those of their rows, each one's
    `str()` being the person's name, and the messages of their cohorts' entries that list
    their enrollments.

    Runs before the history is purged: it finds the rows deleted since.
    """
    types = ContentType.objects.get_for_models(Candidat, Inscription, Stage, Suivi, Sortie, Cohorte)
    entries = Q(content_type=types[Candidat], object_id__in=[str(pk) for pk in candidat_ids]) | Q(
        content_type=types[Inscription], object_id__in=[str(pk) for pk in inscription_ids]
    )
    for model in (Stage, Suivi, Sortie):
        vivants = model.objects.filter(inscription_id__in=inscription_ids)
        supprimes = model.history.filter(inscription_id__in=inscription_ids, history_type="-")
        entries |= Q(content_type=types[model]) & (
            Q(object_id__in=vivants.values_list(Cast("pk", TextField())))
            | Q(object_id__in=supprimes.values_list(Cast("id", TextField())))
        )
    LogEntry.objects.filter(entries).update(object_repr=ANONYME, change_message="")
    # The message also lists the cohort's other changes and trainees: it goes whole, the
    # entry keeps who changed the cohort and when.
    LogEntry.objects.filter(
        content_type=types[Cohorte],
        object_id__in=[str(pk) for pk in cohorte_ids],
        change_message__contains=MENTION_D_INSCRIPTION,
    ).update(change_message="")


def resume(candidats):
    """Counts of a `candidats_a_anonymiser()` queryset, by kind of person."""
    return candidats.aggregate(
        jamais_inscrits=Count("pk", filter=Q(motif_retention__in=JAMAIS_INSCRITS)),
        stagiaires=Count("pk", filter=Q(motif_retention__in=STAGIAIRES)),
        sans_sortie=Count("pk", filter=Q(motif_retention=COHORTE_TERMINEE)),
    )


def date_limite_texte(today=None):
    today = today or timezone.localdate()
    contact = add_months(today, -settings.PORTAIL_RETENTION_CANDIDAT_MOIS)
    fin = add_months(today, -settings.PORTAIL_RETENTION_STAGIAIRE_MOIS)
    return (
        f"dernier contact avant le {contact:%d/%m/%Y}, "
        f"sortie (ou fin de cohorte sans sortie enregistrée) avant le {fin:%d/%m/%Y}"
    )
