"""The demo cohorts in operation: funding schemes, tutors, attendance, a few documents.

Written through the services like the rest of the demo: cohorts' settings go to
`creer_cohorte`, tutors to `enregistrer_contact` and `definir_stages`, attendance to
`enregistrer_presences` a week at a time (as the grid saves it), documents to
`documents.services`. The draws have their own random seed, so that the population of
`demo.seed` stays the same.
"""

import datetime
import random
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.utils.text import slugify
from faker import Faker

from comptes.models import User
from documents import services as documents
from entreprises.models import Contact, Entreprise
from entreprises.services import enregistrer_contact
from parcours.models import Cohorte, Dispositif, Inscription, Sortie, TypePhase
from parcours.services import Convention, definir_stages
from presences.models import Creneau, Moment, StatutPresence
from presences.services import Saisie, en_formation_le, enregistrer_presences, lundi_de

RANDOM_SEED = 2028
REGION, FRANCE_TRAVAIL, OPCO = "Région Hauts-de-France", "France Travail", "OPCO 2i"
# (scheme, funder, co-financed by the FSE+) of each school's cohorts. Dunkerque's POEC
# runs longer than a POEC's 400 hours: its cohort pages show the scheme's warning.
FINANCEMENTS = {
    "Cambrai": (Dispositif.Code.PRF, REGION, True),
    "Maubeuge": (Dispositif.Code.CONTRAT_PRO, OPCO, False),
    "Béthune": (Dispositif.Code.PRF, REGION, True),
    "Lille": (Dispositif.Code.CONTRAT_PRO, OPCO, False),
    "Dunkerque": (Dispositif.Code.POEC, f"{FRANCE_TRAVAIL} et {OPCO}", False),
    "Douai": (Dispositif.Code.POEI, FRANCE_TRAVAIL, False),
}
FORMATEURS = {
    "Cambrai": "Karim Vasseur",
    "Maubeuge": "Hélène Carpentier",
    "Béthune": "Olivier Descamps",
    "Lille": "Sandrine Leroy",
    "Dunkerque": "Thomas Bouchez",
    "Douai": "Nadia Martel",
}
ACTIVITES = [
    "Observation puis conduite accompagnée d'une ligne de production.",
    "Maintenance préventive de premier niveau, relevés et compte rendu au tuteur.",
    "Réglages, contrôles qualité et participation aux réunions d'équipe.",
    "Participation aux interventions de dépannage avec l'équipe de maintenance.",
]
MOTIFS_JUSTIFIES = ["Rendez-vous médical", "Enfant malade", "Démarche France Travail"]
SEMAINES_SAISIES = 2
RETARDS_EN_MINUTES = [5, 10, 10, 15, 15, 20, 30, 45]


# The schemes the migrations seed; a database flushed since (a transactional test) has
# lost them, and the demo puts them back.
DISPOSITIFS = {
    valeurs["code"]: valeurs
    for valeurs in import_module("parcours.migrations.0006_dispositifs_initiaux").DISPOSITIFS
}


def dispositif(code):
    valeurs = {k: v for k, v in DISPOSITIFS[code].items() if k != "code"}
    return Dispositif.objects.get_or_create(code=code, defaults=valeurs)[0]


def reglages_de_cohorte(ville):
    """The settings `creer_cohorte` gives a demo cohort of the school of `ville`."""
    code, financeur, fse = FINANCEMENTS[ville]
    return {
        "dispositif": dispositif(code),
        "financeur": financeur,
        "cofinancee_fse": fse,
        "lieu": f"Plateau technique de {ville}",
        "formateur": FORMATEURS[ville],
    }


def seed_fonctionnement(today):
    """Tutors, attendance up to `today`'s morning and a few documents; once, after the
    population of `demo.seed`."""
    rng = random.Random(RANDOM_SEED)
    equipe = User.objects.get(username="equipe")
    seed_tuteurs(rng)
    seed_presences(rng, today, equipe)
    seed_documents(today, equipe)


