"""The iCalendar feed of a school: its cohorts' phases, its events and the check-in due dates.

What a feed holds is what its subscribers may share with anyone: cohort and phase names,
event titles, types and places, dates. Never a trainee, a candidate or a participant.

Entries of the last twelve months and the future: a calendar app keeps what it already
had of older ones. Each entry keeps the same UID from one reading to the next, so the
calendar app updates it in place; its SEQUENCE and LAST-MODIFIED come from
`services.versions_publiees`.
"""

import datetime
import hashlib
import urllib.parse
import zoneinfo
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evenements.models import Evenement
from parcours.dates import add_months, months_between, nom_du_mois
from parcours.models import Cohorte, PhaseCohorte, echeance_du_suivi
from portail.francais import de
from portail.liens import url_du_site

from . import services

HISTORIQUE_MOIS = 12
UN_JOUR = datetime.timedelta(days=1)


@dataclass
class Entree:
    """One entry of the feed, before it is written as a VEVENT."""

    uid: str
    resume: str
    debut: datetime.date | datetime.datetime
    # Exclusive, as iCalendar wants it: the day after the last day of an all-day entry.
    fin: datetime.date | datetime.datetime | None = None
    lieu: str = ""
    description: str = ""
    annulee: bool = False
    categorie: str = ""
    url: str = ""

    def empreinte(self):
        """A fingerprint of what the subscriber sees: it changes when the entry does."""
        contenu = repr(
            (
                self.resume,
                self.debut.isoformat(),
                self.fin.isoformat() if self.fin else "",
                self.lieu,
                self.description,
                self.annulee,
                self.categorie,
                self.url,
            )
        )
        return hashlib.sha256(contenu.encode()).hexdigest()


def domaine_des_uid():
    """The portal's host name: UIDs are unique to this portal."""
    return urllib.parse.urlsplit(url_du_site()).hostname or "portail-plan-marshall"


def debut_de_la_fenetre(day):
    return add_months(day, -HISTORIQUE_MOIS)


def entrees_des_phases(ecole, debut, site, domaine):
    """One all-day entry per phase of the school's cohorts not ended before `debut`."""
    phases = (
        PhaseCohorte.objects.filter(cohorte__parcours__ecole=ecole, date_fin__gte=debut)
        .select_related("cohorte")
        .order_by("date_debut", "cohorte_id", "ordre")
    )
    return [
        Entree(
            uid=f"cohorte-phase-{phase.pk}@{domaine}",
            resume=f"{phase.cohorte.nom} — {phase.intitule}",
            debut=phase.date_debut,
            fin=phase.date_fin + UN_JOUR,
            lieu=phase.cohorte.lieu if not phase.est_stage else "",
            description=(
                f"Cohorte {phase.cohorte.nom}, phase {phase.ordre} : {phase.get_type_display()}, "
                f"du {phase.date_debut:%d/%m/%Y} au {phase.date_fin:%d/%m/%Y}."
            ),
            categorie=phase.get_type_display(),
            url=site + reverse("parcours:cohorte", args=[phase.cohorte_id]),
        )
        for phase in phases
    ]


def entrees_des_suivis(ecole, debut, site, domaine):
    """For each cohort and calendar month it runs, the day from which a missing check-in of
    that month is overdue (`echeance_du_suivi`), when that day is on or after `debut`."""
    # A month's due date falls in the next month: a cohort ended the month before `debut`
    # may still have one in the window.
    cohortes = Cohorte.objects.filter(
        parcours__ecole=ecole, date_fin__gte=add_months(debut, -1).replace(day=1)
    ).order_by("date_debut", "pk")
    entrees = []
    for cohorte in cohortes:
        for mois in months_between(cohorte.date_debut, cohorte.date_fin):
            echeance = echeance_du_suivi(mois)
            if echeance < debut:
                continue
            entrees.append(
                Entree(
                    uid=f"suivi-{cohorte.pk}-{mois:%Y-%m}@{domaine}",
                    resume=f"Suivis {de(nom_du_mois(mois))} en retard — {cohorte.nom}",
                    debut=echeance,
                    fin=echeance + UN_JOUR,
                    description=(
                        f"Un mois de formation de la cohorte {cohorte.nom} sans suivi mensuel "
                        f"est en retard à partir du {echeance:%d/%m/%Y}."
                    ),
                    categorie="Suivi mensuel",
                    url=site + reverse("parcours:suivis_du_mois"),
                )
            )
    return entrees


