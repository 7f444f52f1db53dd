"""Personal-data retention (see DESIGN.md, "Personal data"): anonymise, never delete.

A candidate keeps the fields the indicators aggregate (status, sourcing channel, school,
dates of creation, enrollments and outcomes) and loses everything that identifies them;
the history rows that still hold their former values are purged.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from parcours.dates import add_months
from parcours.models import Inscription, Sortie, Stage, Suivi

from .models import Candidat
from .text import normalize_for_search

ANONYME = "Anonyme"


def candidats_a_anonymiser(today=None):
    """Never-enrolled candidates past the contact delay, and trainees past the reporting one."""
    today = today or timezone.localdate()
    limite_contact = add_months(today, -settings.PORTAIL_RETENTION_CANDIDAT_MOIS)
    limite_sortie = add_months(today, -settings.PORTAIL_RETENTION_STAGIAIRE_MOIS)
    en_cours = Inscription.objects.filter(candidat=OuterRef("pk"), sortie__isnull=True)
    jamais_inscrits = Q(inscriptions__isnull=True) & (
        Q(date_dernier_contact__lt=limite_contact)
        | Q(date_dernier_contact__isnull=True, cree_le__date__lt=limite_contact)
    )
    sortis = Candidat.objects.annotate(
        derniere_sortie=Max("inscriptions__sortie__date_sortie")
    ).filter(~Exists(en_cours), inscriptions__isnull=False, derniere_sortie__lt=limite_sortie)
    return Candidat.objects.filter(anonymise_le__isnull=True).filter(
        Q(pk__in=Candidat.objects.filter(jamais_inscrits).values("pk"))
        | Q(pk__in=sortis.values("pk"))
    )


@transaction.atomic
def anonymiser(*, candidats):
    """Replace the identity, contacts and notes of `candidats`; returns how many changed.

    Written with update() so that no new history row repeats the old values, then the
    existing history rows of these people are purged.
    """
    ids = list(candidats.values_list("pk", flat=True))
    if not ids:
        return 0
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
        anonymise_le=now,
    )
    inscriptions = Inscription.objects.filter(candidat_id__in=ids)
    Suivi.objects.filter(inscription__in=inscriptions).update(
        participants="", commentaire="", actions=""
    )
    Sortie.objects.filter(inscription__in=inscriptions).update(commentaire="")
    inscription_ids = list(inscriptions.values_list("pk", flat=True))
    Candidat.history.filter(id__in=ids).delete()
    Inscription.history.filter(candidat_id__in=ids).delete()
    Stage.history.filter(inscription_id__in=inscription_ids).delete()
    Suivi.history.filter(inscription_id__in=inscription_ids).delete()
    Sortie.history.filter(inscription_id__in=inscription_ids).delete()
    return len(ids)


def resume(candidats):
    """Counts for the dry-run report."""
    jamais = candidats.filter(inscriptions__isnull=True).count()
    return {"jamais_inscrits": jamais, "stagiaires": candidats.count() - jamais}


def date_limite_texte(today=None):
    today = today or timezone.localdate()
    contact = add_months(today, -settings.PORTAIL_RETENTION_CANDIDAT_MOIS)
    sortie = add_months(today, -settings.PORTAIL_RETENTION_STAGIAIRE_MOIS)
    return f"dernier contact avant le {contact:%d/%m/%Y}, sortie avant le {sortie:%d/%m/%Y}"
