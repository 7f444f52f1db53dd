"""Keeping the indicators' summary tables true to the facts they count.

Every service that writes an enrollment, an exit, a candidate or what places them (a
cohort's school, a candidate's channel…) calls `recalculer` with the cohorts and the
candidates it touched, inside its own transaction: the rows those count in are deleted
and counted again from the facts, so a rolled back change leaves them as they were.
A cohort has a few dozen enrollments and a day a few hundred new candidates, so each
call reads a bounded number of facts whatever the size of the history.

`ParcoursDuCandidat` follows the same calls: the candidates touched get theirs again.

Data written around the services (the volume generator's COPY, the demo) is counted by
`reconstruire`, which the `reconstruire_indicateurs` command runs.
"""

import calendar
import datetime
import functools
import operator
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from candidats.models import Candidat
from parcours.models import Categorie, Cohorte, Inscription, Sortie

from .models import AgregatCandidatsJour, AgregatCohorteJour, ParcoursDuCandidat
from .stats import COMPTES_DES_SORTIES, ETAPES_DE_L_ENTONNOIR, STATUTS_PRESELECTIONNES

TAILLE_DES_LOTS = 500
EN_EMPLOI = [Categorie.EMPLOI_DURABLE, Categorie.EMPLOI_TRANSITION]
COMPTES_DES_COHORTES = ["entrees", *COMPTES_DES_SORTIES]
ETAPES = [nom for nom, _ in ETAPES_DE_L_ENTONNOIR]


def recalculer(*, cohortes=(), candidats=()):
    """Count again the summary rows of `cohortes` and of `candidats` (instances or pks)."""
    cohorte_ids = _pks(cohortes)
    candidat_ids = _pks(candidats)
    if cohorte_ids:
        _verrouiller(VERROU_COHORTE, cohorte_ids)
        _recompter_cohortes(cohorte_ids)
        # The funnel places a candidate in the school and job family of their cohorts.
        candidat_ids |= set(
            Inscription.objects.filter(cohorte_id__in=cohorte_ids).values_list(
                "candidat_id", flat=True
            )
        )
    if candidat_ids:
        creations = Candidat.objects.filter(pk__in=candidat_ids).values_list("cree_le", flat=True)
        jours = {timezone.localdate(cree_le) for cree_le in creations}
        # A candidate's creation day is locked before their own row is written, too.
        _verrouiller(VERROU_JOUR, [jour.toordinal() for jour in jours])
        _recompter_jours(jours)
        ids = sorted(candidat_ids)
        for debut in range(0, len(ids), TAILLE_DES_LOTS):
            _recompter_parcours(ids[debut : debut + TAILLE_DES_LOTS])


def recompter_les_jours_de(candidats, *, jours_par_transaction=31):
    """Count again the funnel rows of every day on which one of `candidats` (a queryset)
    was added, a month of days per transaction: what a change of a school's or a track's
    job family calls for, in a task (`indicateurs.tasks`). Returns how many days."""
    jours = sorted(
        {timezone.localdate(cree_le) for cree_le in candidats.values_list("cree_le", flat=True)}
    )
    for debut in range(0, len(jours), jours_par_transaction):
        lot = jours[debut : debut + jours_par_transaction]
        with transaction.atomic():
            _verrouiller(VERROU_JOUR, [jour.toordinal() for jour in lot])
            _recompter_jours(set(lot))
    return len(jours)


# The namespaces of the locks that keep two writers from counting the same rows at once.
VERROU_COHORTE = 1_601
VERROU_JOUR = 1_602


