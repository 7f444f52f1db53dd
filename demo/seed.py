"""Demo data drawn from the article: the schools of Alliance Emploi and their companies.

Every person and SIRET here is generated. Reference data is upserted on natural keys;
the generated population is created once, from a fixed random seed.
"""

import datetime
import random

from django.db import transaction
from faker import Faker

from candidats.models import CanalSourcing, Candidat
from comptes.models import Appartenance, User
from demo.besoins import seed_besoins
from demo.evenements import seed_evenements
from demo.presences import reglages_de_cohorte, seed_fonctionnement
from ecoles.models import Ecole, Filiere
from enquetes.models import Enquete, SituationApresSortie
from enquetes.services import declarer_injoignable, enregistrer_reponse
from entreprises.models import Contact, Entreprise
from indicateurs import agregats
from parcours import echeances
from parcours.dates import add_months, first_of_month, months_between
from parcours.models import (
    Cohorte,
    Inscription,
    Niveau,
    Parcours,
    PhaseModele,
    Risque,
    Situation,
    Sortie,
    Suivi,
    TypePhase,
)
from parcours.services import creer_cohorte, enregistrer_sortie, inscrire

DEMO_PASSWORD = "PlanMarshall-2026"
RANDOM_SEED = 2025
RISQUES_HABITUELS = [Risque.FAIBLE] * 4 + [Risque.MOYEN]

ADHERENTE = Entreprise.Type.ADHERENTE
FORMATION = Entreprise.Type.ORGANISME_FORMATION
PARTENAIRE = Entreprise.Type.PARTENAIRE_EMPLOI

ORGANISATIONS = [
    ("Trémois", "Cambrai", ADHERENTE),
    ("Mahle", "Cambrai", ADHERENTE),
    ("Antolin", "Cambrai", ADHERENTE),
    ("Nestlé", "Maubeuge", ADHERENTE),
    ("Materne", "Maubeuge", ADHERENTE),
    ("Minth", "Béthune", ADHERENTE),
    ("Flex'N'Gate", "Béthune", ADHERENTE),
    ("Ampere", "Béthune", ADHERENTE),
    ("Aéroport de Lille", "Lesquin", ADHERENTE),
    ("Teinturerie de la Justice", "Lille", ADHERENTE),
    ("Peignage Dumortier", "Tourcoing", ADHERENTE),
    ("Spie", "Dunkerque", ADHERENTE),
    ("SNEF", "Dunkerque", ADHERENTE),
    ("Big Ben", "Douai", ADHERENTE),
    ("GRETA du Grand Hainaut", "Valenciennes", FORMATION),
    ("Région Hauts-de-France", "Lille", PARTENAIRE),
    ("France Travail Hauts-de-France", "Lille", PARTENAIRE),
    ("UIMM Hauts-de-France", "Lille", PARTENAIRE),
    ("OPCO 2i", "Lille", PARTENAIRE),
]

# (school, job family, city, member companies, track name, phases as (type, title, weeks))
THEORIE, STAGE = TypePhase.THEORIE, TypePhase.STAGE
MAINTENANCE_PHASES = [
    (THEORIE, "Fondamentaux de la maintenance", 8),
    (STAGE, "Stage de maintenance préventive", 6),
    (THEORIE, "Diagnostic et dépannage", 6),
    (STAGE, "Stage de maintenance curative", 4),
]
ECOLES = [
    (
        "École de la Maintenance",
        Filiere.MAINTENANCE,
        "Cambrai",
        ["Trémois", "Mahle", "Antolin"],
        "Technicien de maintenance industrielle",
        MAINTENANCE_PHASES,
    ),
    (
        "École de la Maintenance",
        Filiere.MAINTENANCE,
        "Maubeuge",
        ["Nestlé", "Materne"],
        "Technicien de maintenance agroalimentaire",
        MAINTENANCE_PHASES,
    ),
    (
        "École de la Maintenance et conduite de ligne",
        Filiere.CONDUITE_LIGNE,
        "Béthune",
        ["Minth", "Flex'N'Gate", "Ampere"],
        "Conducteur de ligne",
        [
            (THEORIE, "Conduite et réglage d'une ligne", 6),
            (STAGE, "Stage sur les lignes d'Ampere", 5),
            (THEORIE, "Régulation, entretien et qualité", 11),
        ],
    ),
    (
        "École de la Maintenance",
        Filiere.MAINTENANCE,
        "Lille",
        ["Aéroport de Lille", "Teinturerie de la Justice", "Peignage Dumortier"],
        "Agent de maintenance polyvalent",
        MAINTENANCE_PHASES,
    ),
    (
        "École du Monteur électricien",
        Filiere.ELECTRICITE,
        "Dunkerque",
        ["Spie", "SNEF"],
        "Monteur électricien industriel",
        [
            (THEORIE, "Habilitations et schémas électriques", 7),
            (STAGE, "Stage de câblage sur chantier", 6),
            (THEORIE, "Raccordement et mise en service", 5),
        ],
    ),
    (
        "École de la Logistique",
        Filiere.LOGISTIQUE,
        "Douai",
        ["Big Ben"],
        "Agent logistique et cariste",
        [
            (THEORIE, "Flux logistiques et CACES", 5),
            (STAGE, "Stage en entrepôt", 6),
            (THEORIE, "Gestion des stocks", 4),
        ],
    ),
]

