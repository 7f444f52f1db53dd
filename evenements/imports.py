"""Reading an event's attendance list (CSV or XLSX) against its participants.

The file is read by the candidate import's reader (`echanges.imports.lire_tableau`: the
same formats, caps and refusals). `analyser_presences` never writes: it returns every row
with its errors; `services.importer_presences` saves only a list without any.

A walk-in (a row marked present that matches no participant) is to be registered as
present: linked to the file the likely-duplicate rule finds (`candidats.doublons`), or a
new file checked by the registration page's form, within the event's capacity.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from candidats.doublons import cle_de_nom, doublons_existants, doublons_internes
from candidats.models import Candidat
from candidats.text import normalize_for_search
from echanges.imports import (
    LIGNES_MAX,
    Colonne,
    FichierRefuse,
    _date_de_naissance,
    _telephone,
    _texte,
    _vide,
    lire_tableau,
    normaliser_entete,
)

from .models import Participation, StatutParticipation

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
        "date_naissance",
        "date de naissance",
        frozenset({"date de naissance", "naissance", "ne le", "nee le", "ne e le"}),
    ),
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
    email: str = ""
    telephone: str = ""
    date_naissance: object = None
    statut: str = ""
    participation: object = None
    # A walk-in: the existing file to register, or the new one to create.
    candidat: object = None
    nouveau: object = None
    a_ajouter: bool = False
    erreurs: list = field(default_factory=list)

    def get_statut_display(self):
        return StatutParticipation(self.statut).label if self.statut else ""

    def identite(self):
        return {
            "nom": self.nom,
            "prenom": self.prenom,
            "date_naissance": self.date_naissance,
            "email": self.email,
        }


@dataclass
class AnalysePresences:
    lignes: list
    erreurs_de_la_liste: list = field(default_factory=list)

    @property
    def erreurs(self):
        return [
            f"Ligne {ligne.numero} : {erreur}" for ligne in self.lignes for erreur in ligne.erreurs
        ] + self.erreurs_de_la_liste

    @property
    def valide(self):
        return bool(self.lignes) and not self.erreurs

    @property
    def nouveaux_participants(self):
        return [ligne for ligne in self.lignes if ligne.candidat or ligne.nouveau]

    def statuts(self):
        return {
            ligne.participation.pk: ligne.statut for ligne in self.lignes if ligne.participation
        }


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
    """Every row of `contenu` matched to a participant of `evenement`, or a walk-in to
    register, with its errors."""
    tableau = lire_tableau(contenu)
    entete = next(tableau, None)
    if entete is None:
        raise FichierRefuse("Le fichier est vide.")
    positions = _positions(entete)
    participations = list(evenement.participations.select_related("candidat"))
    index = Index(participations)
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
    analyse = AnalysePresences(lignes)
    venus = [ligne for ligne in lignes if ligne.a_ajouter and not ligne.erreurs]
    if venus:
        _identifier_les_venus(venus, participations, vues)
        _verifier_les_places(analyse, evenement, participations)
    return analyse


def _identifier_les_venus(venus, participations, vues):
    """Link each walk-in to the file the likely-duplicate rule finds, or check the new
    file it would create as the registration page checks it."""
    # The registration page's form, imported here: that module imports this one.
    from .forms import ParticipantCreationForm

    identites = [ligne.identite() for ligne in venus]
    candidats = Candidat.objects.filter(anonymise_le__isnull=True)
    doublons = doublons_existants(identites, candidats)
    participation_de = {
        participation.candidat_id: participation for participation in participations
    }
    fiches = Candidat.objects.in_bulk(
        {pk for trouves in doublons for pk in trouves if pk not in participation_de}
    )
    for ligne, trouves, precedentes in zip(
        venus, doublons, doublons_internes(identites), strict=True
    ):
        if precedentes:
            ligne.erreurs.append(
                f"cette personne figure déjà à la ligne {venus[precedentes[0][0]].numero}."
            )
        elif len(trouves) > 1:
            ligne.erreurs.append(
                f"{len(trouves)} fiches pourraient être celle de {ligne.prenom} {ligne.nom} : "
                "inscrivez cette personne depuis la page de l'événement avant d'importer la "
                "liste."
            )
        elif trouves:
            (pk,) = trouves
            if pk in participation_de:
                # Found by the duplicate rule where the list's names differ from the file's.
                ligne.participation = participation_de[pk]
                deja = vues.setdefault(pk, ligne.numero)
                if deja != ligne.numero:
                    ligne.erreurs.append(f"cette personne figure déjà à la ligne {deja}.")
            else:
                ligne.candidat = fiches[pk]
        else:
            # Duplicates were looked up above for the whole list at once: none to search.
            form = ParticipantCreationForm(
                data={**ligne.identite(), "telephone": ligne.telephone},
                candidats=Candidat.objects.none(),
            )
            if form.is_valid():
                ligne.nouveau = form.save(commit=False)
            else:
                ligne.erreurs.extend(
                    f"{form.fields[champ].label} — {message}" if champ in form.fields else message
                    for champ, messages in form.errors.items()
                    for message in messages
                )


def _verifier_les_places(analyse, evenement, participations):
    """The seats taken once the list is applied must fit the capacity."""
    if evenement.est_annule:
        analyse.erreurs_de_la_liste.append(
            "Cet événement est annulé : la liste ne peut pas y ajouter de participant."
        )
        return
    statuts = {participation.pk: participation.statut for participation in participations}
    statuts.update(analyse.statuts())
    prises = sum(statut in Participation.OCCUPE_UNE_PLACE for statut in statuts.values())
    ajouts = len(analyse.nouveaux_participants)
    if prises + ajouts > evenement.capacite:
        analyse.erreurs_de_la_liste.append(
            f"La liste ajoute {ajouts} participant{'s' if ajouts > 1 else ''} présent"
            f"{'s' if ajouts > 1 else ''} : l'événement compterait {prises + ajouts} places "
            f"prises pour une capacité de {evenement.capacite}. Augmentez sa capacité avant "
            "d'importer la liste."
        )


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
        email=_texte(valeurs.get("email"))[:254],
        telephone=_telephone(valeurs.get("telephone"))
        if valeurs.get("telephone") is not None
        else "",
    )
    try:
        ligne.date_naissance = _date_de_naissance(valeurs.get("date_naissance"))
    except ValidationError as erreur:
        ligne.erreurs.extend(erreur.messages)
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
    trouves = index.trouver(ligne.nom, ligne.prenom, ligne.email, ligne.telephone)
    if not trouves and ligne.statut == StatutParticipation.PRESENT:
        ligne.a_ajouter = True
    elif not trouves:
        ligne.erreurs.append(
            f"{ligne.prenom} {ligne.nom} n'est pas inscrit·e à cet événement : seule une "
            "personne présente est ajoutée par la liste ; inscrivez cette personne depuis "
            "la page de l'événement."
        )
    elif len(trouves) > 1:
        ligne.erreurs.append(
            "plusieurs participants portent ce nom : ajoutez le courriel ou le téléphone."
        )
    else:
        ligne.participation = trouves[0]
        deja = vues.setdefault(trouves[0].pk, numero)
        if deja != numero:
            ligne.erreurs.append(f"cette personne figure déjà à la ligne {deja}.")
    return ligne
