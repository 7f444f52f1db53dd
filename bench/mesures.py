"""Each page a user opens, timed beside the Django admin page that shows the same rows.

Requests go through Django's test client in this process: the figures are server time
(URL resolution, middleware, queries, template) without network or browser.
"""

import csv
import datetime
import io
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib import admin as admin_site
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from besoins.models import Besoin
from candidats.models import Candidat
from comptes.models import Appartenance, User
from documents.models import Document
from echanges import depot, services, tasks
from echanges.models import AnalyseImport, DemandeExport
from entreprises.models import Entreprise
from evenements.models import Evenement, Immersion, Participation
from messagerie.models import Message
from parcours.models import Cohorte, Inscription, Sortie, Suivi
from portail.pagination import PAGE_SIZE, PaginatorBorne
from presences.models import Creneau, Presence
from presences.services import lundi_de

# A bound, not a target: the candidate's file, the richest page, reads one query per
# section (enrollments, attendance, documents, events, immersions, history…).
REQUETES_MAX = 20
LIGNES_IMPORT = 10_000
# The design's scale: echelle 1 is this many candidates (docs/domaine.md, "Les volumes").
CANDIDATS_A_L_ECHELLE_1 = 100_000
# Issue 16's targets, for each page measured at two scales.
CROISSANCE_MAX = 1.5
RAPPORT_ADMIN_MAX = 0.5
REQUETE_MAX_MS = 2000
IMPORT_MAX_S = 20
EXPORT_MEMOIRE_MAX_MO = 150


@dataclass
class Mesure:
    nom: str
    url: str
    requetes: int
    mediane: float  # milliseconds
    p95: float
    statut: int
    maximum: float = 0.0  # the slowest request, the first (query-counting) one included
    octets: int = 0  # the body, streamed or not


@dataclass
class Ligne:
    page: str
    portail: Mesure
    admin: Mesure | None

    @property
    def requetes_ok(self):
        return self.portail.requetes <= REQUETES_MAX

    @property
    def rapport_admin(self):
        """The page's median over its admin list's, None where the admin has none."""
        if self.admin is None or not self.admin.mediane:
            return None
        return self.portail.mediane / self.admin.mediane

    @property
    def temps_ok(self):
        return self.rapport_admin is None or self.rapport_admin <= RAPPORT_ADMIN_MAX

    @classmethod
    def depuis(cls, donnees):
        """The row as `resultats()` keeps it in JSON."""
        admin = donnees["admin"]
        return cls(
            page=donnees["page"],
            portail=Mesure(**donnees["portail"]),
            admin=Mesure(**admin) if admin else None,
        )


def percentile(valeurs, rang):
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, round(rang / 100 * (len(valeurs) - 1)))]


def mesurer(client, nom, url, requetes, methode="get", statut_attendu=200):
    """Query count of one request, then `requetes` timed requests (body read to the end)."""

    def ouvrir():
        """The response and the size of its body, read to the end."""
        response = getattr(client, methode)(url)
        if response.streaming:
            return response, sum(len(morceau) for morceau in response.streaming_content)
        return response, len(response.content)

    # Counted by an execute wrapper: the test client's request_started signal empties
    # connection.queries, which CaptureQueriesContext relies on.
    requetes_sql = []
    debut = time.perf_counter()
    with connection.execute_wrapper(
        lambda execute, sql, *args: requetes_sql.append(sql) or execute(sql, *args)
    ):
        response, octets = ouvrir()
    premiere = (time.perf_counter() - debut) * 1000
    if response.status_code != statut_attendu:
        raise RuntimeError(f"{nom} : {url} a répondu {response.status_code}.")
    durees = []
    for _ in range(requetes):
        debut = time.perf_counter()
        ouvrir()
        durees.append((time.perf_counter() - debut) * 1000)
    return Mesure(
        nom=nom,
        url=url,
        requetes=len(requetes_sql),
        mediane=statistics.median(durees),
        p95=percentile(durees, 95),
        statut=response.status_code,
        maximum=max([premiere, *durees]),
        octets=octets,
    )


def client_de(user):
    # "localhost" is allowed by the local and test settings, whatever DEBUG says.
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def personnes():
    """A staff member, an administrator, and the data the pages are opened on."""
    equipe = User.objects.filter(role=User.Role.EQUIPE, is_active=True).order_by("pk").first()
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if equipe is None or admin is None:
        raise RuntimeError("Il faut un compte équipe et un superutilisateur : generer_volume.")
    return equipe, admin


def la_plus_grande_cohorte():
    return (
        Cohorte.objects.annotate(nb=Count("inscriptions"))
        .select_related("parcours__ecole")
        .order_by("-nb", "pk")
        .first()
    )


