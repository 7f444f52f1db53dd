"""The only write path of hiring needs and of their assignment to cohorts.

Partner pages, staff pages, the Django admin, the demo data and the exits' hook
(`parcours.services.enregistrer_sortie`, `supprimer_sorties`) all write through these
functions. The positions assigned to cohorts are checked here under a lock of the cohort
and of the need, in that order everywhere (the exits' hook locks the cohort first too),
so that two staff assigning at once never exceed a cohort's seats nor a need's positions.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from entreprises.models import Entreprise
from parcours.dates import first_of_month
from parcours.models import Cohorte, Sortie

from .models import CATEGORIES_EMBAUCHE, AffectationBesoin, Besoin

CHAMPS_MODIFIABLES = ("metier", "filiere", "postes", "contrat", "mois_embauche", "site")


def verifier_besoin(besoin):
    """The model's rules, and the company's membership of the school, in the user's words."""
    if besoin.mois_embauche:
        besoin.mois_embauche = first_of_month(besoin.mois_embauche)
    if besoin.ecole_id and not besoin.filiere:
        besoin.filiere = besoin.ecole.filiere
    entreprise, ecole = besoin.entreprise, besoin.ecole
    if entreprise.type != Entreprise.Type.ADHERENTE:
        raise ValidationError(
            {"entreprise": f"{entreprise.nom} n'est pas une entreprise adhérente."}
        )
    besoin.full_clean(exclude=["cree_par", "jeton_creation"], validate_constraints=False)
    if not ecole.entreprises_adherentes.filter(pk=entreprise.pk).exists():
        raise ValidationError(
            {"ecole": f"{entreprise.nom} n'est pas adhérente de l'{ecole.nom} — {ecole.ville}."}
        )


def besoin_du_jeton(jeton):
    """The need already created with this creation-form token, if any."""
    if not jeton:
        return None
    return Besoin.objects.filter(jeton_creation=jeton).first()


@transaction.atomic
def exprimer_besoin(
    *,
    entreprise,
    ecole,
    metier,
    postes,
    contrat,
    mois_embauche,
    site,
    filiere="",
    auteur=None,
    jeton=None,
    exprime_le=None,
):
    """Record a new need, stated; returns (need, created).

    A form sent twice carries the same `jeton`: the second sending finds the need the first
    one created, and nothing else is saved.
    """
    deja = besoin_du_jeton(jeton)
    if deja is not None:
        return deja, False
    now = timezone.now()
    besoin = Besoin(
        entreprise=entreprise,
        ecole=ecole,
        metier=metier,
        filiere=filiere,
        postes=postes,
        contrat=contrat,
        mois_embauche=mois_embauche,
        site=site,
        cree_par=auteur,
        jeton_creation=jeton or None,
        etat=Besoin.Etat.EXPRIME,
        etat_modifie_le=exprime_le or now,
        cree_le=exprime_le or now,
    )
    verifier_besoin(besoin)
    try:
        with transaction.atomic():
            besoin.save()
    except IntegrityError:
        deja = besoin_du_jeton(jeton)
        if deja is None:
            raise
        return deja, False
    recalculer_couverture([besoin])
    return besoin, True


def _verrouiller(besoin):
    return (
        Besoin.objects.select_for_update(of=("self",))
        .select_related("entreprise", "ecole")
        .get(pk=besoin.pk)
    )


def postes_affectes(besoin):
    return besoin.affectations.aggregate(total=Sum("postes"))["total"] or 0


@transaction.atomic
def modifier_besoin(*, besoin, **champs):
    """Change what a need asks for, while it is still to be filled."""
    inconnus = set(champs) - set(CHAMPS_MODIFIABLES)
    if inconnus:
        raise TypeError(f"Champs non modifiables : {', '.join(sorted(inconnus))}")
    besoin = _verrouiller(besoin)
    if not besoin.modifiable:
        raise ValidationError(
            f"Ce besoin est {besoin.get_etat_display().lower()} : il ne peut plus être modifié."
        )
    for name, value in champs.items():
        setattr(besoin, name, value)
    verifier_besoin(besoin)
    affectes = postes_affectes(besoin)
    if besoin.postes < affectes:
        raise ValidationError(
            {
                "postes": f"{affectes} postes de ce besoin sont affectés à des cohortes : "
                f"il ne peut en compter moins."
            }
        )
    besoin.save()
    recalculer_couverture([besoin])
    return besoin


