"""A year of events and company immersions, consistent with the candidates' channels.

Candidates whose channel is "événement ou immersion" came through an event of their
school: it becomes their source event, where they were present. Everything is written
through `evenements.services`, once, after the population of `demo.seed`.
"""

import datetime
import random

from candidats.models import CanalSourcing, Candidat
from ecoles.models import Ecole
from evenements import services
from evenements.models import (
    Evenement,
    Immersion,
    Participation,
    ResultatImmersion,
    StatutParticipation,
    TypeEvenement,
)

RANDOM_SEED = 2025
TITRES = {
    TypeEvenement.INFORMATION: "Réunion d'information — {ecole}",
    TypeEvenement.JOB_DATING: "Job dating {entreprise}",
    TypeEvenement.FORUM: "Forum de l'industrie de {ville}",
    TypeEvenement.VISITE: "Visite du site {entreprise}",
    TypeEvenement.IMMERSION: "Immersion collective chez {entreprise}",
}
LIEUX = {
    TypeEvenement.INFORMATION: "Agence France Travail de {ville}",
    TypeEvenement.FORUM: "Salle des fêtes de {ville}",
}
# One type per month, in turn: information sessions come back every quarter.
ROTATION = [
    TypeEvenement.INFORMATION,
    TypeEvenement.JOB_DATING,
    TypeEvenement.VISITE,
    TypeEvenement.INFORMATION,
    TypeEvenement.FORUM,
    TypeEvenement.IMMERSION,
]
PRESCRIPTEURS = ["France Travail", "Mission locale", "Cap emploi"]


def seed_evenements(today):
    """Events of the last twelve months and the next two; returns how many were made."""
    if Evenement.objects.exists():
        return 0
    rng = random.Random(RANDOM_SEED)
    par_ecole = {}
    for numero_ecole, ecole in enumerate(
        Ecole.objects.prefetch_related("entreprises_adherentes").order_by("pk")
    ):
        membres = list(ecole.entreprises_adherentes.all())
        par_ecole[ecole.pk] = []
        for mois in range(-12, 3):
            type_ = ROTATION[(mois + numero_ecole) % len(ROTATION)]
            entreprise = rng.choice(membres) if membres else None
            hote = type_ in (
                TypeEvenement.JOB_DATING,
                TypeEvenement.VISITE,
                TypeEvenement.IMMERSION,
            )
            textes = {
                "ecole": ecole.nom,
                "ville": ecole.ville,
                "entreprise": entreprise.nom if entreprise else ecole.ville,
            }
            jour = today + datetime.timedelta(days=30 * mois + rng.randint(-10, 10))
            matin = rng.random() < 0.6
            evenement = services.creer_evenement(
                evenement=Evenement(
                    type=type_,
                    titre=TITRES[type_].format(**textes),
                    date=jour,
                    heure_debut=datetime.time(9, 30) if matin else datetime.time(14),
                    heure_fin=datetime.time(12) if matin else datetime.time(17),
                    lieu=LIEUX.get(type_, "Site {entreprise}").format(**textes),
                    organisateur="Alliance Emploi" if not hote else textes["entreprise"],
                    capacite=rng.choice([15, 20, 25, 30, 40]),
                ),
                ecoles=[ecole],
                entreprises_hotes=[entreprise] if hote and entreprise else [],
            )
            par_ecole[ecole.pk].append(evenement)
    seed_participants(rng, today, par_ecole)
    seed_immersions(rng, today)
    return Evenement.objects.count()


def _place_libre(evenement):
    return evenement.places_occupees() < evenement.capacite


def seed_participants(rng, today, par_ecole):
    venus = Candidat.objects.filter(canal=CanalSourcing.EVENEMENT, ecole_visee__isnull=False)
    for candidat in venus.order_by("pk"):
        arrivee = candidat.cree_le.date()
        passes = [
            e
            for e in par_ecole.get(candidat.ecole_visee_id, [])
            if e.date <= max(arrivee, today) and _place_libre(e)
        ]
        if not passes:
            continue
        source = min(passes, key=lambda evenement: abs((evenement.date - arrivee).days))
        services.inscrire_participant(
            evenement=source, candidat=candidat, statut=StatutParticipation.PRESENT
        )
        # The candidate was on file before the demo had events: the source is set after.
        Candidat.objects.filter(pk=candidat.pk).update(evenement_source=source)
    autres = list(
        Candidat.objects.exclude(canal=CanalSourcing.EVENEMENT)
        .filter(ecole_visee__isnull=False, anonymise_le__isnull=True)
        .order_by("pk")
    )
    for candidat in rng.sample(autres, min(len(autres), len(autres) // 4)):
        evenement = rng.choice(par_ecole.get(candidat.ecole_visee_id) or [None])
        if evenement is None or not _place_libre(evenement):
            continue
        if Participation.objects.filter(evenement=evenement, candidat=candidat).exists():
            continue
        if evenement.date > today:
            statut = StatutParticipation.INSCRIT
        else:
            statut = rng.choices(
                [
                    StatutParticipation.PRESENT,
                    StatutParticipation.EXCUSE,
                    StatutParticipation.ABSENT,
                ],
                weights=[7, 2, 1],
            )[0]
        services.inscrire_participant(evenement=evenement, candidat=candidat, statut=statut)


def seed_immersions(rng, today):
    candidats = list(
        Candidat.objects.filter(canal=CanalSourcing.EVENEMENT, ecole_visee__isnull=False)
        .prefetch_related("ecole_visee__entreprises_adherentes")
        .order_by("pk")
    )
    for numero, candidat in enumerate(candidats):
        membres = list(candidat.ecole_visee.entreprises_adherentes.all())
        if not membres or rng.random() < 0.3:
            continue
        debut = today - datetime.timedelta(days=rng.randint(0, 330))
        # A few agreements run longer than the month a PMSMP normally lasts.
        fin = debut + datetime.timedelta(days=rng.choice([4, 9, 13, 13, 20, 40]))
        resultat = (
            ResultatImmersion.EN_COURS
            if fin >= today
            else rng.choices(
                [
                    ResultatImmersion.CONCLUANTE,
                    ResultatImmersion.NON_CONCLUANTE,
                    ResultatImmersion.INTERROMPUE,
                ],
                weights=[6, 3, 1],
            )[0]
        )
        immersion = services.enregistrer_immersion(
            immersion=Immersion(
                candidat=candidat,
                entreprise=rng.choice(membres),
                date_debut=debut,
                date_fin=fin,
                prescripteur=rng.choice(PRESCRIPTEURS),
                reference_convention=f"PMSMP-{debut:%Y}-{numero + 1:04d}",
                resultat=resultat,
            )
        )
        if immersion.est_concluante and candidat.statut == Candidat.Statut.A_CONTACTER:
            services.preselectionner(immersion=immersion)