COMPTES = [
    # (username, first name, last name, role, organisations)
    ("admin", "Cécile", "Administratrice", User.Role.ADMINISTRATEUR, []),
    ("equipe", "Camille", "Chargée de suivi", User.Role.EQUIPE, []),
    ("partenaire.ampere", "Julien", "RH Ampere", User.Role.PARTENAIRE, ["Ampere"]),
    ("partenaire.bigben", "Sophie", "RH Big Ben", User.Role.PARTENAIRE, ["Big Ben"]),
    (
        "partenaire.greta",
        "Clémence",
        "Conseillère GRETA",
        User.Role.PARTENAIRE,
        ["GRETA du Grand Hainaut"],
    ),
]


def siret_from(seed_text):
    """A generated SIRET, valid for the Luhn check, stable for the same text."""
    rng = random.Random(seed_text)
    body = "9" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    for check in range(10):
        candidate = body + str(check)
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one check digit always fits")


def seed_reference():
    organisations = {}
    for nom, ville, type_ in ORGANISATIONS:
        organisations[nom], _ = Entreprise.objects.update_or_create(
            nom=nom, defaults={"ville": ville, "type": type_, "siret": siret_from(nom)}
        )
    greta = organisations["GRETA du Grand Hainaut"]
    ecoles = []
    for nom, filiere, ville, membres, parcours_nom, phases in ECOLES:
        ecole, _ = Ecole.objects.update_or_create(
            nom=nom, ville=ville, defaults={"filiere": filiere, "active": True}
        )
        ecole.entreprises_adherentes.set(organisations[m] for m in membres)
        ecole.organismes_formation.set([greta])
        parcours, _ = Parcours.objects.update_or_create(
            ecole=ecole, nom=parcours_nom, defaults={"filiere": filiere}
        )
        for ordre, (type_, intitule, semaines) in enumerate(phases, start=1):
            PhaseModele.objects.update_or_create(
                parcours=parcours,
                ordre=ordre,
                defaults={"type": type_, "intitule": intitule, "duree_semaines": semaines},
            )
        ecoles.append((ecole, parcours))
    for username, first_name, last_name, role, membres in COMPTES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.plan-marshall.local",
                "role": role,
                "is_staff": role == User.Role.ADMINISTRATEUR,
                "is_superuser": role == User.Role.ADMINISTRATEUR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for nom in membres:
            Appartenance.objects.get_or_create(user=user, entreprise=organisations[nom])
    return organisations, ecoles


