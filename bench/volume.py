"""Data at the scale of the whole region over a decade (docs/domaine.md), written fast.

Rows are written with PostgreSQL's COPY (plain `bulk_create` on other databases) with
ids chosen here, so that an enrollment knows its candidate without reading it back.
Nothing goes through `save()` or the history: generated rows have no audit trail, as
if they had been imported before the portal existed.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from besoins.models import CATEGORIES_EMBAUCHE, AffectationBesoin, Besoin, Contrat
from candidats.doublons import cle_nom_naissance
from candidats.models import CanalSourcing, Candidat
from comptes.models import Appartenance, User
from demo.seed import ECOLES, seed_reference, siret_from
from documents.retention import fin_de_conservation
from ecoles.models import Ecole, Filiere
from entreprises.models import Entreprise
from evenements.models import (
    Evenement,
    Immersion,
    Participation,
    ResultatImmersion,
    StatutParticipation,
    TypeEvenement,
)
from parcours.calendrier import jours_feries
from parcours.dates import add_months, first_of_month, months_between
from parcours.models import (
    Cohorte,
    Dispositif,
    Inscription,
    Niveau,
    Parcours,
    PhaseCohorte,
    PhaseModele,
    Risque,
    Situation,
    Sortie,
    Stage,
    Suivi,
    TypePhase,
    categorie_de_sortie,
)
from presences.models import Creneau, Moment, Presence, StatutPresence
from presences.services import heures_realisees

GRAINE = 2026
ANNEES = 10
BATCH_SIZE = 5000

CANDIDATS = 100_000
COHORTES = 3_000
INSCRIPTIONS = 60_000
SUIVIS = 500_000
HEURES_PAR_DEMI_JOURNEE = Decimal("3.5")
# (scheme, funder) of the generated cohorts, drawn in these proportions.
FINANCEMENTS = [
    (Dispositif.Code.PRF, "Région Hauts-de-France"),
    (Dispositif.Code.PRF, "Région Hauts-de-France"),
    (Dispositif.Code.POEC, "France Travail"),
    (Dispositif.Code.POEI, "France Travail"),
    (Dispositif.Code.CONTRAT_PRO, "OPCO 2i"),
]

THEORIE, STAGE = TypePhase.THEORIE, TypePhase.STAGE
# The region's other schools: (city, job family, track, phases as (type, title, weeks)).
PHASES_LONGUES = [
    (THEORIE, "Socle technique", 12),
    (STAGE, "Premier stage en entreprise", 8),
    (THEORIE, "Approfondissement", 10),
    (STAGE, "Second stage en entreprise", 6),
    (THEORIE, "Certification", 6),
]
NOMS_DES_FILIERES = {
    Filiere.MAINTENANCE: ("École de la Maintenance", "Technicien de maintenance"),
    Filiere.CONDUITE_LIGNE: ("École de la Conduite de ligne", "Conducteur de ligne"),
    Filiere.USINAGE: ("École de l'Usinage", "Opérateur d'usinage sur commande numérique"),
    Filiere.ELECTRICITE: ("École du Monteur électricien", "Monteur électricien"),
    Filiere.LOGISTIQUE: ("École de la Logistique", "Agent logistique"),
    Filiere.ASSEMBLAGE: ("École de l'Assemblage", "Monteur assembleur"),
}
AUTRES_ECOLES = [
    ("Valenciennes", Filiere.MAINTENANCE),
    ("Valenciennes", Filiere.ASSEMBLAGE),
    ("Arras", Filiere.LOGISTIQUE),
    ("Lens", Filiere.USINAGE),
    ("Calais", Filiere.LOGISTIQUE),
    ("Boulogne-sur-Mer", Filiere.CONDUITE_LIGNE),
    ("Saint-Quentin", Filiere.MAINTENANCE),
    ("Amiens", Filiere.ELECTRICITE),
    ("Amiens", Filiere.USINAGE),
    ("Beauvais", Filiere.ASSEMBLAGE),
    ("Compiègne", Filiere.CONDUITE_LIGNE),
    ("Roubaix", Filiere.LOGISTIQUE),
    ("Tourcoing", Filiere.MAINTENANCE),
    ("Soissons", Filiere.USINAGE),
    ("Abbeville", Filiere.ASSEMBLAGE),
    ("Saint-Omer", Filiere.CONDUITE_LIGNE),
    ("Hazebrouck", Filiere.ELECTRICITE),
    ("Denain", Filiere.USINAGE),
    ("Laon", Filiere.LOGISTIQUE),
    ("Maubeuge", Filiere.ASSEMBLAGE),
    ("Béthune", Filiere.LOGISTIQUE),
    ("Dunkerque", Filiere.MAINTENANCE),
    ("Douai", Filiere.CONDUITE_LIGNE),
    ("Lille", Filiere.ELECTRICITE),
]
ORGANISMES = ["AFPA Hauts-de-France", "GRETA Grand Littoral", "GRETA Lille Métropole"]

SITUATIONS_EN_FIN_DE_PARCOURS = [
    (0.58, Situation.CDI, None),
    (0.80, Situation.CDD_LONG, 9),
    (0.86, Situation.CDD, 3),
    (0.89, Situation.INTERIM, 4),
    (0.91, Situation.INTERIM, 8),
    (0.95, Situation.FORMATION_QUALIFIANTE, None),
    (1.00, Situation.RECHERCHE_EMPLOI, None),
]
COMMENTAIRES = [
    "Point mensuel avec l'équipe pédagogique.",
    "Bonne intégration dans l'équipe du tuteur.",
    "Quelques retards ce mois-ci, à surveiller.",
    "Progression régulière sur les modules techniques.",
]


@dataclass
class CohorteGeneree:
    pk: int
    ecole_pk: int
    debut: datetime.date
    fin: datetime.date
    stages: list  # ids of its internship phases
    membres: list  # ids of its school's member companies
    # (id, type, start, end) of each phase, and the id of its first half-day.
    phases: list = field(default_factory=list)
    premier_creneau: int = 0
    places: int = 0
    fse: bool = False  # co-financed by the FSE+: its proofs are kept longer

    def preuves_conservees(self, today):
        """Whether its half-days and attendance are still kept on `today`: the retention
        job (`documents.retention`) has deleted those of older cohorts."""
        return fin_de_conservation(Cohorte(date_fin=self.fin, cofinancee_fse=self.fse)) >= today


@dataclass
class InscriptionGeneree:
    pk: int
    cohorte: CohorteGeneree
    entree: datetime.date
    fin: datetime.date  # exit date, or the cohort's end while in training
    abandon: bool


def volumes(echelle):
    """How many rows of each kind `echelle` (1 = the design's scale) asks for."""
    return {
        "candidats": max(round(CANDIDATS * echelle), 1),
        "cohortes": max(round(COHORTES * echelle), 1),
        "inscriptions": round(INSCRIPTIONS * echelle),
        "suivis": round(SUIVIS * echelle),
        "evenements": round(EVENEMENTS * echelle),
        "immersions": round(IMMERSIONS * echelle),
        "besoins": round(BESOINS * echelle),
    }


def inserer(model, colonnes, lignes):
    """Write `lignes` (tuples in the order of `colonnes`, attribute names) into `model`'s table."""
    nombre = 0
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        noms = ", ".join(quote(model._meta.get_field(colonne).column) for colonne in colonnes)
        sql = f"COPY {quote(model._meta.db_table)} ({noms}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for ligne in lignes:
                copy.write_row(ligne)
                nombre += 1
        return nombre
    lot = []
    for ligne in lignes:
        lot.append(model(**dict(zip(colonnes, ligne, strict=True))))
        if len(lot) == BATCH_SIZE:
            model.objects.bulk_create(lot)
            nombre += len(lot)
            lot = []
    model.objects.bulk_create(lot)
    return nombre + len(lot)


def prochain_id(model):
    dernier = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (dernier or 0) + 1


def referentiel():
    """The demo schools and accounts, the region's other schools, a partner for each."""
    organisations, ecoles_demo = seed_reference()
    organismes = []
    for nom in ORGANISMES:
        organisme, _ = Entreprise.objects.update_or_create(
            nom=nom,
            defaults={
                "ville": "Lille",
                "type": Entreprise.Type.ORGANISME_FORMATION,
                "siret": siret_from(nom),
            },
        )
        organismes.append(organisme)
    parcours = [parcours for _, parcours in ecoles_demo]
    for index, (ville, filiere) in enumerate(AUTRES_ECOLES):
        nom_ecole, nom_parcours = NOMS_DES_FILIERES[filiere]
        ecole, _ = Ecole.objects.update_or_create(
            nom=nom_ecole, ville=ville, defaults={"filiere": filiere, "active": True}
        )
        membres = []
        for numero in range(1, 4):
            nom = f"Industries {ville} {filiere.label} {numero}"
            membre, _ = Entreprise.objects.update_or_create(
                nom=nom, defaults={"ville": ville, "siret": siret_from(nom)}
            )
            membres.append(membre)
        ecole.entreprises_adherentes.set(membres)
        ecole.organismes_formation.set([organismes[index % len(organismes)]])
        un_parcours, _ = Parcours.objects.update_or_create(
            ecole=ecole, nom=nom_parcours, defaults={"filiere": filiere}
        )
        for ordre, (type_, intitule, semaines) in enumerate(PHASES_LONGUES, start=1):
            PhaseModele.objects.update_or_create(
                parcours=un_parcours,
                ordre=ordre,
                defaults={"type": type_, "intitule": intitule, "duree_semaines": semaines},
            )
        parcours.append(un_parcours)
        partenaire, created = User.objects.get_or_create(
            username=f"partenaire.bench{index + 1}",
            defaults={
                "first_name": "RH",
                "last_name": membres[0].nom,
                "role": User.Role.PARTENAIRE,
            },
        )
        if created:
            partenaire.set_unusable_password()
            partenaire.save()
        Appartenance.objects.get_or_create(user=partenaire, entreprise=membres[0])
    assert len(ECOLES) + len(AUTRES_ECOLES) == len(parcours)
    return parcours


@transaction.atomic
def generer(echelle=1.0, today=None, graine=GRAINE, presences_depuis=None):
    """Fill the database at `echelle` times the design's scale; returns the row counts.

    In one transaction: the candidates name their source event before the events are
    written, which the foreign keys, deferred to the commit, accept.
    """
    today = today or timezone.localdate()
    rng = random.Random(graine)
    voulu = volumes(echelle)
    parcours = referentiel()
    auteurs = list(
        User.objects.filter(username__in=["equipe", "admin"]).values_list("pk", flat=True)
    )
    phases_modeles = {
        p.pk: list(p.phases.order_by("ordre").values_list("type", "intitule", "duree_semaines"))
        for p in parcours
    }
    membres = {
        p.pk: list(p.ecole.entreprises_adherentes.values_list("pk", flat=True)) for p in parcours
    }
    compte = {}

    # Cohorts over ten years, a few still to start; phases laid end to end.
    cohortes, phases = [], []
    cohorte_pk, phase_pk = prochain_id(Cohorte), prochain_id(PhaseCohorte)
    debut_de_la_periode = today - datetime.timedelta(days=365 * ANNEES)
    etendue = (today + datetime.timedelta(days=120) - debut_de_la_periode).days
    lignes_cohortes, noms_pris = [], {}
    for _ in range(voulu["cohortes"]):
        un_parcours = rng.choice(parcours)
        debut = debut_de_la_periode + datetime.timedelta(days=rng.randrange(etendue))
        jour, stages, ses_phases = debut, [], []
        for ordre, (type_, intitule, semaines) in enumerate(phases_modeles[un_parcours.pk], 1):
            fin_phase = jour + datetime.timedelta(weeks=semaines, days=-1)
            phases.append((phase_pk, cohorte_pk, ordre, type_, intitule, jour, fin_phase))
            ses_phases.append((phase_pk, type_, jour, fin_phase))
            if type_ == STAGE:
                stages.append(phase_pk)
            phase_pk += 1
            jour = fin_phase + datetime.timedelta(days=1)
        fin = jour - datetime.timedelta(days=1)
        cohortes.append(
            CohorteGeneree(
                cohorte_pk,
                un_parcours.ecole_id,
                debut,
                fin,
                stages,
                membres[un_parcours.pk],
                phases=ses_phases,
            )
        )
        nom = f"{un_parcours.ecole.ville} — {un_parcours.nom} — {debut:%d/%m/%Y}"
        # A cohort's name is unique in its track: two drawn the same day get a number.
        cle = (un_parcours.pk, nom)
        noms_pris[cle] = noms_pris.get(cle, 0) + 1
        if noms_pris[cle] > 1:
            nom = f"{nom} ({noms_pris[cle]})"
        lignes_cohortes.append([cohorte_pk, un_parcours.pk, nom[:200], debut, fin])
        cohorte_pk += 1

    # Most cohorts hold 12 to 24 trainees, a few are much larger; future ones fill up.
    poids = []
    for cohorte in cohortes:
        poids_cohorte = rng.uniform(12, 24) if rng.random() > 0.02 else rng.uniform(80, 250)
        if cohorte.debut > today:
            poids_cohorte /= 2
        poids.append(poids_cohorte)
    facteur = voulu["inscriptions"] / sum(poids)
    tailles = [round(p * facteur) for p in poids]
    tailles[poids.index(max(poids))] += voulu["inscriptions"] - sum(tailles)
    tailles = [max(taille, 0) for taille in tailles]
    for ligne, taille in zip(lignes_cohortes, tailles, strict=True):
        ligne.append(max(taille + rng.randint(0, 4), 1))
    # The settings of the operation draw from their own generator: the rows above stay
    # those of the earlier measurements.
    rng_fonctionnement = random.Random(graine + 1)
    dispositifs = dict(Dispositif.objects.values_list("code", "pk"))
    for cohorte, ligne in zip(cohortes, lignes_cohortes, strict=True):
        code, financeur = rng_fonctionnement.choice(FINANCEMENTS)
        ville = ligne[2].split(" — ")[0]
        cohorte.fse = rng_fonctionnement.random() < 0.2
        cohorte.places = ligne[5]
        ligne.extend(
            [
                dispositifs.get(code),
                financeur,
                cohorte.fse,
                HEURES_PAR_DEMI_JOURNEE,
                f"Plateau technique de {ville}",
                "",
            ]
        )
    compte["cohortes"] = inserer(Cohorte, COLONNES_COHORTES, lignes_cohortes)
    compte["phases"] = inserer(
        PhaseCohorte,
        ["id", "cohorte_id", "ordre", "type", "intitule", "date_debut", "date_fin"],
        phases,
    )

    # Enrolled candidates are distinct people: one enrollment each.
    candidat_pk = prochain_id(Candidat)
    ids_candidats = list(range(candidat_pk, candidat_pk + voulu["candidats"]))
    rng.shuffle(ids_candidats)
    inscrit_dans = {}
    inscriptions = []
    inscription_pk = prochain_id(Inscription)
    for cohorte, taille in zip(cohortes, tailles, strict=True):
        for _ in range(min(taille, len(ids_candidats))):
            candidat = ids_candidats.pop()
            entree = min(
                cohorte.debut + datetime.timedelta(days=rng.choice([0] * 8 + [7, 14])), cohorte.fin
            )
            abandon = rng.random() < 0.08
            fin = cohorte.fin
            if abandon:
                fin = entree + (cohorte.fin - entree) * rng.randint(2, 7) // 10
            inscrit_dans[candidat] = (cohorte, inscription_pk)
            inscriptions.append(InscriptionGeneree(inscription_pk, cohorte, entree, fin, abandon))
            inscription_pk += 1
    # Events and needs draw from their own generator too; the events are drawn before the
    # candidates are written, who take their source event from them.
    rng_attirer = random.Random(graine + 2)
    attirer = evenements_generes(
        rng_attirer,
        voulu,
        {p.ecole_id: membres[p.pk] for p in parcours},
        debut_de_la_periode,
        today,
    )
    compte["candidats"] = inserer(
        Candidat,
        [*COLONNES_CANDIDATS, "evenement_source_id"],
        attirer.noter_sources(lignes_candidats(rng, voulu, candidat_pk, inscrit_dans, today)),
    )

    sorties = []
    sortie_pk = prochain_id(Sortie)
    for inscription in inscriptions:
        sortie = sortie_de(rng, inscription, today)
        if sortie is not None:
            sorties.append((sortie_pk, inscription.pk, *sortie))
            sortie_pk += 1
    sortis = {ligne[1] for ligne in sorties}
    maintenant = timezone.now()
    candidat_de = {pk: candidat for candidat, (_, pk) in inscrit_dans.items()}
    compte["inscriptions"] = inserer(
        Inscription,
        ["id", "candidat_id", "cohorte_id", "date_entree", "statut", "creee_le", "creee_par_id"],
        (
            (
                i.pk,
                candidat_de[i.pk],
                i.cohorte.pk,
                i.entree,
                Inscription.Statut.SORTIE if i.pk in sortis else Inscription.Statut.EN_FORMATION,
                maintenant,
                auteurs[0],
            )
            for i in inscriptions
        ),
    )
    compte["stages"] = inserer(
        Stage,
        ["inscription_id", "phase_id", "entreprise_id", "heures_hebdomadaires", "activites"],
        (
            (inscription.pk, phase, rng.choice(inscription.cohorte.membres), Decimal("35"), "")
            for inscription in inscriptions
            for phase in inscription.cohorte.stages
        ),
    )
    compte["suivis"] = inserer(
        Suivi, COLONNES_SUIVIS, lignes_suivis(rng, inscriptions, voulu["suivis"], auteurs, today)
    )
    compte["sorties"] = inserer(Sortie, COLONNES_SORTIES, sorties)
    compte |= generer_attirer(
        rng_attirer,
        voulu,
        attirer,
        range(candidat_pk, candidat_pk + voulu["candidats"]),
        cohortes,
        inscriptions,
        sorties,
        today,
    )

    # Half-days of the cohorts whose proofs are still kept, then the attendance of each
    # trainee up to yesterday.
    feries = {
        jour for jour, _ in jours_feries(debut_de_la_periode, today + datetime.timedelta(days=400))
    }
    # `presences_depuis`: only the cohorts ending on that day or after get them.
    avec_presences = [
        cohorte
        for cohorte in cohortes
        if cohorte.preuves_conservees(today)
        and (presences_depuis is None or cohorte.fin >= presences_depuis)
    ]
    compte["creneaux"] = inserer(
        Creneau,
        COLONNES_CRENEAUX,
        lignes_creneaux(
            avec_presences,
            prochain_id(Creneau),
            feries,
        ),
    )
    compte["presences"] = inserer(
        Presence,
        COLONNES_PRESENCES,
        lignes_presences(
            rng_fonctionnement,
            inscriptions,
            feries,
            auteurs,
            today,
            cohortes_ids={cohorte.pk for cohorte in avec_presences},
        ),
    )

    with connection.cursor() as cursor:
        models = [
            Candidat,
            Cohorte,
            PhaseCohorte,
            Inscription,
            Stage,
            Suivi,
            Sortie,
            Creneau,
            Presence,
            Evenement,
            Evenement.ecoles.through,
            Evenement.entreprises_hotes.through,
            Participation,
            Immersion,
            Besoin,
            AffectationBesoin,
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses from an empty table.
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return compte


COLONNES_COHORTES = [
    "id",
    "parcours_id",
    "nom",
    "date_debut",
    "date_fin",
    "places",
    "dispositif_id",
    "financeur",
    "cofinancee_fse",
    "heures_par_demi_journee",
    "lieu",
    "formateur",
]
COLONNES_CANDIDATS = [
    "id",
    "nom",
    "prenom",
    "date_naissance",
    "email",
    "telephone",
    "commune",
    "code_postal",
    "identifiant_france_travail",
    "canal",
    "ecole_visee_id",
    "statut",
    "notes",
    "date_consentement",
    "date_dernier_contact",
    "cree_le",
    "modifie_le",
    "recherche",
    "cle_nom_naissance",
]
STATUTS_SANS_INSCRIPTION = [
    Candidat.Statut.A_CONTACTER,
    Candidat.Statut.A_CONTACTER,
    Candidat.Statut.PRESELECTIONNE,
    Candidat.Statut.NON_RETENU,
    Candidat.Statut.NON_RETENU,
]


def lignes_candidats(rng, voulu, premier, inscrit_dans, today):
    """The candidates' rows; the database is read before, not while COPY writes."""
    ecoles = list(Ecole.objects.values_list("pk", flat=True))
    villes_des_ecoles = dict(Ecole.objects.values_list("pk", "ville"))
    return _lignes_candidats(rng, voulu, premier, inscrit_dans, today, ecoles, villes_des_ecoles)


def _lignes_candidats(rng, voulu, premier, inscrit_dans, today, ecoles, villes_des_ecoles):
    fake = Faker("fr_FR")
    fake.seed_instance(GRAINE)
    prenoms = list({fake.first_name() for _ in range(2000)})
    noms = list({fake.last_name() for _ in range(4000)})
    communes = list({fake.city() for _ in range(300)})
    jours = 365 * ANNEES
    for pk in range(premier, premier + voulu["candidats"]):
        prenom, nom = rng.choice(prenoms), rng.choice(noms)
        inscription = inscrit_dans.get(pk)
        if inscription:
            cohorte = inscription[0]
            ajoute = cohorte.debut - datetime.timedelta(days=rng.randint(10, 150))
            ecole, statut = cohorte.ecole_pk, Candidat.Statut.RETENU
            contact = cohorte.debut - datetime.timedelta(days=rng.randint(1, 9))
        else:
            ajoute = today - datetime.timedelta(days=rng.randrange(jours))
            ecole = rng.choice(ecoles) if rng.random() < 0.8 else None
            statut = rng.choice(STATUTS_SANS_INSCRIPTION)
            contact = min(ajoute + datetime.timedelta(days=rng.randint(0, 200)), today)
        email = f"{prenom}.{nom}.{pk}@example.org".lower().replace(" ", "")
        identifiant = f"{rng.randint(1000000, 9999999)}{rng.choice('ABCDEFGHJK')}"
        naissance = datetime.date(rng.randint(1965, 2006), rng.randint(1, 12), rng.randint(1, 28))
        candidat = Candidat(
            nom=nom, prenom=prenom, email=email, identifiant_france_travail=identifiant
        )
        cree_le = datetime.datetime.combine(ajoute, datetime.time(9), tzinfo=datetime.UTC)
        yield (
            pk,
            nom,
            prenom,
            naissance,
            email,
            f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            villes_des_ecoles.get(ecole) or rng.choice(communes),
            f"{rng.choice([59, 62, 80, 60, 2]):02d}{rng.randint(0, 999):03d}",
            identifiant,
            rng.choice(CanalSourcing.values),
            ecole,
            statut,
            rng.choice(["", "", "Motivé·e, a fait une immersion.", "Permis B, véhiculé·e."]),
            ajoute,
            contact,
            cree_le,
            cree_le,
            candidat.texte_de_recherche(),
            cle_nom_naissance(nom, prenom, naissance),
        )


def sortie_de(rng, inscription, today):
    """The exit of `inscription` as of `today`, or None while in training or not recorded."""
    if inscription.fin >= today:
        return None
    if inscription.abandon:
        situation = rng.choice([Situation.RECHERCHE_EMPLOI, Situation.INACTIF, Situation.CDD])
        debut = fin = None
        if situation == Situation.CDD:
            debut = inscription.fin + datetime.timedelta(days=1)
            fin = add_months(debut, 2)
        motif = Sortie.Motif.ABANDON
    else:
        # The exits of the last two months are not all recorded yet.
        if (today - inscription.fin).days < 60 and rng.random() < 0.5:
            return None
        tirage = rng.random()
        situation, mois = next(
            (s, m) for seuil, s, m in SITUATIONS_EN_FIN_DE_PARCOURS if tirage < seuil
        )
        debut = fin = None
        if situation in (Situation.CDI, Situation.CDD_LONG, Situation.CDD, Situation.INTERIM):
            debut = inscription.fin + datetime.timedelta(days=3)
        if mois:
            fin = add_months(debut, mois)
        motif = Sortie.Motif.FIN_PARCOURS
    employeur = rng.choice(inscription.cohorte.membres) if debut else None
    return (
        inscription.fin,
        motif,
        situation,
        categorie_de_sortie(situation, debut, fin),
        "Alliance Emploi" if debut else "",
        employeur,
        debut,
        fin,
        "",
        datetime.datetime.combine(inscription.fin, datetime.time(17), tzinfo=datetime.UTC),
    )


COLONNES_SORTIES = [
    "id",
    "inscription_id",
    "date_sortie",
    "motif",
    "situation",
    "categorie",
    "employeur",
    "entreprise_utilisatrice_id",
    "date_debut_contrat",
    "date_fin_contrat",
    "commentaire",
    "creee_le",
]
COLONNES_SUIVIS = [
    "inscription_id",
    "mois",
    "date_entretien",
    "auteur_id",
    "participants",
    "assiduite",
    "progression",
    "risque_decrochage",
    "commentaire",
    "actions",
    "cree_le",
]


def mois_suivis(inscription, dernier_mois_fait):
    """The months of `inscription` that had their check-in: last month's is often late."""
    for mois in months_between(inscription.entree, inscription.fin):
        if mois > dernier_mois_fait:
            break
        # Decided from the id, not drawn: the two passes of `lignes_suivis` agree.
        if mois == dernier_mois_fait and inscription.pk % 10 < 3:
            continue
        yield mois


def lignes_suivis(rng, inscriptions, voulu, auteurs, today):
    dernier_mois_fait = first_of_month(add_months(today, -1))
    possibles = sum(
        1 for inscription in inscriptions for _ in mois_suivis(inscription, dernier_mois_fait)
    )
    # Each possible check-in is kept with the same chance, to reach the wanted total.
    garde = min(voulu / possibles, 1) if possibles else 0
    for inscription in inscriptions:
        for mois in mois_suivis(inscription, dernier_mois_fait):
            if rng.random() >= garde:
                continue
            entretien = min(mois + datetime.timedelta(days=rng.randint(14, 25)), today)
            yield (
                inscription.pk,
                mois,
                entretien,
                rng.choice(auteurs),
                "Formateur référent, tuteur entreprise",
                rng.choice([Niveau.BON] * 4 + [Niveau.MOYEN, Niveau.INSUFFISANT]),
                rng.choice([Niveau.BON] * 3 + [Niveau.MOYEN, Niveau.INSUFFISANT]),
                Risque.ELEVE
                if inscription.abandon
                else rng.choice([Risque.FAIBLE] * 4 + [Risque.MOYEN]),
                rng.choice(COMMENTAIRES),
                "Poursuivre le parcours.",
                datetime.datetime.combine(entretien, datetime.time(18), tzinfo=datetime.UTC),
            )


COLONNES_CRENEAUX = [
    "id",
    "cohorte_id",
    "phase_id",
    "type",
    "date",
    "moment",
    "heures_prevues",
    "lieu",
    "formateur",
]
COLONNES_PRESENCES = [
    "creneau_id",
    "inscription_id",
    "statut",
    "minutes_retard",
    "motif",
    "heures_realisees",
    "motif_correction",
    "saisie_par_id",
    "saisie_le",
]
MOMENTS = [Moment.MATIN.value, Moment.APRES_MIDI.value]
MOTIFS_JUSTIFIES = ["Rendez-vous médical", "Enfant malade", "Démarche France Travail"]
RETARDS_EN_MINUTES = [5, 10, 15, 20, 30, 45]
UN_JOUR = datetime.timedelta(days=1)


def demi_journees(cohorte, feries):
    """(day, moment, phase id, type) of each working half-day of `cohorte`, in order, as
    `presences.services.generer_creneaux` makes them."""
    for phase_pk, type_, debut, fin in cohorte.phases:
        jour = debut
        while jour <= fin:
            if jour.weekday() < 5 and jour not in feries:
                for moment in MOMENTS:
                    yield jour, moment, phase_pk, type_
            jour += UN_JOUR


def lignes_creneaux(cohortes, premier, feries):
    """The half-days' rows; sets each cohort's `premier_creneau`, the ids being consecutive."""
    pk = premier
    for cohorte in cohortes:
        cohorte.premier_creneau = pk
        for jour, moment, phase_pk, type_ in demi_journees(cohorte, feries):
            yield (pk, cohorte.pk, phase_pk, type_, jour, moment, HEURES_PAR_DEMI_JOURNEE, "", "")
            pk += 1


def lignes_presences(rng, inscriptions, feries, auteurs, today, cohortes_ids):
    """One attendance per trainee and half-day before `today`, from entry to the end of
    training; the half-days of a cohort are computed again, one cohort at a time."""
    heures_du_retard = {
        minutes: heures_realisees(StatutPresence.RETARD, minutes, HEURES_PAR_DEMI_JOURNEE)
        for minutes in RETARDS_EN_MINUTES
    }
    zero = Decimal("0")
    for _, ses_inscriptions in itertools.groupby(inscriptions, key=lambda i: i.cohorte.pk):
        ses_inscriptions = list(ses_inscriptions)
        cohorte = ses_inscriptions[0].cohorte
        if cohorte.pk not in cohortes_ids:
            continue
        creneaux = [
            (pk, jour, datetime.datetime.combine(jour, heure, tzinfo=datetime.UTC))
            for pk, (jour, moment, _, _) in enumerate(
                demi_journees(cohorte, feries), start=cohorte.premier_creneau
            )
            if jour < today
            for heure in [datetime.time(11 if moment == Moment.MATIN else 16, 30)]
        ]
        for inscription in ses_inscriptions:
            auteur = auteurs[inscription.pk % len(auteurs)]
            non_justifiees = 0.05 if inscription.abandon else 0.008
            for pk, jour, saisie_le in creneaux:
                if not inscription.entree <= jour <= inscription.fin:
                    continue
                tirage = rng.random()
                if tirage < 0.93:
                    statut, minutes, motif, heures = (
                        StatutPresence.PRESENT,
                        None,
                        "",
                        HEURES_PAR_DEMI_JOURNEE,
                    )
                elif tirage < 0.96:
                    minutes = rng.choice(RETARDS_EN_MINUTES)
                    statut, motif, heures = StatutPresence.RETARD, "", heures_du_retard[minutes]
                elif tirage < 1 - non_justifiees:
                    statut, minutes, heures = StatutPresence.ABSENT_JUSTIFIE, None, zero
                    motif = rng.choice(MOTIFS_JUSTIFIES)
                else:
                    statut, minutes, motif, heures = (
                        StatutPresence.ABSENT_NON_JUSTIFIE,
                        None,
                        "",
                        zero,
                    )
                yield (pk, inscription.pk, statut, minutes, motif, heures, "", auteur, saisie_le)


# Attirer and plan: events, their participants, immersions, hiring needs.

EVENEMENTS = 2_300  # the 231 events of the programme's year, over ten years
IMMERSIONS = 5_000
BESOINS = 3_000
TYPES_EVENEMENTS = [
    (
        TypeEvenement.INFORMATION,
        "Réunion d'information — {ecole}",
        "Agence France Travail de {ville}",
    ),
    (
        TypeEvenement.INFORMATION,
        "Réunion d'information — {ecole}",
        "Agence France Travail de {ville}",
    ),
    (TypeEvenement.JOB_DATING, "Job dating {entreprise}", "{entreprise}"),
    (TypeEvenement.FORUM, "Forum de l'industrie de {ville}", "Salle des fêtes de {ville}"),
    (TypeEvenement.VISITE, "Visite du site {entreprise}", "{entreprise}"),
    (TypeEvenement.IMMERSION, "Immersion collective chez {entreprise}", "{entreprise}"),
]
STATUTS_DES_PRESENTS = [StatutParticipation.PRESENT] * 14 + [
    StatutParticipation.ABSENT,
    StatutParticipation.ABSENT,
    StatutParticipation.ABSENT,
    StatutParticipation.EXCUSE,
    StatutParticipation.EXCUSE,
    StatutParticipation.EXCUSE,
]
PRESCRIPTEURS = ["France Travail", "Mission locale", "Cap emploi"]
RESULTATS_DES_IMMERSIONS = [ResultatImmersion.CONCLUANTE] * 5 + [
    ResultatImmersion.NON_CONCLUANTE,
    ResultatImmersion.NON_CONCLUANTE,
    ResultatImmersion.NON_CONCLUANTE,
    ResultatImmersion.INTERROMPUE,
    ResultatImmersion.INTERROMPUE,
]


@dataclass
class EvenementGenere:
    pk: int
    ecole_pk: int
    hote: int | None
    date: datetime.date
    capacite: int
    participants: dict = field(default_factory=dict)  # candidate id: status


@dataclass
class Attirer:
    """What the events know while the candidates are written: each candidate who came
    through an event gets it as their source, where they were present."""

    evenements: list
    dates: list  # the events' dates, sorted like `evenements`
    today: datetime.date
    venus_par_evenement: list = field(default_factory=list)  # (candidate id, school id)

    def source_de(self, ajoute):
        rang = max(bisect.bisect_right(self.dates, ajoute) - 1, 0)
        return self.evenements[rang]

    def noter_sources(self, lignes):
        """Each candidate's row with its source event (or None) at the end."""
        canal, ajoute, ecole = (COLONNES_CANDIDATS.index(c) for c in CHAMPS_DE_LA_SOURCE)
        for ligne in lignes:
            source = None
            if ligne[canal] == CanalSourcing.EVENEMENT and self.evenements:
                evenement = self.source_de(ligne[ajoute])
                evenement.participants[ligne[0]] = (
                    StatutParticipation.PRESENT
                    if evenement.date < self.today
                    else StatutParticipation.INSCRIT
                )
                self.venus_par_evenement.append((ligne[0], ligne[ecole]))
                source = evenement.pk
            yield (*ligne, source)


CHAMPS_DE_LA_SOURCE = ("canal", "date_consentement", "ecole_visee_id")


def evenements_generes(rng, voulu, ecoles, debut, today):
    """The events over the period and the next three months, in date order; `ecoles` maps
    a school's id to its member companies' ids."""
    etendue = (today + datetime.timedelta(days=90) - debut).days
    dates = sorted(
        debut + datetime.timedelta(days=rng.randrange(etendue)) for _ in range(voulu["evenements"])
    )
    premier = prochain_id(Evenement)
    ids_des_ecoles = sorted(ecoles)
    evenements = []
    for pk, date in enumerate(dates, start=premier):
        ecole = rng.choice(ids_des_ecoles)
        hote = rng.choice(ecoles[ecole]) if ecoles[ecole] else None
        evenements.append(EvenementGenere(pk, ecole, hote, date, rng.randint(15, 50)))
    return Attirer(evenements=evenements, dates=dates, today=today)


def generer_attirer(rng, voulu, attirer, candidats, cohortes, inscriptions, sorties, today):
    """Write the events (their sources already given to the candidates), participants,
    immersions, hiring needs and their assignments; returns the row counts."""
    compte = {}
    noms_des_ecoles = {
        pk: (nom, ville, filiere)
        for pk, nom, ville, filiere in Ecole.objects.values_list("pk", "nom", "ville", "filiere")
    }
    noms_des_entreprises = dict(Entreprise.objects.values_list("pk", "nom"))
    maintenant = timezone.now()
    lignes_evenements = []
    for evenement in attirer.evenements:
        # Beside those it brought, anyone on file: some come to several events.
        passe = evenement.date < today
        remplissage = rng.uniform(0.4, 0.9) if passe else rng.uniform(0.1, 0.5)
        voulus = max(round(evenement.capacite * remplissage), len(evenement.participants))
        while len(evenement.participants) < min(voulus, len(candidats)):
            candidat = rng.choice(candidats)
            if candidat not in evenement.participants:
                evenement.participants[candidat] = (
                    rng.choice(STATUTS_DES_PRESENTS) if passe else StatutParticipation.INSCRIT
                )
        evenement.capacite = max(evenement.capacite, len(evenement.participants))
        type_, titre, lieu = rng.choice(TYPES_EVENEMENTS)
        nom_ecole, ville, _ = noms_des_ecoles[evenement.ecole_pk]
        entreprise = noms_des_entreprises.get(evenement.hote, "Alliance Emploi")
        textes = {"ecole": f"{nom_ecole} — {ville}", "ville": ville, "entreprise": entreprise}
        heure = datetime.time(rng.choice([9, 10, 14]))
        lignes_evenements.append(
            (
                evenement.pk,
                type_,
                titre.format(**textes)[:200],
                evenement.date,
                heure,
                datetime.time(heure.hour + 2),
                lieu.format(**textes)[:200],
                "Alliance Emploi",
                evenement.capacite,
                min(a_midi(evenement.date - datetime.timedelta(days=30)), maintenant),
            )
        )
    compte["evenements"] = inserer(Evenement, COLONNES_EVENEMENTS, lignes_evenements)
    inserer(
        Evenement.ecoles.through,
        ["evenement_id", "ecole_id"],
        ((e.pk, e.ecole_pk) for e in attirer.evenements),
    )
    inserer(
        Evenement.entreprises_hotes.through,
        ["evenement_id", "entreprise_id"],
        ((e.pk, e.hote) for e in attirer.evenements if e.hote),
    )
    compte["participations"] = inserer(
        Participation,
        ["evenement_id", "candidat_id", "statut", "inscrit_le"],
        (
            (
                evenement.pk,
                candidat,
                statut,
                min(a_midi(evenement.date - datetime.timedelta(days=7)), maintenant),
            )
            for evenement in attirer.evenements
            for candidat, statut in evenement.participants.items()
        ),
    )

    membres = {}
    for cohorte in cohortes:
        membres.setdefault(cohorte.ecole_pk, cohorte.membres)
    compte["immersions"] = inserer(
        Immersion,
        COLONNES_IMMERSIONS,
        lignes_immersions(rng, voulu, attirer, candidats, membres, today, maintenant),
    )
    besoins, affectations = besoins_generes(
        rng, voulu, cohortes, inscriptions, sorties, noms_des_ecoles, today
    )
    compte["besoins"] = inserer(Besoin, COLONNES_BESOINS, besoins)
    compte["affectations"] = inserer(
        AffectationBesoin, ["besoin_id", "cohorte_id", "postes", "cree_le"], affectations
    )
    return compte


COLONNES_EVENEMENTS = [
    "id",
    "type",
    "titre",
    "date",
    "heure_debut",
    "heure_fin",
    "lieu",
    "organisateur",
    "capacite",
    "cree_le",
]
COLONNES_IMMERSIONS = [
    "candidat_id",
    "entreprise_id",
    "date_debut",
    "date_fin",
    "prescripteur",
    "reference_convention",
    "resultat",
    "cree_le",
]


def lignes_immersions(rng, voulu, attirer, candidats, membres, today, maintenant):
    """Immersions, most of them of candidates who came through an event, at a member
    company of their school; a few beyond the month a PMSMP normally lasts."""
    toutes = [pk for entreprises in membres.values() for pk in entreprises]
    debut = today - datetime.timedelta(days=365 * ANNEES)
    for numero in range(voulu["immersions"]):
        if attirer.venus_par_evenement and rng.random() < 0.7:
            candidat, ecole = rng.choice(attirer.venus_par_evenement)
        else:
            candidat, ecole = rng.choice(candidats), None
        entreprise = rng.choice(membres.get(ecole) or toutes)
        date_debut = debut + datetime.timedelta(days=rng.randrange(365 * ANNEES + 30))
        date_fin = date_debut + datetime.timedelta(days=rng.choice([4, 9, 11, 18, 25, 40]))
        resultat = rng.choice(RESULTATS_DES_IMMERSIONS) if date_fin < today else "en_cours"
        yield (
            candidat,
            entreprise,
            date_debut,
            date_fin,
            rng.choice(PRESCRIPTEURS),
            f"PMSMP-{date_debut:%Y}-{numero + 1:06d}",
            resultat,
            maintenant,
        )


COLONNES_BESOINS = [
    "id",
    "entreprise_id",
    "ecole_id",
    "metier",
    "filiere",
    "postes",
    "contrat",
    "mois_embauche",
    "site",
    "etat",
    "etat_modifie_le",
    "valide_le",
    "couvert_le",
    "embauches",
    "cree_le",
    "modifie_le",
]


def a_midi(jour):
    return datetime.datetime.combine(jour, datetime.time(12), tzinfo=datetime.UTC)


def besoins_generes(rng, voulu, cohortes, inscriptions, sorties, ecoles, today):
    """The needs' rows and their assignments, with the state `besoins.services` would
    have given them: a need is covered once the hires of its company (in the cohorts
    assigned to it, or in its school) since its creation reach its positions."""
    cohorte_de = {inscription.pk: inscription.cohorte for inscription in inscriptions}
    par_cohorte, par_ecole = {}, {}
    inscription_, date_, categorie_, entreprise_ = (
        COLONNES_SORTIES.index(colonne)
        for colonne in ("inscription_id", "date_sortie", "categorie", "entreprise_utilisatrice_id")
    )
    for sortie in sorties:
        inscription, date_sortie = sortie[inscription_], sortie[date_]
        categorie, entreprise = sortie[categorie_], sortie[entreprise_]
        if entreprise is None or categorie not in CATEGORIES_EMBAUCHE:
            continue
        cohorte = cohorte_de[inscription]
        par_cohorte.setdefault((entreprise, cohorte.pk), []).append(date_sortie)
        par_ecole.setdefault((entreprise, cohorte.ecole_pk), []).append(date_sortie)
    for dates in itertools.chain(par_cohorte.values(), par_ecole.values()):
        dates.sort()
    cohortes_par_ecole = {}
    for cohorte in sorted(cohortes, key=lambda c: c.fin):
        cohortes_par_ecole.setdefault(cohorte.ecole_pk, []).append(cohorte)
    places_libres = {cohorte.pk: cohorte.places for cohorte in cohortes}
    avec_membres = [cohorte for cohorte in cohortes if cohorte.membres]
    ecoles_avec_membres = sorted({c.ecole_pk: c.membres for c in avec_membres}.items())
    premier_mois = first_of_month(today - datetime.timedelta(days=365 * ANNEES))
    nombre_de_mois = ANNEES * 12 + 12
    besoins, affectations = [], []
    for pk in range(prochain_id(Besoin), prochain_id(Besoin) + voulu["besoins"]):
        if rng.random() < 0.7:
            # Most needs are those a cohort was opened for: hires the month after its end.
            cohorte = rng.choice(avec_membres)
            ecole, membres = cohorte.ecole_pk, cohorte.membres
            mois = first_of_month(add_months(cohorte.fin, 1))
        else:
            ecole, membres = rng.choice(ecoles_avec_membres)
            mois = add_months(premier_mois, rng.randrange(nombre_de_mois))
        entreprise = rng.choice(membres)
        _, ville, filiere = ecoles[ecole]
        cree = min(mois - datetime.timedelta(days=rng.randint(30, 240)), today)
        postes = rng.randint(1, 8)
        assignees = []
        annule = rng.random() < 0.08
        valide = not annule and rng.random() < 0.7
        if valide:
            # The cohorts ending in the three months before the wished hiring month.
            for cohorte in cohortes_par_ecole.get(ecole, []):
                if add_months(mois, -3) <= cohorte.fin < mois and places_libres[cohorte.pk]:
                    affectes = min(postes - sum(p for _, p in assignees), places_libres[cohorte.pk])
                    if affectes < 1:
                        break
                    places_libres[cohorte.pk] -= affectes
                    assignees.append((cohorte.pk, affectes))
        if assignees:
            dates = sorted(
                d for cohorte, _ in assignees for d in par_cohorte.get((entreprise, cohorte), [])
            )
        else:
            dates = par_ecole.get((entreprise, ecole), [])
        embauches = dates[bisect.bisect_left(dates, cree) :] if not annule else []
        valide_le = (
            min(cree + datetime.timedelta(days=rng.randint(3, 30)), today) if valide else None
        )
        couvert_le = None
        if annule:
            etat, modifie = Besoin.Etat.ANNULE, min(cree + datetime.timedelta(days=45), today)
        elif len(embauches) >= postes:
            couvert_le = max(embauches[postes - 1], valide_le or cree)
            etat, modifie = Besoin.Etat.COUVERT, couvert_le
        elif valide:
            etat, modifie = Besoin.Etat.VALIDE, valide_le
        else:
            etat, modifie = Besoin.Etat.EXPRIME, cree
        besoins.append(
            (
                pk,
                entreprise,
                ecole,
                METIERS_DES_FILIERES.get(filiere, "Opérateur de production"),
                filiere,
                postes,
                rng.choice(Contrat.values),
                mois,
                ville,
                etat,
                a_midi(modifie),
                a_midi(valide_le) if valide_le else None,
                couvert_le,
                min(len(embauches), 32_000),
                a_midi(cree),
                a_midi(modifie),
            )
        )
        affectations.extend(
            (pk, cohorte, affectes, a_midi(valide_le)) for cohorte, affectes in assignees
        )
    return besoins, affectations


METIERS_DES_FILIERES = {filiere: metier for filiere, (_, metier) in NOMS_DES_FILIERES.items()}
