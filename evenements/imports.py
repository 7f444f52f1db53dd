"""Reading an event's attendance list (CSV or XLSX) against its participants.

The file is read by the candidate import's reader (`echanges.imports.lire_tableau`: the
same formats, caps and refusals). `analyser_presences` never writes: it returns every row
with its errors; `services.importer_presences` saves only a list without any.
"""

import re
from dataclasses import dataclass, field

from candidats.doublons import cle_de_nom
from candidats.text import normalize_for_search
from echanges.imports import (
    LIGNES_MAX,
    Colonne,
    FichierRefuse,
    _telephone,
    _texte,
    _vide,
    lire_tableau,
    normaliser_entete,
)

from .models import StatutParticipation

COLONNES = [
    Colonne("nom", "nom", frozenset({"nom", "nom de famille", "nom de naissance"}), requise=True),
    Colonne("prenom", "prénom", frozenset({"prenom", "prenoms"}), requise=True),
    Colonne(
        "email",
        "e-mail",
        frozenset({"email", "e mail", "mail", "courriel", "adresse e mail", "adresse email"}),
    ),
    Colonne("telephone", "téléphone", frozenset({"telephone", "tel", "portable", "mobile"})),
    Colonne(
        "statut", "statut", frozenset({"statut", "presence", "etat", "emargement"}), requise=True
    ),
]
STATUTS = {
    **{normalize_for_search(code): code for code in StatutParticipation.values},
    **{normalize_for_search(label): code for code, label in StatutParticipation.choices},
    **{
        normalize_for_search(f"{label}e"): code
        for code, label in StatutParticipation.choices
        if code != StatutParticipation.PRESENT
    },
    "presente": StatutParticipation.PRESENT,
}
CHIFFRES = re.compile(r"\D+")


@dataclass
class LignePresence:
    numero: int
    nom: str = ""
    prenom: str = ""
    statut: str = ""
    participation: object = None
    erreurs: list = field(default_factory=list)

    def get_statut_display(self):
        return StatutParticipation(self.statut).label if self.statut else ""


@dataclass
class AnalysePresences:
    lignes: list

    @property
    def erreurs(self):
        return [
            f"Ligne {ligne.numero} : {erreur}" for ligne in self.lignes for erreur in ligne.erreurs
        ]

    @property
    def valide(self):
        return bool(self.lignes) and not self.erreurs

    def statuts(self):
        return {ligne.participation.pk: ligne.statut for ligne in self.lignes}


def _positions(entete):
    positions = {}
    for index, titre in enumerate(entete):
        cle = normaliser_entete(titre)
        colonne = next((c for c in COLONNES if cle and cle in c.alias), None)
        if colonne is None:
            continue
        if colonne.champ in positions:
            raise FichierRefuse(f"La colonne « {colonne.titre} » figure deux fois dans l'en-tête.")
        positions[colonne.champ] = index
    manquantes = [c.titre for c in COLONNES if c.requise and c.champ not in positions]
    if manquantes:
        noms = " et ".join(f"« {titre} »" for titre in manquantes)
        attendues = ", ".join(c.titre for c in COLONNES)
        raise FichierRefuse(
            f"Colonne(s) obligatoire(s) absente(s) : {noms}. La première ligne du fichier "
            f"doit nommer les colonnes ({attendues})."
        )
    return positions


def _chiffres_du_telephone(telephone):
    chiffres = CHIFFRES.sub("", telephone or "")
    if chiffres.startswith("33") and len(chiffres) == 11:
        chiffres = "0" + chiffres[2:]
    return chiffres


class Index:
    """The event's participants, found by e-mail, phone or close name."""

    def __init__(self, participations):
        self.par_email, self.par_telephone, self.par_nom = {}, {}, {}
        for participation in participations:
            candidat = participation.candidat
            if candidat.email:
                self.par_email.setdefault(candidat.email.lower(), []).append(participation)
            telephone = _chiffres_du_telephone(candidat.telephone)
            if telephone:
                self.par_telephone.setdefault(telephone, []).append(participation)
            cle = cle_de_nom(candidat.nom, candidat.prenom)
            if cle:
                self.par_nom.setdefault(cle, []).append(participation)

    def trouver(self, nom, prenom, email, telephone):
        for trouves in (
            self.par_email.get(email.lower()) if email else None,
            self.par_telephone.get(_chiffres_du_telephone(telephone)) if telephone else None,
            self.par_nom.get(cle_de_nom(nom, prenom)),
        ):
            if trouves:
                return trouves
        return []


def analyser_presences(contenu, *, evenement):
    """Every row of `contenu` matched to a participant of `evenement`, with its errors."""
    tableau = lire_tableau(contenu)
    entete = next(tableau, None)
    if entete is None:
        raise FichierRefuse("Le fichier est vide.")
    positions = _positions(entete)
    index = Index(evenement.participations.select_related("candidat"))
    lignes, vues = [], {}
    for numero, cellules in enumerate(tableau, start=2):
        cellules = list(cellules)
        if _vide(cellules):
            continue
        if len(lignes) >= LIGNES_MAX:
            raise FichierRefuse(f"Le fichier compte plus de {LIGNES_MAX} lignes.")
        lignes.append(_analyser_ligne(numero, cellules, positions, index, vues))
    if not lignes:
        raise FichierRefuse("Le fichier ne contient aucune ligne après l'en-tête.")
    return AnalysePresences(lignes)


def _cellule(cellules, positions, champ):
    position = positions.get(champ)
    if position is None or position >= len(cellules):
        return None
    return cellules[position]


def _analyser_ligne(numero, cellules, positions, index, vues):
    valeurs = {champ: _cellule(cellules, positions, champ) for champ in positions}
    ligne = LignePresence(
        numero=numero,
        nom=_texte(valeurs.get("nom"))[:100],
        prenom=_texte(valeurs.get("prenom"))[:100],
    )
    statut = _texte(valeurs.get("statut"))
    ligne.statut = STATUTS.get(normalize_for_search(statut), "")
    if not statut:
        ligne.erreurs.append("le statut est vide.")
    elif not ligne.statut:
        possibles = ", ".join(StatutParticipation.labels).lower()
        ligne.erreurs.append(f"statut inconnu « {statut[:50]} » (valeurs possibles : {possibles}).")
    if not ligne.nom or not ligne.prenom:
        ligne.erreurs.append("le nom et le prénom sont obligatoires.")
        return ligne
    trouves = index.trouver(
        ligne.nom,
        ligne.prenom,
        _texte(valeurs.get("email")),
        _telephone(valeurs.get("telephone")) if valeurs.get("telephone") is not None else "",
    )
    if not trouves:
        ligne.erreurs.append(
            f"{ligne.prenom} {ligne.nom} n'est pas inscrit·e à cet événement : inscrivez "
            "cette personne avant d'importer la liste."
        )
    elif len(trouves) > 1:
        ligne.erreurs.append(
            "plusieurs participants portent ce nom : ajoutez l'e-mail ou le téléphone."
        )
    else:
        ligne.participation = trouves[0]
        deja = vues.setdefault(trouves[0].pk, numero)
        if deja != numero:
            ligne.erreurs.append(f"cette personne figure déjà à la ligne {deja}.")
    return ligne
