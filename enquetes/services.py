"""Scheduling, sending and answering the follow-up surveys (docs/domaine.md, « Après la
sortie »).

Every e-mail goes through the outbox (`messagerie`) with a key per survey and per send
("enquete-42-envoi", "-relance-1", "-relance-2"), after its date is recorded on the survey
under a row lock: a job run twice, or by two workers, sends once.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from messagerie.services import mettre_en_file
from parcours.dates import add_months
from portail.liens import url_du_site

from .models import (
    CHAMPS_DES_ENVOIS,
    ENVOI,
    RELANCE_1,
    RELANCE_2,
    Enquete,
    JetonEnquete,
    SituationApresSortie,
    empreinte_du_jeton,
    reponse_filter,
)


def vagues():
    return sorted(set(settings.PORTAIL_ENQUETES_VAGUES_MOIS))


# Scheduling


@transaction.atomic
def planifier_enquetes(sortie, maintenant=None):
    """Schedule the survey waves of a recorded (or corrected) exit, and send those due.

    A correction moves the waves not sent yet to the new date. A wave already due (an
    exit recorded late) leaves at once. A person who asked for no more surveys gets none.
    """
    maintenant = maintenant or timezone.now()
    day = timezone.localdate(maintenant)
    candidat_id = sortie.inscription.candidat_id
    refus = (
        Enquete.objects.filter(
            sortie__inscription__candidat_id=candidat_id, refusee_le__isnull=False
        )
        .values_list("refusee_le", flat=True)
        .first()
    )
    existantes = {enquete.vague_mois: enquete for enquete in sortie.enquetes.all()}
    for vague_mois in vagues():
        date_prevue = add_months(sortie.date_sortie, vague_mois)
        enquete = existantes.get(vague_mois)
        if enquete is None:
            Enquete.objects.create(
                sortie=sortie, vague_mois=vague_mois, date_prevue=date_prevue, refusee_le=refus
            )
        elif enquete.envoyee_le is None and enquete.date_prevue != date_prevue:
            enquete.date_prevue = date_prevue
            enquete.save(update_fields=["date_prevue"])
    for enquete_id in (
        Enquete.objects.a_envoyer(day).filter(sortie=sortie).values_list("pk", flat=True)
    ):
        _envoyer(enquete_id, ENVOI, maintenant)


def annonce_des_enquetes(sortie, day=None):
    """What the exit page tells of the surveys: "L'enquête à 6 mois part aujourd'hui ;
    l'enquête à 12 mois partira le 28/08/2027." (empty when there is nothing to say)."""
    day = day or timezone.localdate()
    ouvertes = set(Enquete.objects.ouvertes(day).filter(sortie=sortie).values_list("pk", flat=True))
    sans_courriel = not sortie.inscription.candidat.email
    phrases = []
    for enquete in sortie.enquetes.order_by("vague_mois"):
        if enquete.pk not in ouvertes:
            continue
        if enquete.envoyee_le and timezone.localdate(enquete.envoyee_le) == day:
            phrases.append(f"l'enquête {enquete.libelle} part aujourd'hui")
        elif enquete.envoyee_le is None and enquete.date_prevue <= day and sans_courriel:
            phrases.append(
                f"sans adresse de courriel, l'enquête {enquete.libelle} "
                "est sur la liste « À appeler »"
            )
        elif enquete.date_prevue > day:
            verbe = "sera à faire par téléphone" if sans_courriel else "partira"
            phrases.append(f"l'enquête {enquete.libelle} {verbe} le {enquete.date_prevue:%d/%m/%Y}")
    if not phrases:
        return ""
    texte = " ; ".join(phrases)
    return f"{texte[0].upper()}{texte[1:]}."


# Sending


def envoyer_enquetes(maintenant=None):
    """Send the surveys due and the reminders due; how many of each, and the call list."""
    maintenant = maintenant or timezone.now()
    day = timezone.localdate(maintenant)
    resume = {}
    # The first sends, then the reminders: a reminder never leaves the day of the e-mail
    # before it.
    for nature in (ENVOI, RELANCE_1, RELANCE_2):
        ids = list(_a_faire(nature, day).order_by("pk").values_list("pk", flat=True))
        resume[nature] = sum(_envoyer(enquete_id, nature, maintenant) for enquete_id in ids)
    resume["a_appeler"] = Enquete.objects.a_appeler(day).count()
    return resume


def _a_faire(nature, day):
    if nature == ENVOI:
        return Enquete.objects.a_envoyer(day)
    return Enquete.objects.a_relancer(nature, day)