def _moment(jour, heure, fuseau):
    return datetime.datetime.combine(jour, heure, tzinfo=fuseau)


def entrees_des_evenements(ecole, debut, domaine):
    """One entry per event of the school from `debut` on: timed when it has its hours."""
    fuseau = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    evenements = Evenement.objects.filter(ecoles=ecole, date__gte=debut).order_by("date", "pk")
    entrees = []
    for evenement in evenements:
        if evenement.heure_debut:
            debut_evenement = _moment(evenement.date, evenement.heure_debut, fuseau)
            fin = (
                _moment(evenement.date, evenement.heure_fin, fuseau)
                if evenement.heure_fin and evenement.heure_fin > evenement.heure_debut
                else None
            )
        else:
            debut_evenement, fin = evenement.date, evenement.date + UN_JOUR
        entrees.append(
            Entree(
                uid=f"evenement-{evenement.pk}@{domaine}",
                resume=f"{evenement.get_type_display()} — {evenement.titre}",
                debut=debut_evenement,
                fin=fin,
                lieu=evenement.lieu,
                description=f"{evenement.get_type_display()} : {evenement.titre}.",
                annulee=evenement.annule_le is not None,
                categorie=evenement.get_type_display(),
            )
        )
    return entrees


def entrees_du_flux(ecole, day):
    """Every entry of `ecole`'s feed on `day`: three queries, however many entries."""
    debut, site, domaine = debut_de_la_fenetre(day), url_du_site(), domaine_des_uid()
    return [
        *entrees_des_phases(ecole, debut, site, domaine),
        *entrees_des_evenements(ecole, debut, domaine),
        *entrees_des_suivis(ecole, debut, site, domaine),
    ]


def calendrier_de_l_ecole(ecole, maintenant):
    """The feed of `ecole` as iCalendar bytes, its entries' versions recorded.

    Without a METHOD, an entry's DTSTAMP is the date of its last revision: the same as its
    LAST-MODIFIED, so that an unchanged feed reads the same bytes again.
    """
    entrees = entrees_du_flux(ecole, timezone.localdate(maintenant))
    versions = services.versions_publiees(
        {entree.uid: entree.empreinte() for entree in entrees}, maintenant
    )
    calendrier = icalendar.Calendar()
    calendrier.add("prodid", "-//Alliance Emploi//Portail Plan Marshall//FR")
    calendrier.add("version", "2.0")
    calendrier.add("calscale", "GREGORIAN")
    calendrier.add("x-wr-calname", f"Portail Plan Marshall — {ecole}")
    calendrier.add("x-wr-timezone", settings.TIME_ZONE)
    calendrier.add(
        "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
    )
    calendrier.add("x-published-ttl", "PT1H")
    for entree in entrees:
        version = versions[entree.uid]
        evenement = icalendar.Event()
        evenement.add("uid", entree.uid)
        evenement.add("dtstamp", version.modifiee_le)
        evenement.add("last-modified", version.modifiee_le)
        evenement.add("sequence", version.sequence)
        evenement.add("summary", entree.resume)
        evenement.add("dtstart", entree.debut)
        if entree.fin:
            evenement.add("dtend", entree.fin)
        if entree.lieu:
            evenement.add("location", entree.lieu)
        if entree.description:
            evenement.add("description", entree.description)
        if entree.categorie:
            evenement.add("categories", [entree.categorie])
        if entree.url:
            evenement.add("url", entree.url)
        evenement.add("status", "CANCELLED" if entree.annulee else "CONFIRMED")
        evenement.add("transp", "TRANSPARENT")
        calendrier.add_component(evenement)
    calendrier.add_missing_timezones()
    return calendrier.to_ical()