def partenaire_de(ecole):
    appartenance = (
        Appartenance.objects.filter(
            Q(entreprise__ecoles_adherees=ecole) | Q(entreprise__ecoles_formees=ecole),
            active=True,
            user__role=User.Role.PARTENAIRE,
            user__is_active=True,
            user__is_superuser=False,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return appartenance.user if appartenance else None


def candidat_suivi():
    """A trainee with check-ins and an exit: the fullest candidate page."""
    inscription = (
        Inscription.objects.filter(sortie__isnull=False)
        .annotate(nb=Count("suivis"))
        .order_by("-nb", "pk")
        .first()
    )
    if inscription:
        return inscription.candidat
    return Candidat.objects.order_by("pk").first()


def la_plus_grande_cohorte_en_cours():
    """The largest running cohort; on a small base that has none, the latest one that
    started (its grid opens on its last week)."""
    cohortes = Cohorte.objects.annotate(nb=Count("inscriptions")).select_related("parcours__ecole")
    return (
        cohortes.en_cours().order_by("-nb", "pk").first()
        or cohortes.filter(date_debut__lte=timezone.localdate()).order_by("-date_debut").first()
    )


def inscription_certifiee():
    """An exited trainee with attendance kept, the most check-ins first: a whole training's
    attendance to sum."""
    return (
        Inscription.objects.filter(
            Exists(Presence.objects.filter(inscription=OuterRef("pk"))), sortie__isnull=False
        )
        .annotate(nb=Count("suivis"))
        .order_by("-nb", "pk")
        .first()
    )


def mesurer_certificat(clients, inscription, requetes):
    """The certificate of one trainee made as the staff's button makes it (POST: attendance
    summed, PDF rendered, kept), beside the admin list of the same attendance rows.

    The PDFs go to a storage in memory and the versions made here are deleted after.
    """
    nom = "Certificat de réalisation — un stagiaire (PDF)"
    url = reverse("documents:certificat", args=[inscription.pk])
    dernier = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    en_memoire = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "documents": en_memoire}):
        try:
            portail = mesurer(
                clients["equipe"], nom, url, requetes, methode="post", statut_attendu=302
            )
        finally:
            Document.objects.filter(pk__gt=dernier, inscription=inscription).delete()
    url_admin = (
        f"{reverse('admin:presences_presence_changelist')}?inscription__id__exact={inscription.pk}"
    )
    return Ligne(
        page=nom, portail=portail, admin=mesurer(clients["admin"], nom, url_admin, requetes)
    )


def page_des_presences(cohorte):
    """The row of `pages` for the grid of this week (else the cohort's last) of `cohorte`,
    beside the admin list of its half-days."""
    return (
        "Présences — semaine de la plus grande cohorte en cours",
        f"{reverse('presences:grille', args=[cohorte.pk])}"
        f"?semaine={lundi_de(timezone.localdate()):%Y-%m-%d}",
        "equipe",
        f"{reverse('admin:presences_creneau_changelist')}?cohorte__id__exact={cohorte.pk}",
    )


def le_plus_grand_evenement():
    return Evenement.objects.annotate(nb=Count("participations")).order_by("-nb", "pk").first()


def pages_attirer(evenement):
    """The pages of needs and events, each beside its admin list."""
    admin = "admin:"
    lignes = [
        (
            "Besoins de recrutement — liste",
            reverse("besoins:liste"),
            "equipe",
            reverse(f"{admin}besoins_besoin_changelist"),
        ),
        (
            "Événements — liste",
            reverse("evenements:liste"),
            "equipe",
            reverse(f"{admin}evenements_evenement_changelist"),
        ),
        (
            "Immersions — liste",
            reverse("evenements:immersions"),
            "equipe",
            reverse(f"{admin}evenements_immersion_changelist"),
        ),
    ]
    if evenement is not None:
        lignes.append(
            (
                "Plus grand événement — participants",
                reverse("evenements:detail", args=[evenement.pk]),
                "equipe",
                reverse(f"{admin}evenements_evenement_change", args=[evenement.pk]),
            )
        )
    return lignes