@transaction.atomic
def _envoyer(enquete_id, nature, maintenant):
    """Send e-mail `nature` of a survey if it is still due; whether it was sent.

    The survey is locked and read again: of two runs at once, the second finds the date
    recorded and sends nothing.
    """
    day = timezone.localdate(maintenant)
    enquete = (
        _a_faire(nature, day)
        .select_for_update(of=("self",))
        .select_related("sortie__inscription__candidat", "sortie__inscription__cohorte__parcours")
        .filter(pk=enquete_id)
        .first()
    )
    if enquete is None:
        return False
    setattr(enquete, CHAMPS_DES_ENVOIS[nature], maintenant)
    enquete.save(update_fields=[CHAMPS_DES_ENVOIS[nature]])
    jeton = secrets.token_urlsafe(32)
    JetonEnquete.objects.create(
        enquete=enquete,
        empreinte=empreinte_du_jeton(jeton),
        cree_le=maintenant,
        expire_le=maintenant + datetime.timedelta(days=settings.PORTAIL_ENQUETES_VALIDITE_JOURS),
    )
    candidat = enquete.sortie.inscription.candidat
    contexte = {
        "prenom": candidat.prenom,
        "parcours": enquete.sortie.inscription.cohorte.parcours.nom,
        "vague_mois": enquete.vague_mois,
        "libelle": enquete.libelle,
        "relance": nature != ENVOI,
        "lien": f"{url_du_site()}{reverse('enquetes:repondre', kwargs={'jeton': jeton})}",
        "validite_jours": settings.PORTAIL_ENQUETES_VALIDITE_JOURS,
    }
    mettre_en_file(
        cle=enquete.cle_du_message(nature),
        destinataire=candidat.email,
        sujet=render_to_string("enquetes/courriel_sujet.txt", contexte).strip(),
        texte=render_to_string("enquetes/courriel.txt", contexte),
    )
    return True


# The secure link


def lien_du_jeton(jeton):
    """The `JetonEnquete` of a link's token, with its survey, or None for a made-up one."""
    return (
        JetonEnquete.objects.filter(empreinte=empreinte_du_jeton(jeton))
        .select_related("enquete__sortie__inscription__candidat")
        .select_related("enquete__sortie__inscription__cohorte__parcours")
        .first()
    )


def raison_de_fermeture(enquete, day=None):
    """None while `enquete` is open, else why it is closed: "repondue", "refusee" or
    "close" (unreachable, overtaken by a later wave, person anonymised)."""
    day = day or timezone.localdate()
    if Enquete.objects.ouvertes(day).filter(pk=enquete.pk).exists():
        return None
    if Enquete.objects.filter(reponse_filter(), pk=enquete.pk).exists():
        return "repondue"
    if enquete.refusee_le:
        return "refusee"
    return "close"


def _enquete_ouverte(enquete, day):
    """`enquete` locked, if it is open and due on `day`; else a ValidationError."""
    enquete = (
        Enquete.objects.ouvertes(day)
        .filter(date_prevue__lte=day)
        .select_for_update(of=("self",))
        .select_related("sortie")
        .filter(pk=enquete.pk)
        .first()
    )
    if enquete is None:
        raise ValidationError("Cette enquête est close : elle n'attend plus de réponse.")
    return enquete


@transaction.atomic
def enregistrer_reponse(
    *,
    enquete,
    source,
    situation,
    date_debut_contrat=None,
    date_fin_contrat=None,
    satisfaction=None,
    commentaire="",
    saisie_par=None,
    maintenant=None,
):
    """Record the answer to an open survey: the situation at its wave, never the exit's.

    The contract dates follow the exit's rules (`Sortie.clean`), and the category is the
    exit's own `categorie_de_sortie`. The survey is then closed: no more reminders.
    """
    maintenant = maintenant or timezone.now()
    enquete = _enquete_ouverte(enquete, timezone.localdate(maintenant))
    reponse = SituationApresSortie(
        sortie=enquete.sortie,
        vague_mois=enquete.vague_mois,
        situation=situation,
        date_debut_contrat=date_debut_contrat,
        date_fin_contrat=date_fin_contrat,
        source=source,
        satisfaction=satisfaction,
        commentaire=commentaire,
        saisie_par=saisie_par,
        repondu_le=maintenant,
    )
    reponse.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            reponse.save()
    except IntegrityError as error:
        raise ValidationError("Cette enquête a déjà sa réponse.") from error
    return reponse


@transaction.atomic
def refuser_les_enquetes(*, enquete, maintenant=None):
    """ "Ne plus recevoir d'enquête": the person's open surveys, of every exit, and those of
    their later exits, are closed."""
    maintenant = maintenant or timezone.now()
    enquete = _enquete_ouverte(enquete, timezone.localdate(maintenant))
    return (
        Enquete.objects.filter(
            sortie__inscription__candidat_id=enquete.sortie.inscription.candidat_id,
            refusee_le__isnull=True,
        )
        .exclude(reponse_filter())
        .update(refusee_le=maintenant)
    )


@transaction.atomic
def declarer_injoignable(*, enquete, auteur, maintenant=None):
    """Staff tried to call and gave up: the survey leaves the call list, unanswered."""
    maintenant = maintenant or timezone.now()
    enquete = _enquete_ouverte(enquete, timezone.localdate(maintenant))
    enquete.injoignable_le = maintenant
    enquete.injoignable_par = auteur
    enquete.save(update_fields=["injoignable_le", "injoignable_par"])
    return enquete
