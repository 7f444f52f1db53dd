"""What changed in a person's file, by whom and when, read from the audit history."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst

from evenements.models import Immersion, Participation
from parcours.models import Inscription, Sortie, Stage, Suivi

from .models import Candidat

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
DERNIERES_ENTREES = 50


@dataclass
class Entree:
    date: object
    auteur: object
    action: str
    objet: str
    changements: list = field(default_factory=list)


def _entrees(records, objet):
    """History entries of one kind of record, each compared with the previous version."""
    entrees = []
    precedents = {}
    for record in records:
        precedent = precedents.get(record.id)
        changements = []
        if precedent is not None and record.history_type == "~":
            model = record.instance_type
            for change in record.diff_against(precedent).changes:
                champ = model._meta.get_field(change.field)
                changements.append(
                    (champ.verbose_name, _lisible(champ, change.old), _lisible(champ, change.new))
                )
        precedents[record.id] = record
        if record.history_type == "~" and not changements and precedent is not None:
            continue
        entrees.append(
            Entree(
                date=record.history_date,
                auteur=record.history_user,
                action=ACTIONS[record.history_type],
                objet=objet(record),
                changements=changements,
            )
        )
    return entrees


def _lisible(champ, valeur):
    """A choice shown by its label, as in the forms ("En formation", not "en_formation")."""
    if champ.choices:
        return dict(champ.flatchoices).get(valeur, valeur)
    return valeur


def historique(candidat, limite=DERNIERES_ENTREES):
    """The latest changes to the candidate, their enrollments, internships, check-ins and exits."""
    inscription_ids = list(
        Inscription.history.filter(candidat_id=candidat.pk).values_list("id", flat=True).distinct()
    )
    sources = [
        (Candidat.history.filter(id=candidat.pk), lambda r: "Fiche candidat"),
        (Inscription.history.filter(candidat_id=candidat.pk), lambda r: "Inscription"),
        (Stage.history.filter(inscription_id__in=inscription_ids), lambda r: "Stage"),
        (
            Suivi.history.filter(inscription_id__in=inscription_ids),
            lambda r: f"Suivi de {r.mois:%m/%Y}",
        ),
        (Sortie.history.filter(inscription_id__in=inscription_ids), lambda r: "Sortie"),
    ]
    entrees = []
    for records, objet in sources:
        ordered = records.select_related("history_user").order_by("history_date", "history_id")
        entrees.extend(_entrees(ordered, objet))
    entrees.sort(key=lambda entree: entree.date, reverse=True)
    return entrees[:limite]


@dataclass(frozen=True)
class Section:
    """A part of the data held about a person: its title and how to read it."""

    titre: str
    lire: Callable


# Fields that hold no information about the person: the key, the links written out by
# their section, the copies kept for the search.
CHAMPS_TECHNIQUES = frozenset({"id", "inscription", "jeton_creation", "recherche"})


def _valeur(instance, champ):
    """A value as a person reads it: a label for a code, a name for a link, local times."""
    if champ.choices:
        return getattr(instance, f"get_{champ.name}_display")()
    if champ.is_relation:
        lie = getattr(instance, champ.name)
        return str(lie) if lie is not None else None
    valeur = getattr(instance, champ.attname)
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur)
    return valeur


def _champs(instance):
    """Every stored field of `instance`, under its French label."""
    return {
        capfirst(champ.verbose_name): _valeur(instance, champ)
        for champ in instance._meta.concrete_fields
        if champ.name not in CHAMPS_TECHNIQUES
    }


def _fiche(candidat):
    return _champs(candidat)


def _inscriptions(candidat):
    inscriptions = (
        Inscription.objects.filter(candidat=candidat)
        .select_related("cohorte__parcours__ecole", "sortie__entreprise_utilisatrice")
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.select_related("entreprise", "phase")),
            Prefetch("suivis", queryset=Suivi.objects.select_related("auteur").order_by("mois")),
        )
        .order_by("date_entree", "pk")
    )
    return [
        {
            "École": str(inscription.cohorte.parcours.ecole),
            "Cohorte": inscription.cohorte.nom,
            "Date d'entrée": inscription.date_entree,
            "Statut": inscription.get_statut_display(),
            "Stages": [
                {
                    "Phase": stage.phase.intitule,
                    "Début": stage.phase.date_debut,
                    "Fin": stage.phase.date_fin,
                    "Entreprise d'accueil": stage.entreprise.nom,
                }
                for stage in inscription.stages.all()
            ],
            "Suivis mensuels": [_champs(suivi) for suivi in inscription.suivis.all()],
            "Sortie": _champs(inscription.sortie) if hasattr(inscription, "sortie") else None,
        }
        for inscription in inscriptions
    ]


def _historique(candidat):
    return [
        {
            "Date": timezone.localtime(entree.date),
            "Auteur": str(entree.auteur) if entree.auteur else None,
            "Action": entree.action,
            "Objet": entree.objet,
            "Changements": [
                {"Champ": capfirst(str(libelle)), "Avant": avant, "Après": apres}
                for libelle, avant, apres in entree.changements
            ],
        }
        for entree in historique(candidat, limite=None)
    ]


def _participations(candidat):
    participations = (
        Participation.objects.filter(candidat=candidat)
        .select_related("evenement")
        .order_by("evenement__date", "pk")
    )
    return [
        {
            "Événement": participation.evenement.titre,
            "Type": participation.evenement.get_type_display(),
            "Date": participation.evenement.date,
            "Lieu": participation.evenement.lieu,
            "Statut": participation.get_statut_display(),
            "Inscrit le": timezone.localtime(participation.inscrit_le),
        }
        for participation in participations
    ]


def _immersions(candidat):
    immersions = (
        Immersion.objects.filter(candidat=candidat)
        .select_related("entreprise")
        .order_by("date_debut", "pk")
    )
    return [
        {
            "Entreprise": immersion.entreprise.nom,
            "Début": immersion.date_debut,
            "Fin": immersion.date_fin,
            "Prescripteur": immersion.prescripteur,
            "Référence de la convention": immersion.reference_convention,
            "Résultat": immersion.get_resultat_display(),
        }
        for immersion in immersions
    ]


# The right of access in parts: another kind of data about a person is one more entry.
SECTIONS = {
    "candidat": Section("Fiche candidat", _fiche),
    "inscriptions": Section("Inscriptions en formation", _inscriptions),
    "evenements": Section("Participations aux événements", _participations),
    "immersions": Section("Immersions en entreprise", _immersions),
    "historique": Section("Historique des modifications", _historique),
}


def donnees_personnelles(candidat):
    """Everything the portal holds about a person, for their right of access, by section."""
    return {cle: section.lire(candidat) for cle, section in SECTIONS.items()}


@dataclass(frozen=True)
class Noeud:
    """A piece of the printable page: a text, labelled fields, or a list of pieces."""

    genre: str
    valeur: object


def pour_la_page(valeur):
    """The data of a section as the printable page shows it: French dates, Oui or Non."""
    if isinstance(valeur, dict):
        return Noeud("champs", [(libelle, pour_la_page(v)) for libelle, v in valeur.items()])
    if isinstance(valeur, list):
        if not valeur:
            return Noeud("texte", "Aucun")
        return Noeud("liste", [pour_la_page(element) for element in valeur])
    if isinstance(valeur, datetime.datetime):
        return Noeud("texte", f"{timezone.localtime(valeur):%d/%m/%Y à %H:%M}")
    if isinstance(valeur, datetime.date):
        return Noeud("texte", f"{valeur:%d/%m/%Y}")
    if isinstance(valeur, bool):
        return Noeud("texte", "Oui" if valeur else "Non")
    if valeur is None or valeur == "":
        return Noeud("texte", "—")
    return Noeud("texte", str(valeur))