def partenaire_du_plus_grand_organisme():
    """A partner of the training organisation that trains the most schools, and that
    organisation (its schools counted): the partner home with the most to show."""
    organismes = (
        Entreprise.objects.filter(
            type=Entreprise.Type.ORGANISME_FORMATION,
            appartenances__active=True,
            appartenances__user__role=User.Role.PARTENAIRE,
            appartenances__user__is_active=True,
        )
        .annotate(nb_ecoles=Count("ecoles_formees", distinct=True))
        .order_by("-nb_ecoles", "pk")
    )
    organisme = organismes.first()
    if organisme is None:
        return None, None
    appartenance = (
        Appartenance.objects.filter(
            entreprise=organisme,
            active=True,
            user__role=User.Role.PARTENAIRE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return appartenance.user, organisme


def derniere_page_admin(model):
    """The number of the last page of `model`'s admin list, which counts every row."""
    par_page = admin_site.site.get_model_admin(model).list_per_page
    return max(1, math.ceil(model.objects.count() / par_page))


def pages_a_dix_fois(cohorte, cohorte_a_remplir, nom_cherche, organisme=None):
    """The pages issue 16 names that the other lists do not hold, each beside its admin
    list: ten years of indicators, the candidate list's last page, the enrollment picker,
    and the home of a training organisation's partner."""
    admin = "admin:"
    today = timezone.localdate()
    dix_ans = f"debut={today.replace(year=today.year - 10):%Y-%m-%d}&fin={today:%Y-%m-%d}"
    indicateurs = reverse("indicateurs:tableau")
    # The portal's list counts no further than its bound: its last page is that bound's.
    derniere = PaginatorBorne(Candidat.objects.all(), PAGE_SIZE).num_pages
    choisir = reverse("parcours:choisir_candidat", args=[cohorte_a_remplir.pk])
    lignes = [
        (
            "Indicateurs (10 ans)",
            f"{indicateurs}?{dix_ans}",
            "equipe",
            reverse(f"{admin}parcours_sortie_changelist"),
        ),
        (
            "Indicateurs — une filière (10 ans)",
            f"{indicateurs}?{dix_ans}&filiere={cohorte.parcours.ecole.filiere}",
            "equipe",
            reverse(f"{admin}parcours_sortie_changelist"),
        ),
        (
            "Candidats — dernière page",
            f"{reverse('candidats:liste')}?page={derniere}",
            "equipe",
            f"{reverse(f'{admin}candidats_candidat_changelist')}?p={derniere_page_admin(Candidat)}",
        ),
        (
            "Choisir un candidat (inscription)",
            choisir,
            "equipe",
            reverse(f"{admin}candidats_candidat_changelist"),
        ),
        (
            "Choisir un candidat — recherche d'un nom",
            f"{choisir}?q={nom_cherche}",
            "equipe",
            f"{reverse(f'{admin}candidats_candidat_changelist')}?q={nom_cherche}",
        ),
    ]
    if organisme is not None:
        lignes.append(
            (
                f"Accueil partenaire — organisme de formation ({organisme.nb_ecoles} écoles)",
                reverse("partenaires:ecoles"),
                "organisme",
                reverse(f"{admin}parcours_cohorte_changelist"),
            )
        )
    return lignes


def pages(cohorte, candidat, nom_cherche, cohorte_en_cours=None):
    """(page, portal URL, client role, admin URL) for each page a user opens."""
    admin = "admin:"
    return [
        (
            "Accueil (tableau de bord)",
            reverse("portail:accueil"),
            "equipe",
            reverse(f"{admin}parcours_inscription_changelist"),
        ),
        (
            "Candidats — liste",
            reverse("candidats:liste"),
            "equipe",
            reverse(f"{admin}candidats_candidat_changelist"),
        ),
        (
            "Candidats — recherche d'un nom",
            f"{reverse('candidats:liste')}?q={nom_cherche}",
            "equipe",
            f"{reverse(f'{admin}candidats_candidat_changelist')}?q={nom_cherche}",
        ),
        (
            "Candidats — filtre statut",
            f"{reverse('candidats:liste')}?statut=preselectionne",
            "equipe",
            f"{reverse(f'{admin}candidats_candidat_changelist')}?statut__exact=preselectionne",
        ),
        (
            "Candidat — fiche",
            reverse("candidats:detail", args=[candidat.pk]),
            "equipe",
            reverse(f"{admin}candidats_candidat_change", args=[candidat.pk]),
        ),
        (
            "Cohortes — liste",
            reverse("parcours:cohortes"),
            "equipe",
            reverse(f"{admin}parcours_cohorte_changelist"),
        ),
        (
            "Plus grande cohorte — équipe",
            reverse("parcours:cohorte", args=[cohorte.pk]),
            "equipe",
            f"{reverse(f'{admin}parcours_inscription_changelist')}?cohorte__id__exact={cohorte.pk}",
        ),
        (
            "Plus grande cohorte — partenaire",
            reverse("partenaires:cohorte", args=[cohorte.pk]),
            "partenaire",
            f"{reverse(f'{admin}parcours_inscription_changelist')}?cohorte__id__exact={cohorte.pk}",
        ),
        # What the weekly digest of each staff member holds, at regional scale.
        (
            "À faire (contenu de la synthèse hebdomadaire)",
            reverse("a_faire:a_faire"),
            "equipe",
            reverse(f"{admin}parcours_inscription_changelist"),
        ),
        (
            "Suivis du mois",
            reverse("parcours:suivis_du_mois"),
            "equipe",
            reverse(f"{admin}parcours_suivi_changelist"),
        ),
        (
            "Indicateurs (année en cours)",
            reverse("indicateurs:tableau"),
            "equipe",
            reverse(f"{admin}parcours_sortie_changelist"),
        ),
        *([page_des_presences(cohorte_en_cours)] if cohorte_en_cours else []),
        # Needs against seats and candidates over 12 months, for the largest cohort's school.
        (
            "Planification de l'école (12 mois)",
            reverse("besoins:planification", args=[cohorte.parcours.ecole_id]),
            "equipe",
            f"{reverse(f'{admin}besoins_besoin_changelist')}"
            f"?ecole__id__exact={cohorte.parcours.ecole_id}",
        ),
        (
            "Planification de l'école — partenaire",
            reverse("besoins:planification", args=[cohorte.parcours.ecole_id]),
            "partenaire",
            f"{reverse(f'{admin}besoins_besoin_changelist')}"
            f"?ecole__id__exact={cohorte.parcours.ecole_id}",
        ),
        # A full export is a task (measured below): the page only asks for it.
        (
            "Export des sorties : page de demande",
            reverse("echanges:export_sorties", args=["csv"]),
            "equipe",
            None,
        ),
    ]


def mesurer_pages(requetes):
    equipe, admin = personnes()
    cohorte = la_plus_grande_cohorte()
    if cohorte is None:
        raise RuntimeError("Aucune cohorte : lancez d'abord generer_volume.")
    partenaire = partenaire_de(cohorte.parcours.ecole)
    du_organisme, organisme = partenaire_du_plus_grand_organisme()
    candidat = candidat_suivi()
    nom_cherche = candidat.nom.split()[0]
    en_cours = la_plus_grande_cohorte_en_cours()
    clients = {"equipe": client_de(equipe), "admin": client_de(admin)}
    if partenaire:
        clients["partenaire"] = client_de(partenaire)
    if du_organisme:
        clients["organisme"] = client_de(du_organisme)
    lignes = []
    mesures_admin = {}
    evenement = le_plus_grand_evenement()
    for page, url, role, url_admin in [
        *pages(cohorte, candidat, nom_cherche, cohorte_en_cours=en_cours),
        *pages_a_dix_fois(cohorte, en_cours or cohorte, nom_cherche, organisme),
        *pages_attirer(evenement),
    ]:
        if role not in clients:
            continue
        portail = mesurer(clients[role], page, url, requetes)
        # The same admin page serves several rows: measured once.
        if url_admin is not None and url_admin not in mesures_admin:
            mesures_admin[url_admin] = mesurer(clients["admin"], page, url_admin, requetes)
        lignes.append(Ligne(page=page, portail=portail, admin=mesures_admin.get(url_admin)))
    inscription = inscription_certifiee()
    if inscription is not None:
        lignes.append(mesurer_certificat(clients, inscription, requetes))
    contexte = {
        "cohorte": f"{cohorte.nom} ({cohorte.nb} inscrits)",
        "candidat": f"fiche n° {candidat.pk}",
        "recherche": candidat.nom.split()[0],
        "partenaire": partenaire.username if partenaire else "aucun",
        "organisme": (
            f"{organisme.nom}, {organisme.nb_ecoles} écoles (`{du_organisme.username}`)"
            if organisme
            else "aucun"
        ),
        "en_cours": f"{en_cours.nom} ({en_cours.nb} inscrits)" if en_cours else "aucune",
        "certificat": f"inscription n° {inscription.pk}" if inscription else "aucun",
        "evenement": f"{evenement} ({evenement.nb} participants)" if evenement else "aucun",
    }
    return lignes, contexte


def memoire_export():
    """Peak resident memory of a process that serves the full outcomes CSV once."""
    commande = [sys.executable, "-m", "django", "bench", "--export-seul"]
    sortie = subprocess.run(
        commande,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
        cwd=settings.BASE_DIR,
    )
    valeurs = dict(re.findall(r"(\w+)=(\d+)", sortie.stdout))
    return {nom: int(valeur) for nom, valeur in valeurs.items()}


def pic_de_memoire_kio():
    """This process's peak resident memory so far, in KiB.

    Linux's `ru_maxrss` carries over the parent's through the fork and exec that started
    the process, so a child of the benchmark would report the benchmark's own peak: the
    peak of this process's memory map (`VmHWM`) starts at the exec. Elsewhere,
    `ru_maxrss`."""
    try:
        with open("/proc/self/status") as status:
            for ligne in status:
                if ligne.startswith("VmHWM:"):
                    return int(ligne.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def servir_export_une_fois():
    """In the child process: the peak memory before and after the task writing the full
    exits CSV, in KiB, with the size of the file and its rows."""
    equipe, _ = personnes()
    avant = pic_de_memoire_kio()
    resultat = exporter_une_fois(equipe, "sorties", "csv")
    apres = pic_de_memoire_kio()
    return {
        "avant_kio": avant,
        "pic_kio": apres,
        "octets": resultat["octets"],
        "lignes": resultat["lignes"],
    }


EXPORTS = [("candidats", "csv"), ("candidats", "xlsx"), ("sorties", "csv"), ("sorties", "xlsx")]


def exporter_une_fois(user, export, format):
    """Run the task of one full export as a worker does, then delete its file and request.

    The task reads its file back and counts its rows against the rows it selected: a
    file it keeps is whole, and `entier` says so."""
    # A run stopped midway leaves its request waiting, which would refuse this one (one
    # request in progress per user and criteria): the benchmark's own, removed first.
    DemandeExport.objects.en_attente_ou_en_cours().filter(
        user=user, export=export, format=format, criteres=""
    ).delete()
    demande = DemandeExport.objects.create(user=user, export=export, format=format)
    try:
        debut = time.perf_counter()
        tasks.executer_export(demande.pk)
        duree = time.perf_counter() - debut
        demande.refresh_from_db()
        stockage = services.stockage_des_exports()
        octets = stockage.size(demande.fichier) if demande.fichier else 0
        return {
            "export": export,
            "format": format,
            "secondes": duree,
            "lignes": demande.nombre_de_lignes or 0,
            "attendues": demande.lignes_attendues or 0,
            "octets": octets,
            "entier": demande.etat == DemandeExport.Etat.TERMINEE
            and demande.nombre_de_lignes == demande.lignes_attendues,
            "erreur": demande.erreur,
        }
    finally:
        if demande.fichier:
            services.stockage_des_exports().delete(demande.fichier)
        Message.objects.filter(cle=f"export-pret-{demande.pk}").delete()
        demande.delete()


def mesurer_exports():
    """Each full export written once by its task."""
    equipe, _ = personnes()
    return [exporter_une_fois(equipe, export, format) for export, format in EXPORTS]


def fichier_import(lignes):
    """A France Travail-like CSV of `lignes` people the database does not know yet."""
    tampon = io.StringIO()
    writer = csv.writer(tampon, delimiter=";")
    writer.writerow(
        [
            "Nom",
            "Prénom",
            "Date de naissance",
            "E-mail",
            "Téléphone",
            "Commune",
            "Code postal",
            "Identifiant France Travail",
            "Canal",
        ]
    )
    jeton = timezone.now().strftime("%Y%m%d%H%M%S")
    for numero in range(lignes):
        naissance = datetime.date(1970, 1, 1) + datetime.timedelta(days=numero % 12000)
        writer.writerow(
            [
                f"Importé{numero}",
                "Camille",
                naissance.strftime("%d/%m/%Y"),
                f"import.{jeton}.{numero}@example.net",
                "06 12 34 56 78",
                "Lens",
                "62300",
                f"Z{jeton[-6:]}{numero:06d}",
                "France Travail",
            ]
        )
    return tampon.getvalue().encode("utf-8")


def mesurer_import(lignes=LIGNES_IMPORT):
    """Analyse then confirm `lignes` rows with the import's tasks, as a worker runs them.

    Rolled back after, the file left in the storage with it.
    """
    equipe, _ = personnes()
    contenu = fichier_import(lignes)
    with transaction.atomic():
        jeton = depot.deposer(contenu, user=equipe)
        analyse = AnalyseImport.objects.create(user=equipe, nom_du_fichier="bench.csv", jeton=jeton)
        debut = time.perf_counter()
        tasks.analyser(analyse.pk)
        analyse_s = time.perf_counter() - debut
        analyse.refresh_from_db()
        if analyse.etat != AnalyseImport.Etat.TERMINEE or not analyse.resultat["nombre"]:
            raise RuntimeError(f"Analyse refusée : {analyse.erreur}")
        if analyse.resultat["lignes_en_erreur"]:
            raise RuntimeError(f"Import refusé : {analyse.resultat['erreurs'][:3]}")
        AnalyseImport.objects.filter(pk=analyse.pk).update(
            confirmation=AnalyseImport.Etat.EN_ATTENTE
        )
        debut_confirmation = time.perf_counter()
        tasks.confirmer(analyse.pk)
        fin = time.perf_counter()
        analyse.refresh_from_db()
        if analyse.confirmation != AnalyseImport.Etat.TERMINEE:
            raise RuntimeError(f"Confirmation refusée : {analyse.erreur}")
        depot.oublier(jeton)
        transaction.set_rollback(True)
    return {
        "lignes": analyse.importes["nombre"],
        "analyse_s": analyse_s,
        "confirmation_s": fin - debut_confirmation,
        "total_s": fin - debut,
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as infos:
            cpu = next(
                (
                    ligne.split(":", 1)[1].strip()
                    for ligne in infos
                    if ligne.startswith("model name")
                ),
                cpu,
            )
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            base = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        base = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        "cpu": cpu,
        "coeurs": os.cpu_count(),
        "ram": f"{ram:.0f} Gio",
        "base": base,
        "python": platform.python_version(),
    }


def volumes_en_base():
    return {
        "candidats": Candidat.objects.count(),
        "cohortes": Cohorte.objects.count(),
        "inscriptions": Inscription.objects.count(),
        "suivis": Suivi.objects.count(),
        "sorties": Sortie.objects.count(),
        "demi-journées": Creneau.objects.count(),
        "présences": Presence.objects.count(),
        "besoins de recrutement": Besoin.objects.count(),
        "événements": Evenement.objects.count(),
        "participations": Participation.objects.count(),
        "immersions": Immersion.objects.count(),
    }


def version_du_code():
    """The commit the tree stands on, and whether the tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout.strip()
        modifie = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "inconnue"
    return f"{commit} (arbre modifié)" if modifie else commit


def echelle_de(candidats):
    """The scale of a base, read from its candidates: a base is what it holds, whatever
    the command that filled it was asked (three significant digits, for the rows a
    measure or a test adds)."""
    return float(f"{candidats / CANDIDATS_A_L_ECHELLE_1:.3g}")


def libelle_echelle(echelle):
    return f"{echelle:g}"


def resultats(lignes, contexte, requetes, memoire, import_, infos, volumes, exports=None):
    """One run's figures as kept in JSON, one file per scale."""
    return {
        "echelle": echelle_de(volumes["candidats"]),
        "date": timezone.localtime().isoformat(timespec="minutes"),
        "version": version_du_code(),
        "debug": settings.DEBUG,
        "requetes": requetes,
        "machine": infos,
        "volumes": volumes,
        "contexte": contexte,
        "pages": [
            {
                "page": ligne.page,
                "portail": asdict(ligne.portail),
                "admin": asdict(ligne.admin) if ligne.admin else None,
            }
            for ligne in lignes
        ],
        "memoire": memoire,
        "import": import_,
        "exports": exports,
    }


def chemin_des_resultats(dossier, echelle):
    return os.path.join(dossier, f"echelle-{libelle_echelle(echelle)}.json")


def enregistrer(dossier, donnees):
    os.makedirs(dossier, exist_ok=True)
    chemin = chemin_des_resultats(dossier, donnees["echelle"])
    with open(chemin, "w", encoding="utf-8") as fichier:
        json.dump(donnees, fichier, ensure_ascii=False, indent=1)
        fichier.write("\n")
    return chemin


def charger(dossier, echelle):
    """The figures kept for `echelle`, None when that scale was never measured."""
    try:
        with open(chemin_des_resultats(dossier, echelle), encoding="utf-8") as fichier:
            return json.load(fichier)
    except FileNotFoundError:
        return None


def decimal(valeur, chiffres=1):
    """1 384,3, as French readers write it."""
    return f"{valeur:,.{chiffres}f}".replace(",", " ").replace(".", ",")


def ms(valeur):
    return decimal(valeur)


def kio(octets):
    return decimal(octets / 1024)


def nombre(valeur):
    """12 345, as French readers write it (a narrow no-break space in print, a space here)."""
    return f"{valeur:,}".replace(",", " ")


def court(candidats):
    """100 k, 1 M: a scale named by its candidates, short enough for a column's title."""
    for seuil, unite in ((1_000_000, "M"), (1_000, "k")):
        if candidats >= seuil:
            return f"{decimal(candidats / seuil, 3).rstrip('0').rstrip(',')} {unite}"
    return str(candidats)


def coche(ok):
    return "✓" if ok else "✗"


def marqueurs(nom):
    return f"<!-- bench:{nom}:debut -->", f"<!-- bench:{nom}:fin -->"


def lignes_import_et_export(donnees, suffixe=""):
    out = []
    memoire, import_ = donnees["memoire"], donnees["import"]
    if memoire:
        pic = memoire["pic_kio"] / 1024
        hausse = (memoire["pic_kio"] - memoire["avant_kio"]) / 1024
        out.append(
            f"- Export des sorties par sa tâche{suffixe} : {nombre(memoire['lignes'])} lignes, "
            f"{decimal(memoire['octets'] / 1024**2)} Mo écrits ; pic de mémoire du processus "
            f"{pic:.0f} Mo (VmHWM), dont {hausse:.0f} Mo pendant l'export "
            f"({coche(pic < EXPORT_MEMOIRE_MAX_MO)} cible < {EXPORT_MEMOIRE_MAX_MO} Mo)."
        )
    for export in donnees.get("exports") or []:
        out.append(
            f"- Export complet {export['export']} ({export['format'].upper()}) par sa "
            f"tâche{suffixe} : {decimal(export['secondes'])} s, "
            f"{nombre(export['lignes'])} lignes sur {nombre(export['attendues'])} attendues, "
            f"{decimal(export['octets'] / 1024**2)} Mo "
            f"({coche(export['entier'])} fichier entier, relu et compté"
            f"{' : ' + export['erreur'] if export['erreur'] else ''})."
        )
    if import_:
        out.append(
            f"- Import de {nombre(import_['lignes'])} lignes par ses tâches{suffixe} (analyse "
            f"puis confirmation) : {decimal(import_['total_s'])} s dont "
            f"{decimal(import_['analyse_s'])} s d'analyse et "
            f"{decimal(import_['confirmation_s'])} s de confirmation "
            f"({coche(import_['total_s'] < IMPORT_MAX_S)} cible < {IMPORT_MAX_S} s)."
        )
    return out


def tableau(donnees):
    """The Markdown section of one scale written to docs/performance.md."""
    debut, fin = marqueurs(f"echelle-{libelle_echelle(donnees['echelle'])}")
    infos, volumes, contexte = donnees["machine"], donnees["volumes"], donnees["contexte"]
    date = datetime.datetime.fromisoformat(donnees["date"])
    out = [
        debut,
        f"### Échelle {libelle_echelle(donnees['echelle']).replace('.', ',')} "
        f"({nombre(volumes['candidats'])} candidats) : mesures du {date:%d/%m/%Y à %H:%M}",
        "",
        f"- Machine : {infos['cpu']}, {infos['coeurs']} cœurs, {infos['ram']} de RAM ; "
        f"{infos['base']} ; Python {infos['python']} ; `DEBUG={donnees['debug']}` ; "
        f"code : `{donnees['version']}`.",
        "- Volumes : " + ", ".join(f"{nombre(n)} {nom}" for nom, n in volumes.items()) + ".",
        f"- {donnees['requetes']} requêtes par page après une première requête qui compte les "
        f"requêtes SQL (session et utilisateur compris) ; temps serveur en ms (client de test "
        f"Django, sans réseau) ; « max » compte aussi la première requête ; taille de la "
        f"réponse en Kio.",
        f"- Plus grande cohorte : {contexte['cohorte']} ; "
        f"partenaire : `{contexte['partenaire']}` ; "
        f"organisme de formation : {contexte['organisme']} ; "
        f"candidat : {contexte['candidat']} ; recherche : « {contexte['recherche']} ».",
        f"- Plus grande cohorte en cours : {contexte['en_cours']} (semaine du jour, choix d'un "
        f"candidat) ; certificat : {contexte['certificat']}, fait par le bouton de l'équipe "
        f"(POST : bilan, rendu du PDF, conservation), les versions créées supprimées ensuite.",
        f"- Plus grand événement : {contexte['evenement']}.",
        "",
        "| page | requêtes | médiane | p95 | max | Kio | admin (mêmes lignes) | requêtes "
        f"| médiane | ≤ {REQUETES_MAX} requêtes | médiane ≤ ½ admin "
        f"| max ≤ {REQUETE_MAX_MS // 1000} s |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|:-:|:-:|:-:|",
    ]
    for ligne in map(Ligne.depuis, donnees["pages"]):
        p, a = ligne.portail, ligne.admin
        admin = f"`{a.url}` | {a.requetes} | {ms(a.mediane)}" if a else "aucun équivalent | — | —"
        out.append(
            f"| {ligne.page} | {p.requetes} | {ms(p.mediane)} | {ms(p.p95)} | {ms(p.maximum)} "
            f"| {kio(p.octets)} | {admin} | {coche(ligne.requetes_ok)} "
            f"| {coche(ligne.temps_ok) if a else 'sans objet'} "
            f"| {coche(p.maximum <= REQUETE_MAX_MS)} |"
        )
    out += ["", *lignes_import_et_export(donnees), fin]
    return "\n".join(out) + "\n"


def verdict(avant, apres):
    """✓, or ✗ and what misses issue 16's targets, for one page measured at two scales
    (`apres` the larger)."""
    if avant is None or apres is None:
        return "✗ mesurée à une seule échelle"
    manques = []
    if avant.portail.requetes != apres.portail.requetes:
        manques.append("requêtes inégales")
    if not apres.requetes_ok:
        manques.append(f"> {REQUETES_MAX} requêtes")
    if apres.portail.mediane > CROISSANCE_MAX * avant.portail.mediane:
        manques.append(f"croissance > {decimal(CROISSANCE_MAX)}")
    if not (avant.temps_ok and apres.temps_ok):
        manques.append("> ½ admin")
    if apres.portail.maximum > REQUETE_MAX_MS:
        manques.append(f"requête > {REQUETE_MAX_MS // 1000} s")
    return "✓" if not manques else "✗ " + ", ".join(manques)


def comparaison(reference, mesure):
    """The Markdown section that sets each page at two scales side by side."""
    debut, fin = marqueurs("comparaison")
    petite, grande = court(reference["volumes"]["candidats"]), court(mesure["volumes"]["candidats"])
    avant = {ligne["page"]: Ligne.depuis(ligne) for ligne in reference["pages"]}
    apres = {ligne["page"]: Ligne.depuis(ligne) for ligne in mesure["pages"]}
    noms = [*apres, *(nom for nom in avant if nom not in apres)]

    def rapport(ligne):
        if ligne is None:
            return "—"
        return "sans admin" if ligne.rapport_admin is None else decimal(ligne.rapport_admin, 2)

    out = [
        debut,
        f"### De {petite} à {grande} candidats",
        "",
        f"- {petite} : mesures du "
        f"{datetime.datetime.fromisoformat(reference['date']):%d/%m/%Y à %H:%M}, code "
        f"`{reference['version']}`, {reference['requetes']} requêtes par page ; {grande} : "
        f"mesures du {datetime.datetime.fromisoformat(mesure['date']):%d/%m/%Y à %H:%M}, code "
        f"`{mesure['version']}`, {mesure['requetes']} requêtes par page.",
        f"- Cibles : même nombre de requêtes aux deux échelles (au plus {REQUETES_MAX}), "
        f"croissance de la médiane ≤ {decimal(CROISSANCE_MAX)}, médiane ≤ ½ de celle de la "
        f"liste d'administration aux deux échelles, aucune requête au-delà de "
        f"{REQUETE_MAX_MS // 1000} s à {grande}. Temps en ms, tailles en Kio.",
        "",
        f"| page | requêtes {petite} / {grande} | médiane {petite} | médiane {grande} "
        f"| croissance | ÷ admin {petite} | ÷ admin {grande} | max {grande} "
        f"| Kio {petite} / {grande} | verdict |",
        "|---|:-:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for nom in noms:
        a, b = avant.get(nom), apres.get(nom)
        croissance = decimal(b.portail.mediane / a.portail.mediane, 2) if a and b else "—"
        out.append(
            f"| {nom} "
            f"| {a.portail.requetes if a else '—'} / {b.portail.requetes if b else '—'} "
            f"| {ms(a.portail.mediane) if a else '—'} | {ms(b.portail.mediane) if b else '—'} "
            f"| {croissance} | {rapport(a)} | {rapport(b)} "
            f"| {ms(b.portail.maximum) if b else '—'} "
            f"| {kio(a.portail.octets) if a else '—'} / {kio(b.portail.octets) if b else '—'} "
            f"| {verdict(a, b)} |"
        )
    out += [
        "",
        *lignes_import_et_export(reference, f" à {petite}"),
        *lignes_import_et_export(mesure, f" à {grande}"),
        fin,
    ]
    return "\n".join(out) + "\n"


def ecrire(chemin, section, nom):
    """Replace the section `nom` of `chemin` (added at the end the first time), keeping the
    prose around it."""
    debut, fin = marqueurs(nom)
    try:
        with open(chemin, encoding="utf-8") as fichier:
            texte = fichier.read()
    except FileNotFoundError:
        texte = ""
    if debut in texte and fin in texte:
        avant = texte.split(debut)[0]
        apres = texte.split(fin, 1)[1].lstrip("\n")
        texte = avant + section + ("\n" + apres if apres else "")
    else:
        texte = (texte + "\n" if texte else "") + section
    os.makedirs(os.path.dirname(os.path.abspath(chemin)), exist_ok=True)
    with open(chemin, "w", encoding="utf-8") as fichier:
        fichier.write(texte)
