"""What changed in a person's file, by whom and when, read from the audit history."""

from dataclasses import dataclass, field

from django.forms.models import model_to_dict

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


def donnees_personnelles(candidat):
    """Everything the portal holds about a person, for their right of access."""
    inscriptions = (
        Inscription.objects.filter(candidat=candidat)
        .select_related("cohorte__parcours__ecole", "sortie")
        .prefetch_related("stages__entreprise", "stages__phase", "suivis")
    )
    return {
        "candidat": model_to_dict(candidat, exclude=["jeton_creation"])
        | {"cree_le": candidat.cree_le, "modifie_le": candidat.modifie_le},
        "inscriptions": [
            {
                "ecole": str(inscription.cohorte.parcours.ecole),
                "cohorte": inscription.cohorte.nom,
                "date_entree": inscription.date_entree,
                "statut": inscription.get_statut_display(),
                "stages": [
                    {
                        "phase": stage.phase.intitule,
                        "debut": stage.phase.date_debut,
                        "fin": stage.phase.date_fin,
                        "entreprise": stage.entreprise.nom,
                    }
                    for stage in inscription.stages.all()
                ],
                "suivis": [
                    model_to_dict(suivi, exclude=["id", "inscription"])
                    for suivi in inscription.suivis.all()
                ],
                "sortie": (
                    model_to_dict(inscription.sortie, exclude=["id", "inscription"])
                    | {"categorie": inscription.sortie.get_categorie_display()}
                    if hasattr(inscription, "sortie")
                    else None
                ),
            }
            for inscription in inscriptions
        ],
        "historique": [
            {
                "date": entree.date,
                "auteur": str(entree.auteur) if entree.auteur else None,
                "action": entree.action,
                "objet": entree.objet,
                "changements": [
                    {"champ": str(libelle), "avant": avant, "apres": apres}
                    for libelle, avant, apres in entree.changements
                ],
            }
            for entree in historique(candidat, limite=None)
        ],
    }
