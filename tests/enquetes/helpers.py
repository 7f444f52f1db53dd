"""Exits with their surveys, and the links the e-mails carried."""

import datetime
import re

from django.utils import timezone

from enquetes.models import ENVOI
from messagerie.models import Message
from tests.factories import CohorteFactory, InscriptionFactory, SortieFactory

# A cohort of May 2025 (the Béthune track: 21 weeks), left on 31 August 2025: its 6-month
# survey was due on 28 February 2026, long past when the exit is recorded late.
DEBUT_MAI_2025 = datetime.date(2025, 5, 5)
FIN_AOUT_2025 = datetime.date(2025, 8, 31)


def lien(enquete, nature=ENVOI):
    """The path of the link in one of the survey's e-mails, as the outbox holds it."""
    texte = Message.objects.get(cle=enquete.cle_du_message(nature)).texte
    return re.search(r"https://testserver(/enquete/[\w-]+/)", texte).group(1)


def sortie_du_jour(**champs):
    """An exit recorded today from a running cohort: its survey at exit leaves at once."""
    champs.setdefault("inscription", InscriptionFactory(**_candidat(champs)))
    champs.setdefault("date_sortie", timezone.localdate())
    return SortieFactory(**champs)


def sortie_tardive(**champs):
    """The exit of 31 August 2025 recorded today: its 6-month survey leaves at once."""
    cohorte = CohorteFactory(date_debut=DEBUT_MAI_2025, places=60)
    champs.setdefault("inscription", InscriptionFactory(cohorte=cohorte, **_candidat(champs)))
    champs.setdefault("date_sortie", FIN_AOUT_2025)
    return SortieFactory(**champs)


def _candidat(champs):
    return {name: champs.pop(name) for name in list(champs) if name.startswith("candidat__")}


def enquete_envoyee():
    """The survey at exit of a new exit, sent today, with the link its e-mail carried."""
    enquete = sortie_du_jour().enquetes.get(vague_mois=0)
    return enquete, lien(enquete)


def jeton(chemin):
    """The token of a link's path ("/enquete/<jeton>/")."""
    return chemin.strip("/").rsplit("/", 1)[-1]