def seed_population(ecoles, today):
    rng = random.Random(RANDOM_SEED)
    fake = Faker("fr_FR")
    fake.seed_instance(RANDOM_SEED)
    # A draw of its own, so that the rest of the population stays the same.
    sans_courriel = random.Random(RANDOM_SEED + 1)
    equipe = User.objects.get(username="equipe")

    def new_candidat(statut, ecole):
        prenom, nom = fake.first_name(), fake.last_name()
        added = today - datetime.timedelta(days=rng.randint(30, 500))
        # Some people give only a phone number: their surveys are made by phone.
        email = f"{prenom}.{nom}@example.org".lower().replace(" ", "")
        return Candidat.objects.create(
            nom=nom,
            prenom=prenom,
            date_naissance=fake.date_of_birth(minimum_age=18, maximum_age=55),
            email="" if sans_courriel.random() < 0.12 else email,
            telephone=fake.phone_number(),
            commune=ecole.ville,
            code_postal=fake.postcode(),
            identifiant_france_travail=f"{rng.randint(1000000, 9999999)}{rng.choice('ABCDEFGHJK')}",
            canal=rng.choice(CanalSourcing.values),
            ecole_visee=ecole,
            statut=statut,
            notes=rng.choice(["", "Motivé·e, a fait une immersion.", "Permis B, véhiculé·e."]),
            date_consentement=added,
            date_dernier_contact=today - datetime.timedelta(days=rng.randint(0, 120)),
            cree_le=datetime.datetime.combine(added, datetime.time(9), tzinfo=datetime.UTC),
        )

    cohortes = []
    for index, (ecole, parcours) in enumerate(ecoles):
        # Béthune's first line-operation school started early 2025 (see the article).
        passee_debut = datetime.date(2025, 1, 13) if ecole.ville == "Béthune" else None
        starts = [
            passee_debut or first_of_month(add_months(today, -12 - index)),
            first_of_month(add_months(today, -2 - index % 2)),
            first_of_month(add_months(today, 2)),
        ]
        for debut in starts:
            cohorte = Cohorte.objects.filter(parcours=parcours, date_debut=debut).first()
            if cohorte is None:
                cohorte = creer_cohorte(
                    parcours=parcours,
                    nom=f"{ecole.ville} {parcours.nom} — {debut:%m/%Y}",
                    date_debut=debut,
                    places=12,
                    **reglages_de_cohorte(ecole.ville),
                )
            cohortes.append(cohorte)

    for cohorte in cohortes:
        ecole = cohorte.parcours.ecole
        membres = list(ecole.entreprises_adherentes.all())
        # The article's Béthune track sends every trainee to Ampere for the internship.
        if ecole.ville == "Béthune":
            membres = [m for m in membres if m.nom == "Ampere"]
        stages = [phase for phase in cohorte.phases.all() if phase.est_stage]
        size = rng.randint(6, 10) if cohorte.date_debut <= today else rng.randint(3, 6)
        for _ in range(size):
            candidat = new_candidat(Candidat.Statut.RETENU, ecole)
            inscription = inscrire(
                candidat=candidat,
                cohorte=cohorte,
                date_entree=cohorte.date_debut,
                entreprises_de_stage={phase: rng.choice(membres) for phase in stages},
                auteur=equipe,
                today=cohorte.date_debut,
            )
            seed_parcours_of(inscription, cohorte, today, rng, equipe)

    remaining = 150 - Candidat.objects.count()
    statuts = [
        Candidat.Statut.A_CONTACTER,
        Candidat.Statut.PRESELECTIONNE,
        Candidat.Statut.PRESELECTIONNE,
        Candidat.Statut.NON_RETENU,
    ]
    for number in range(max(remaining, 0)):
        new_candidat(statuts[number % len(statuts)], ecoles[number % len(ecoles)][0])
    seed_enquetes(today, equipe)


def seed_enquetes(today, equipe):
    """Answers to the surveys the exits have sent (docs/domaine.md, « Après la sortie »).

    Most of those asked at 6 months by e-mail answer by their link, the others wait for
    their answer. Of the people without an e-mail address, on the call list, one in four
    is reached on the phone and one in four is unreachable; the others stay on the list.
    """
    rng = random.Random(RANDOM_SEED + 2)
    dues = (
        Enquete.objects.ouvertes(today)
        .filter(date_prevue__lte=today)
        .select_related("sortie__inscription__candidat")
        .order_by("pk")
    )
    par_telephone = 0
    for enquete in dues:
        if enquete.sortie.inscription.candidat.email:
            if enquete.vague_mois == 6 and rng.random() < 0.6:
                enregistrer_reponse(
                    enquete=enquete,
                    source=SituationApresSortie.Source.ENQUETE,
                    **reponse_a_6_mois(enquete.sortie, rng),
                )
            continue
        if par_telephone % 4 == 0:
            enregistrer_reponse(
                enquete=enquete,
                source=SituationApresSortie.Source.TELEPHONE,
                saisie_par=equipe,
                **reponse_a_6_mois(enquete.sortie, rng),
            )
        elif par_telephone % 4 == 1:
            declarer_injoignable(enquete=enquete, auteur=equipe)
        par_telephone += 1


def reponse_a_6_mois(sortie, rng):
    """Where a former trainee is some months after the exit: mostly where they left to."""
    reponse = {
        "satisfaction": rng.choice([5, 5, 4, 4, 4, 3, 2]),
        "commentaire": rng.choice(
            ["", "", "Formation très concrète, merci à l'équipe.", "Le stage m'a ouvert la porte."]
        ),
    }
    durables = {Situation.CDI, Situation.CDD_LONG}
    if sortie.situation in durables and rng.random() < 0.85:
        return reponse | {
            "situation": sortie.situation,
            "date_debut_contrat": sortie.date_debut_contrat,
            "date_fin_contrat": sortie.date_fin_contrat,
        }
    if sortie.situation == Situation.RECHERCHE_EMPLOI and rng.random() < 0.5:
        return reponse | {"situation": Situation.RECHERCHE_EMPLOI}
    debut = sortie.date_sortie + datetime.timedelta(days=rng.randint(20, 90))
    if rng.random() < 0.5:
        return reponse | {"situation": Situation.CDI, "date_debut_contrat": debut}
    return reponse | {
        "situation": Situation.INTERIM,
        "date_debut_contrat": debut,
        "date_fin_contrat": add_months(debut, 3),
    }