def seed_tuteurs(rng):
    """Two tutors in each host company, one of them on each internship."""
    fake = Faker("fr_FR")
    fake.seed_instance(RANDOM_SEED)
    tuteurs = {}
    for entreprise in Entreprise.objects.filter(stages__isnull=False).distinct().order_by("pk"):
        for fonction, prenom in [
            ("Tuteur, technicien de maintenance", fake.first_name_male()),
            ("Tutrice, cheffe d'équipe", fake.first_name_female()),
        ]:
            nom = fake.last_name()
            contact = enregistrer_contact(
                Contact(
                    entreprise=entreprise,
                    nom=nom,
                    prenom=prenom,
                    fonction=fonction,
                    email=f"{slugify(prenom)}.{slugify(nom)}@example.com",
                )
            )
            tuteurs.setdefault(entreprise.pk, []).append(contact)
    inscriptions = (
        Inscription.objects.filter(stages__isnull=False)
        .distinct()
        .select_related("sortie", "cohorte")
        .prefetch_related("stages__phase", "stages__entreprise")
        .order_by("pk")
    )
    for inscription in inscriptions:
        # An internship that a dropout never reached keeps its host but no agreement.
        stages = [
            stage
            for stage in inscription.stages.all()
            if stage.phase.date_debut <= inscription.fin_de_formation()
        ]
        definir_stages(
            inscription=inscription,
            entreprises_de_stage={stage.phase: stage.entreprise for stage in stages},
            conventions={
                stage.phase: Convention(
                    tuteur=rng.choice(tuteurs[stage.entreprise_id]),
                    heures_hebdomadaires=Decimal(rng.choice([35, 35, 35, 39])),
                    activites=rng.choice(ACTIVITES),
                )
                for stage in stages
            },
        )


def partenaires_par_entreprise():
    """The first partner account of each organisation, who enters what it may enter."""
    partenaires = {}
    for user in User.objects.filter(role=User.Role.PARTENAIRE, is_active=True).order_by("pk"):
        for appartenance in user.appartenances.filter(active=True):
            partenaires.setdefault(appartenance.entreprise_id, user)
    return partenaires


def cohortes_saisies(today):
    """(cohort, first day entered): Béthune's first cohort from its start, so that its
    certificate counts real hours, and the last weeks of every running cohort.

    Each attendance goes through the grid's service with its history, row by row: a whole
    calendar for every cohort would make seeding last minutes.
    """
    cohortes = (
        Cohorte.objects.filter(date_debut__lte=today)
        .select_related("parcours__ecole")
        .prefetch_related("parcours__ecole__organismes_formation")
        .order_by("date_debut", "pk")
    )
    debut_recent = lundi_de(today) - datetime.timedelta(weeks=SEMAINES_SAISIES - 1)
    bethune = None
    saisies = []
    for cohorte in cohortes:
        if bethune is None and cohorte.parcours.ecole.ville == "Béthune":
            bethune = cohorte
            saisies.append((cohorte, cohorte.date_debut))
        elif cohorte.date_fin >= today:
            saisies.append((cohorte, max(debut_recent, cohorte.date_debut)))
    return saisies


def seed_presences(rng, today, equipe):
    """Attendance up to `today`'s morning (`cohortes_saisies`).

    Mostly present; some lateness; a few justified absences of a whole day, rare
    unjustified ones, more of them for those who drop out. The training organisation's
    account enters theory, a host company's account its own trainees' internship days,
    staff the rest. One trainee of a running cohort misses half-days this month, more than
    the home page tolerates.
    """
    partenaires = partenaires_par_entreprise()
    signale = None
    for cohorte, debut in cohortes_saisies(today):
        inscriptions = list(
            cohorte.inscriptions.select_related("candidat", "sortie", "cohorte")
            .prefetch_related("stages__phase")
            .order_by("pk")
        )
        if signale is None and cohorte.date_fin >= today:
            signale = next(
                (i for i in inscriptions if i.sortie_enregistree is None and i.date_entree < today),
                None,
            )
        organisme = next(
            (
                partenaires[organisme.pk]
                for organisme in cohorte.parcours.ecole.organismes_formation.all()
                if organisme.pk in partenaires
            ),
            equipe,
        )
        creneaux = [
            creneau
            for creneau in Creneau.objects.filter(
                cohorte=cohorte, date__range=(debut, today)
            ).order_by("date", "pk")
            if creneau.date < today or creneau.moment == Moment.MATIN
        ]
        semaines = {}
        for creneau in creneaux:
            semaines.setdefault(lundi_de(creneau.date), []).append(creneau)
        absences = {
            inscription.pk: absences_de(rng, inscription, creneaux, today, inscription == signale)
            for inscription in inscriptions
        }
        for semaine in semaines.values():
            par_auteur = {}
            for creneau in semaine:
                for inscription in inscriptions:
                    if not en_formation_le(inscription, creneau.date):
                        continue
                    auteur = auteur_de(creneau, inscription, organisme, partenaires, equipe)
                    saisie = saisie_de(rng, creneau, inscription, absences[inscription.pk])
                    par_auteur.setdefault(auteur, []).append(saisie)
            for auteur, saisies in par_auteur.items():
                enregistrer_presences(cohorte=cohorte, saisies=saisies, par=auteur)


