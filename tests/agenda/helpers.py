import datetime
import secrets

import icalendar
from django.urls import reverse

from agenda import services
from evenements.models import Evenement, TypeEvenement


def nouveau_calendrier(ecole, user=None, libelle="Agenda de l'équipe", jeton_creation=None):
    """A feed of `ecole` made by the service, and the path of its address."""
    calendrier, jeton = services.creer_calendrier(
        ecole=ecole,
        libelle=libelle,
        cree_par=user,
        jeton_creation=jeton_creation or secrets.token_hex(16),
    )
    return calendrier, reverse("agenda:flux", kwargs={"jeton": jeton})


def jeton_du_chemin(chemin):
    """The clear token in a feed's path."""
    return chemin.removeprefix("/agenda/").removesuffix(".ics")


def evenement(ecole, **champs):
    valeurs = {
        "type": TypeEvenement.JOB_DATING,
        "titre": "Job dating maintenance",
        "date": datetime.date(2026, 3, 12),
        "heure_debut": datetime.time(9, 30),
        "heure_fin": datetime.time(12, 0),
        "lieu": "Salle des fêtes de Cambrai",
        "organisateur": "Alliance Emploi",
        "capacite": 30,
    } | champs
    created = Evenement.objects.create(**valeurs)
    created.ecoles.add(ecole)
    return created


def lire(response):
    """The VEVENTs of a feed, by UID."""
    calendrier = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendrier.walk("VEVENT")}