def _verrouiller(espace, cles):
    """Wait for any other transaction counting these cohorts or days again, then hold them
    until the end of this one.

    Without it, two writers of one cohort (or day) at once would both delete its rows and
    both insert theirs: the second fails on the unique constraint, or counts without the
    first's facts. Each statement that follows sees what the other committed. SQLite
    writes one transaction at a time and needs no lock.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for cle in sorted(cles):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [espace, cle])


def reconstruire():
    """Every summary row counted again from the facts; returns how many rows were written."""
    AgregatCohorteJour.objects.all().delete()
    AgregatCandidatsJour.objects.all().delete()
    ParcoursDuCandidat.objects.all().delete()
    cohorte_ids = list(Cohorte.objects.order_by("pk").values_list("pk", flat=True))
    for debut in range(0, len(cohorte_ids), TAILLE_DES_LOTS):
        _recompter_cohortes(cohorte_ids[debut : debut + TAILLE_DES_LOTS])
    bornes = Candidat.objects.aggregate(premier=Min("cree_le"), dernier=Max("cree_le"))
    if bornes["premier"] is not None:
        # A month of candidates at a time: a bounded number of facts in memory.
        mois = timezone.localdate(bornes["premier"]).replace(day=1)
        while mois <= timezone.localdate(bornes["dernier"]):
            nombre_de_jours = calendar.monthrange(mois.year, mois.month)[1]
            _recompter_jours({mois.replace(day=jour) for jour in range(1, nombre_de_jours + 1)})
            mois = (mois + datetime.timedelta(days=nombre_de_jours)).replace(day=1)
    _ecrire_parcours(
        Inscription.objects.order_by("candidat_id").values_list("candidat_id", "sortie__categorie")
    )
    return {
        "cohortes": AgregatCohorteJour.objects.count(),
        "candidats": AgregatCandidatsJour.objects.count(),
        "parcours": ParcoursDuCandidat.objects.count(),
    }


def _pks(objets):
    return {getattr(objet, "pk", objet) for objet in objets}


def _recompter_cohortes(cohorte_ids):
    AgregatCohorteJour.objects.filter(cohorte_id__in=cohorte_ids).delete()
    entrees = (
        Inscription.objects.filter(cohorte_id__in=cohorte_ids)
        .values(identifiant=F("cohorte_id"), jour=F("date_entree"))
        .annotate(entrees=Count("pk"))
        .order_by()
    )
    sorties = (
        Sortie.objects.filter(inscription__cohorte_id__in=cohorte_ids)
        .values(identifiant=F("inscription__cohorte_id"), jour=F("date_sortie"))
        .annotate(**COMPTES_DES_SORTIES)
        .order_by()
    )
    lignes = {}
    for groupe in [*entrees, *sorties]:
        cle = (groupe["identifiant"], groupe["jour"])
        ligne = lignes.setdefault(cle, AgregatCohorteJour(cohorte_id=cle[0], jour=cle[1]))
        for nom in COMPTES_DES_COHORTES:
            setattr(ligne, nom, getattr(ligne, nom) + groupe.get(nom, 0))
    AgregatCohorteJour.objects.bulk_create(lignes.values(), batch_size=TAILLE_DES_LOTS)


def _recompter_parcours(candidat_ids):
    ParcoursDuCandidat.objects.filter(candidat_id__in=candidat_ids).delete()
    _ecrire_parcours(
        Inscription.objects.filter(candidat_id__in=candidat_ids).values_list(
            "candidat_id", "sortie__categorie"
        )
    )


def _ecrire_parcours(inscriptions, *, lot=5_000):
    """A `ParcoursDuCandidat` per candidate of `inscriptions`, pairs of a candidate and
    the category of one of their exits (None while in training), written by lots of
    `lot` candidates as they are read."""
    en_emploi = {}

    def ecrire():
        ParcoursDuCandidat.objects.bulk_create(
            ParcoursDuCandidat(candidat_id=candidat_id, en_emploi=emploi)
            for candidat_id, emploi in en_emploi.items()
        )
        en_emploi.clear()

    for candidat_id, categorie in inscriptions.iterator(chunk_size=lot):
        # When a lot is full it is written before the next candidate, never between two
        # rows of one: the whole table is read ordered by candidate.
        if len(en_emploi) >= lot and candidat_id not in en_emploi:
            ecrire()
        en_emploi[candidat_id] = en_emploi.get(candidat_id, False) or categorie in EN_EMPLOI
    ecrire()


def _journee(jour):
    """The candidates added on `jour`, local time, as the page's period selects them."""
    debut = timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))
    fin = timezone.make_aware(datetime.datetime.combine(jour, datetime.time.max))
    return Q(cree_le__range=(debut, fin))


def _recompter_jours(jours):
    AgregatCandidatsJour.objects.filter(jour__in=jours).delete()
    ajoutes = Candidat.objects.filter(functools.reduce(operator.or_, map(_journee, jours)))
    parcours_de = {}
    inscriptions = Inscription.objects.filter(candidat__in=ajoutes).values_list(
        "candidat_id",
        "cohorte__parcours__ecole_id",
        "cohorte__parcours__filiere",
        "sortie__categorie",
    )
    for candidat_id, ecole_id, filiere, categorie in inscriptions:
        parcours_de.setdefault(candidat_id, []).append((ecole_id, filiere, categorie))
    comptes = {}
    for pk, cree_le, canal, statut, ecole_visee_id, filiere_visee in ajoutes.values_list(
        "pk", "cree_le", "canal", "statut", "ecole_visee_id", "ecole_visee__filiere"
    ):
        inscriptions = parcours_de.get(pk, [])
        categories = [categorie for _, _, categorie in inscriptions if categorie is not None]
        etapes = Counter(
            sources=1,
            preselectionnes=statut in STATUTS_PRESELECTIONNES or bool(inscriptions),
            inscrits=bool(inscriptions),
            sortis=bool(categories),
            emploi_durable=Categorie.EMPLOI_DURABLE in categories,
        )
        paires = {(ecole_id, filiere) for ecole_id, filiere, _ in inscriptions}
        if ecole_visee_id is not None:
            paires.add((ecole_visee_id, filiere_visee))
        # Once in each set of rows that a filter of the page reads: see AgregatCandidatsJour.
        cles = {
            (None, ""),
            *((ecole_id, "") for ecole_id, _ in paires),
            *((None, filiere) for _, filiere in paires),
            *paires,
        }
        jour = timezone.localdate(cree_le)
        for ecole_id, filiere in cles:
            comptes.setdefault((jour, canal, ecole_id, filiere), Counter()).update(etapes)
    AgregatCandidatsJour.objects.bulk_create(
        (
            AgregatCandidatsJour(
                jour=jour,
                canal=canal,
                ecole_id=ecole_id,
                filiere=filiere,
                **{nom: etapes[nom] for nom in ETAPES},
            )
            for (jour, canal, ecole_id, filiere), etapes in comptes.items()
        ),
        batch_size=TAILLE_DES_LOTS,
    )