def seed_parcours_of(inscription, cohorte, today, rng, auteur):
    """Monthly check-ins up to today, then an exit for the cohorts that have ended."""
    abandon = rng.random() < 0.08
    fin = cohorte.date_fin
    if abandon:
        fin = cohorte.date_debut + (cohorte.date_fin - cohorte.date_debut) * rng.randint(2, 7) // 10
    last_month_done = first_of_month(add_months(today, -1))
    for mois in months_between(cohorte.date_debut, min(fin, today)):
        skipped = mois >= last_month_done and rng.random() < 0.3
        if mois > last_month_done or skipped:
            continue
        Suivi.objects.create(
            inscription=inscription,
            mois=mois,
            date_entretien=min(mois + datetime.timedelta(days=rng.randint(14, 25)), today),
            auteur=auteur,
            participants="Formateur référent, tuteur entreprise",
            assiduite=rng.choice([Niveau.BON] * 4 + [Niveau.MOYEN, Niveau.INSUFFISANT]),
            progression=rng.choice([Niveau.BON] * 3 + [Niveau.MOYEN, Niveau.INSUFFISANT]),
            risque_decrochage=Risque.ELEVE
            if abandon
            else rng.choice([Risque.FAIBLE] * 4 + [Risque.MOYEN]),
            commentaire="Point mensuel avec l'équipe pédagogique.",
            actions="Poursuivre le parcours." if not abandon else "Entretien de remobilisation.",
        )
    if fin >= today:
        return
    if abandon:
        enregistrer_sortie(
            inscription=inscription,
            date_sortie=fin,
            motif=Sortie.Motif.ABANDON,
            situation=Situation.RECHERCHE_EMPLOI,
        )
        return
    employeur = rng.choice(list(cohorte.parcours.ecole.entreprises_adherentes.all()))
    debut_contrat = fin + datetime.timedelta(days=3)
    draw = rng.random()
    if draw < 0.6:
        situation, fin_contrat = Situation.CDI, None
    elif draw < 0.9:
        situation, fin_contrat = (
            Situation.CDD_LONG,
            add_months(debut_contrat, rng.choice([6, 9, 12])),
        )
    elif draw < 0.95:
        situation, fin_contrat = Situation.CDD, add_months(debut_contrat, 3)
    else:
        situation, fin_contrat = Situation.FORMATION_QUALIFIANTE, None
    avec_contrat = situation != Situation.FORMATION_QUALIFIANTE
    enregistrer_sortie(
        inscription=inscription,
        date_sortie=fin,
        motif=Sortie.Motif.FIN_PARCOURS,
        situation=situation,
        employeur="Alliance Emploi" if avec_contrat else "",
        entreprise_utilisatrice=employeur if avec_contrat else None,
        date_debut_contrat=debut_contrat if avec_contrat else None,
        date_fin_contrat=fin_contrat,
    )


@transaction.atomic
def seed(today):
    """Load the demo data; returns a summary of what the database now holds."""
    _, ecoles = seed_reference()
    population_created = not Candidat.objects.exists()
    if population_created:
        seed_population(ecoles, today)
        seed_fonctionnement(today)
        seed_evenements(today)
        # The candidates and check-ins are written around the services: the indicators
        # count them here, and the missing check-ins are listed.
        agregats.reconstruire()
        echeances.reconstruire_manquants()
    seed_besoins(today)
    for contact_nom, entreprise_nom, fonction in [
        ("Lempereur", "Trémois", "Généraliste RH"),
        ("Delmotte", "GRETA du Grand Hainaut", "Conseillère en formation continue"),
    ]:
        Contact.objects.get_or_create(
            nom=contact_nom,
            entreprise=Entreprise.objects.get(nom=entreprise_nom),
            defaults={"fonction": fonction},
        )
    return {
        "population_created": population_created,
        "organisations": Entreprise.objects.count(),
        "ecoles": Ecole.objects.count(),
        "cohortes": Cohorte.objects.count(),
        "candidats": Candidat.objects.count(),
        "inscriptions": Inscription.objects.count(),
        "suivis": Suivi.objects.count(),
        "sorties": Sortie.objects.count(),
    }