def absences_de(rng, inscription, creneaux, today, signale):
    """{day: (status, reason)} of the days `inscription` misses; the flagged trainee's
    unjustified half-days of this month are keyed by half-day."""
    abandon = getattr(inscription.sortie_enregistree, "motif", None) == Sortie.Motif.ABANDON
    non_justifiees = 0.06 if abandon else 0.005
    jours = sorted({creneau.date for creneau in creneaux})
    absences = {}
    for jour in jours:
        tirage = rng.random()
        if tirage < 0.025:
            absences[jour] = (StatutPresence.ABSENT_JUSTIFIE, rng.choice(MOTIFS_JUSTIFIES))
        elif tirage < 0.025 + non_justifiees:
            absences[jour] = (StatutPresence.ABSENT_NON_JUSTIFIE, "")
    if signale:
        du_mois = [
            creneau
            for creneau in creneaux
            if creneau.date >= today.replace(day=1) and en_formation_le(inscription, creneau.date)
        ]
        voulues = settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE + 1
        # Spread over the month so far; early in a month there may be fewer half-days.
        pas = max(len(du_mois) // voulues, 1)
        for creneau in du_mois[::-1][::pas][:voulues]:
            absences[(creneau.date, creneau.moment)] = (StatutPresence.ABSENT_NON_JUSTIFIE, "")
    return absences


def auteur_de(creneau, inscription, organisme, partenaires, equipe):
    if creneau.type == TypePhase.THEORIE:
        return organisme
    for stage in inscription.stages.all():
        if stage.phase.date_debut <= creneau.date <= stage.phase.date_fin:
            return partenaires.get(stage.entreprise_id, equipe)
    return equipe


def saisie_de(rng, creneau, inscription, absences):
    absence = absences.get((creneau.date, creneau.moment)) or absences.get(creneau.date)
    if absence:
        statut, motif = absence
        return Saisie(inscription.pk, creneau.pk, statut, motif=motif)
    if rng.random() < 0.04:
        minutes = rng.choice(RETARDS_EN_MINUTES)
        return Saisie(inscription.pk, creneau.pk, StatutPresence.RETARD, minutes_retard=minutes)
    return Saisie(inscription.pk, creneau.pk, StatutPresence.PRESENT)


def seed_documents(today, equipe):
    """Béthune's first cohort: its first weekly sheet, an Ampere internship agreement and
    a trainee's certificate."""
    cohorte = (
        Cohorte.objects.filter(parcours__ecole__ville="Béthune", date_debut__lte=today)
        .order_by("date_debut")
        .first()
    )
    if cohorte is None:
        return
    documents.generer_feuille_emargement(
        cohorte=cohorte, lundi=lundi_de(cohorte.date_debut), auteur=equipe
    )
    inscription = cohorte.inscriptions.filter(stages__tuteur__isnull=False).order_by("pk").first()
    if inscription is None:
        return
    documents.generer_convention(stage=inscription.stages.order_by("pk").first(), auteur=equipe)
    documents.generer_certificat(inscription=inscription, auteur=equipe)