def _changer_etat(besoin, etat, now=None):
    besoin.etat = etat
    besoin.etat_modifie_le = now or timezone.now()


@transaction.atomic
def valider_besoin(*, besoin):
    """The staff validate a stated need."""
    besoin = _verrouiller(besoin)
    if besoin.etat != Besoin.Etat.EXPRIME:
        raise ValidationError(
            f"Seul un besoin exprimé peut être validé : celui-ci est "
            f"{besoin.get_etat_display().lower()}."
        )
    now = timezone.now()
    _changer_etat(besoin, Besoin.Etat.VALIDE, now)
    besoin.valide_le = now
    besoin.save(update_fields=["etat", "etat_modifie_le", "valide_le", "modifie_le"])
    recalculer_couverture([besoin])
    return besoin


@transaction.atomic
def annuler_besoin(*, besoin):
    """Cancel a need that is not covered; the cohorts' positions it held are given back."""
    besoin = _verrouiller(besoin)
    if not besoin.annulable:
        raise ValidationError(
            f"Ce besoin est {besoin.get_etat_display().lower()} : il ne peut être annulé."
        )
    for affectation in besoin.affectations.all():
        # One by one, so that the history keeps a deletion row for each.
        affectation.delete()
    _changer_etat(besoin, Besoin.Etat.ANNULE)
    besoin.save(update_fields=["etat", "etat_modifie_le", "modifie_le"])
    return besoin


def verifier_affectation(*, besoin, cohorte, postes, exclure=None):
    """Raise ValidationError unless `postes` positions of `besoin` may go to `cohorte`.

    The caller holds the locks of the cohort and of the need; `exclure` is the assignment
    being replaced, whose positions are not counted twice.
    """
    if postes is None or postes < 1:
        raise ValidationError({"postes": "Affectez au moins un poste."})
    if not besoin.est_a_pourvoir:
        raise ValidationError(
            f"Ce besoin est {besoin.get_etat_display().lower()} : il ne reçoit plus de cohorte."
        )
    if cohorte.parcours.ecole_id != besoin.ecole_id:
        raise ValidationError(
            {"cohorte": "Cette cohorte appartient à une autre école que celle du besoin."}
        )
    de_la_cohorte = AffectationBesoin.objects.filter(cohorte=cohorte)
    du_besoin = AffectationBesoin.objects.filter(besoin=besoin)
    if exclure is not None:
        de_la_cohorte = de_la_cohorte.exclude(pk=exclure.pk)
        du_besoin = du_besoin.exclude(pk=exclure.pk)
    pris_cohorte = de_la_cohorte.aggregate(total=Sum("postes"))["total"] or 0
    pris_besoin = du_besoin.aggregate(total=Sum("postes"))["total"] or 0
    erreurs = []
    if pris_cohorte + postes > cohorte.places:
        libres = max(cohorte.places - pris_cohorte, 0)
        erreurs.append(
            f"La cohorte « {cohorte.nom} » compte {cohorte.places} places, dont "
            f"{pris_cohorte} déjà affectées à des besoins : il en reste {libres}, "
            f"pas {postes}."
        )
    if pris_besoin + postes > besoin.postes:
        restants = max(besoin.postes - pris_besoin, 0)
        erreurs.append(
            f"Le besoin compte {besoin.postes} postes, dont {pris_besoin} déjà affectés à "
            f"des cohortes : il en reste {restants} à affecter, pas {postes}."
        )
    if erreurs:
        raise ValidationError({"postes": erreurs})


