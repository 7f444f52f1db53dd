"""The only write path of documents: generate, keep a new version, receive a signed scan.

Every version of one subject (a cohort's week, an internship, an enrollment) is counted
under the cohort's row lock, so that two generations at once get two numbers and the
database's unique (subject, version) holds them apart; the one-time token of a form or a
job makes a double submit return the document it already made.
"""

import datetime
import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from parcours.models import Cohorte, Inscription, Stage
from presences import services as presences
from presences.models import Creneau, Moment

from . import rendu
from .models import Document, TypeDocument, stockage_des_documents

# Bumped when a template changes what a document says: each version records its own.
GABARITS = {
    TypeDocument.EMARGEMENT: ("emargement.html", "emargement-1"),
    TypeDocument.CONVENTION_STAGE: ("convention_stage.html", "convention-1"),
    TypeDocument.CERTIFICAT_REALISATION: ("certificat_realisation.html", "certificat-1"),
    TypeDocument.ATTESTATION_FIN: ("attestation_fin.html", "attestation-1"),
}
PDF = "application/pdf"
# What a signed scan may be, recognised by its first bytes rather than by its name.
SIGNATURES_DE_SCAN = [
    (b"%PDF-", PDF, ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]
EXTENSIONS = {content_type: extension for _, content_type, extension in SIGNATURES_DE_SCAN}
ORDRE_DES_MOMENTS = {moment.value: rang for rang, moment in enumerate(Moment)}
SEMAINE_OUVREE = datetime.timedelta(days=4)


def sujet_de(type, *, cohorte, inscription=None, stage=None, lundi=None):
    """The key the versions of a document are counted on."""
    if type in (TypeDocument.EMARGEMENT, TypeDocument.EMARGEMENT_SIGNE):
        return f"{type}:{cohorte.pk}:{lundi.isoformat()}"
    if type == TypeDocument.CONVENTION_STAGE:
        return f"{type}:{stage.pk}"
    return f"{type}:{inscription.pk}"


def _slug(texte):
    return slugify(texte)[:60] or "document"


def enregistrer_document(
    *,
    type,
    cohorte,
    auteur,
    nom_fichier,
    type_contenu=PDF,
    contenu=None,
    rendre=None,
    inscription=None,
    stage=None,
    lundi=None,
    version_gabarit="",
    jeton=None,
):
    """Keep a new version of a document and return it (or the one `jeton` already made).

    The bytes are `contenu`, or `rendre(version, edite_le)` when they show their own
    version number. The file is written to the `documents` storage before the row; if
    the row cannot be written the file is removed.
    """
    sujet = sujet_de(type, cohorte=cohorte, inscription=inscription, stage=stage, lundi=lundi)
    with transaction.atomic():
        list(Cohorte.objects.select_for_update().filter(pk=cohorte.pk).values_list("pk"))
        if jeton:
            deja = Document.objects.filter(jeton=jeton).first()
            if deja is not None:
                return deja
        derniere = Document.objects.filter(sujet=sujet).aggregate(v=Max("version"))["v"]
        version = (derniere or 0) + 1
        edite_le = timezone.now()
        octets = rendre(version, edite_le) if rendre else contenu
        document = Document(
            type=type,
            cohorte=cohorte,
            inscription=inscription,
            stage=stage,
            lundi=lundi,
            sujet=sujet,
            version=version,
            version_gabarit=version_gabarit,
            sha256=hashlib.sha256(octets).hexdigest(),
            taille=len(octets),
            type_contenu=type_contenu,
            nom_fichier=f"{nom_fichier}-v{version}{EXTENSIONS.get(type_contenu, '')}",
            auteur=auteur,
            cree_le=edite_le,
            jeton=jeton or None,
        )
        stockage = stockage_des_documents()
        chemin = f"{cohorte.pk}/{type}/{uuid.uuid4().hex}{EXTENSIONS.get(type_contenu, '')}"
        document.fichier.name = stockage.save(chemin, ContentFile(octets))
        try:
            document.save()
        except BaseException:
            stockage.delete(document.fichier.name)
            raise
    return document


def lire(document):
    """The stored bytes of `document`, from the storage the settings name now."""
    with stockage_des_documents().open(document.fichier.name, "rb") as fichier:
        return fichier.read()


def _generer(type, *, cohorte, contexte, auteur, nom_fichier, jeton, **sujet):
    gabarit, version_gabarit = GABARITS[type]

    def rendre(version, edite_le):
        return rendu.rendre_pdf(
            gabarit,
            {
                **contexte,
                "cohorte": cohorte,
                "version": version,
                "version_gabarit": version_gabarit,
                "edite_le": timezone.localtime(edite_le),
                "pied": nom_fichier,
            },
        )

    return enregistrer_document(
        type=type,
        cohorte=cohorte,
        auteur=auteur,
        nom_fichier=nom_fichier,
        rendre=rendre,
        version_gabarit=version_gabarit,
        jeton=jeton,
        **sujet,
    )


# The weekly attendance sheet


def semaines_de(cohorte):
    """The Mondays of the weeks the cohort runs."""
    lundi = presences.lundi_de(cohorte.date_debut)
    semaines = []
    while lundi <= cohorte.date_fin:
        semaines.append(lundi)
        lundi += datetime.timedelta(weeks=1)
    return semaines


def creneaux_de_la_semaine(cohorte, lundi):
    creneaux = Creneau.objects.filter(cohorte=cohorte, date__range=(lundi, lundi + SEMAINE_OUVREE))
    return sorted(creneaux, key=lambda creneau: (creneau.date, ORDRE_DES_MOMENTS[creneau.moment]))


def stagiaires_de_la_semaine(cohorte, lundi):
    """The enrollments in training at least one day of the week, by name."""
    return list(
        cohorte.inscriptions.filter(date_entree__lte=lundi + SEMAINE_OUVREE)
        .filter(Q(sortie__isnull=True) | Q(sortie__date_sortie__gte=lundi))
        .select_related("candidat", "sortie", "cohorte")
        .order_by("candidat__nom", "candidat__prenom", "pk")
    )


def _verifier_semaine(cohorte, lundi):
    if lundi not in semaines_de(cohorte):
        raise ValidationError(
            {"lundi": "Choisissez une semaine de la cohorte (son lundi)."}, code="semaine"
        )


def generer_feuille_emargement(*, cohorte, lundi, auteur, jeton=None):
    _verifier_semaine(cohorte, lundi)
    creneaux = creneaux_de_la_semaine(cohorte, lundi)
    if not creneaux:
        raise ValidationError(
            {"lundi": f"La semaine du {lundi:%d/%m/%Y} n'a aucune demi-journée de formation."},
            code="vide",
        )
    lignes = [
        {
            "inscription": inscription,
            "cases": [presences.en_formation_le(inscription, c.date) for c in creneaux],
        }
        for inscription in stagiaires_de_la_semaine(cohorte, lundi)
    ]
    contexte = {
        "lundi": lundi,
        "vendredi": lundi + SEMAINE_OUVREE,
        "creneaux": creneaux,
        "lignes": lignes,
        "heures": sum(creneau.heures_prevues for creneau in creneaux),
    }
    return _generer(
        TypeDocument.EMARGEMENT,
        cohorte=cohorte,
        contexte=contexte,
        auteur=auteur,
        nom_fichier=f"emargement-{_slug(cohorte.nom)}-{lundi:%Y-%m-%d}",
        jeton=jeton,
        lundi=lundi,
    )


def analyser_scan(contenu):
    """The content type of a signed scan, from its first bytes; ValidationError otherwise."""
    for signature, type_contenu, _ in SIGNATURES_DE_SCAN:
        if contenu.startswith(signature):
            return type_contenu
    raise ValidationError(
        {"fichier": "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG."}, code="format"
    )


def deposer_feuille_signee(*, cohorte, lundi, contenu, auteur, jeton=None):
    """Keep the signed scan of a week's sheet and lock that week's attendance."""
    _verifier_semaine(cohorte, lundi)
    type_contenu = analyser_scan(contenu)
    with transaction.atomic():
        document = enregistrer_document(
            type=TypeDocument.EMARGEMENT_SIGNE,
            cohorte=cohorte,
            auteur=auteur,
            nom_fichier=f"emargement-signe-{_slug(cohorte.nom)}-{lundi:%Y-%m-%d}",
            type_contenu=type_contenu,
            contenu=contenu,
            lundi=lundi,
            jeton=jeton,
        )
        presences.verrouiller_semaine(cohorte=cohorte, lundi=lundi, par=auteur)
    return document


# The three-party internship agreement


def generer_convention(*, stage, auteur, jeton=None):
    stage = Stage.objects.select_related(
        "inscription__candidat",
        "inscription__cohorte__parcours__ecole",
        "inscription__cohorte__dispositif",
        "phase",
        "entreprise",
        "tuteur",
    ).get(pk=stage.pk)
    cohorte = stage.inscription.cohorte
    contexte = {
        "stage": stage,
        "inscription": stage.inscription,
        "organismes": list(cohorte.parcours.ecole.organismes_formation.all()),
    }
    return _generer(
        TypeDocument.CONVENTION_STAGE,
        cohorte=cohorte,
        contexte=contexte,
        auteur=auteur,
        nom_fichier=f"convention-stage-{_slug(str(stage.inscription.candidat))}-{stage.pk}",
        jeton=jeton,
        inscription=stage.inscription,
        stage=stage,
    )


# The certificate of completion and the end-of-training attestation


def _inscription_complete(inscription):
    return Inscription.objects.select_related(
        "candidat", "sortie", "cohorte__parcours__ecole", "cohorte__dispositif"
    ).get(pk=inscription.pk)


def _contexte_de_formation(inscription):
    cohorte = inscription.cohorte
    return {
        "inscription": inscription,
        "fin": min(inscription.fin_de_formation(), cohorte.date_fin),
        "bilan": presences.bilan_de_presence(inscription),
        "organismes": list(cohorte.parcours.ecole.organismes_formation.all()),
        "sortie": inscription.sortie_enregistree,
    }


def generer_certificat(*, inscription, auteur, jeton=None):
    inscription = _inscription_complete(inscription)
    return _generer(
        TypeDocument.CERTIFICAT_REALISATION,
        cohorte=inscription.cohorte,
        contexte=_contexte_de_formation(inscription),
        auteur=auteur,
        nom_fichier=f"certificat-realisation-{_slug(str(inscription.candidat))}-{inscription.pk}",
        jeton=jeton,
        inscription=inscription,
    )


def generer_attestation(*, inscription, auteur, jeton=None):
    inscription = _inscription_complete(inscription)
    return _generer(
        TypeDocument.ATTESTATION_FIN,
        cohorte=inscription.cohorte,
        contexte=_contexte_de_formation(inscription),
        auteur=auteur,
        nom_fichier=f"attestation-fin-{_slug(str(inscription.candidat))}-{inscription.pk}",
        jeton=jeton,
        inscription=inscription,
    )


def generer_certificats_de_la_cohorte(*, cohorte, auteur, jeton):
    """A certificate for every trainee of `cohorte`; run again with the same `jeton`, it
    makes only those still missing. Returns how many it made."""
    faits = 0
    for inscription in cohorte.inscriptions.order_by("pk"):
        cle = f"{jeton}:{inscription.pk}"
        if Document.objects.filter(jeton=cle).exists():
            continue
        generer_certificat(inscription=inscription, auteur=auteur, jeton=cle)
        faits += 1
    return faits