@transaction.atomic
def affecter_cohorte(*, besoin, cohorte, postes):
    """Assign `postes` positions of `besoin` to `cohorte` (replacing the positions already
    assigned to that cohort), within the cohort's seats and the need's positions."""
    cohorte = (
        Cohorte.objects.select_for_update(of=("self",))
        .select_related("parcours__ecole")
        .get(pk=cohorte.pk)
    )
    besoin = _verrouiller(besoin)
    existante = AffectationBesoin.objects.filter(besoin=besoin, cohorte=cohorte).first()
    verifier_affectation(besoin=besoin, cohorte=cohorte, postes=postes, exclure=existante)
    affectation = existante or AffectationBesoin(besoin=besoin, cohorte=cohorte)
    affectation.postes = postes
    affectation.save()
    recalculer_couverture([besoin])
    return affectation


@transaction.atomic
def retirer_affectation(*, affectation):
    """Give a cohort's positions back: the need is no longer linked to that cohort."""
    affectation = AffectationBesoin.objects.select_related("besoin").get(pk=affectation.pk)
    Cohorte.objects.select_for_update().filter(pk=affectation.cohorte_id).first()
    besoin = _verrouiller(affectation.besoin)
    affectation.delete()
    recalculer_couverture([besoin])
    return besoin


# Coverage by hires


def sorties_embauches(besoin):
    """The exits that count as hires for `besoin`: a job at its company, recorded from the
    need's creation on, of trainees of the cohorts linked to it, or of its school when it
    is linked to none."""
    sorties = Sortie.objects.filter(
        entreprise_utilisatrice_id=besoin.entreprise_id,
        categorie__in=CATEGORIES_EMBAUCHE,
        date_sortie__gte=timezone.localdate(besoin.cree_le),
    )
    cohortes = AffectationBesoin.objects.filter(besoin=besoin).values("cohorte_id")
    if cohortes.exists():
        return sorties.filter(inscription__cohorte__in=cohortes)
    return sorties.filter(inscription__cohorte__parcours__ecole_id=besoin.ecole_id)


def recalculer_couverture(besoins, today=None):
    """Count the hires of each need and move it to covered, or back, accordingly.

    A need to be filled becomes covered (with the date) once its hires reach its positions;
    a covered need whose hires fall short again (an exit corrected or deleted) goes back to
    validated, or to stated if it never was validated. A cancelled need stays cancelled.
    """
    today = today or timezone.localdate()
    for besoin in besoins:
        embauches = sorties_embauches(besoin).count()
        champs = {"embauches"}
        besoin.embauches = embauches
        if besoin.est_a_pourvoir and embauches >= besoin.postes:
            _changer_etat(besoin, Besoin.Etat.COUVERT)
            besoin.couvert_le = today
            champs |= {"etat", "etat_modifie_le", "couvert_le"}
        elif besoin.etat == Besoin.Etat.COUVERT and embauches < besoin.postes:
            _changer_etat(besoin, Besoin.Etat.VALIDE if besoin.valide_le else Besoin.Etat.EXPRIME)
            besoin.couvert_le = None
            champs |= {"etat", "etat_modifie_le", "couvert_le"}
        besoin.save(update_fields=[*champs, "modifie_le"])


def recalculer_apres_sortie(*, cohorte_id, entreprise_ids):
    """The hook of the exits: recount the needs that an exit of a trainee of `cohorte_id`
    with one of `entreprise_ids` as employer (before or after the change) may count for:
    those of these companies at the cohort's school.

    Called inside the exit's transaction, after the cohort was locked.
    """
    entreprise_ids = {pk for pk in entreprise_ids if pk}
    if not entreprise_ids:
        return
    besoins = (
        Besoin.objects.select_for_update(of=("self",))
        .filter(ecole__parcours__cohortes__pk=cohorte_id, entreprise_id__in=entreprise_ids)
        .exclude(etat=Besoin.Etat.ANNULE)
        .order_by("pk")
    )
    recalculer_couverture(list(besoins))
