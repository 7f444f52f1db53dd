"""Each page a user opens, timed beside the Django admin page that shows the same rows.

Requests go through Django's test client in this process: the figures are server time
(URL resolution, middleware, queries, template) without network or browser.
"""

import csv
import datetime
import io
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from besoins.models import Besoin
from candidats.models import Candidat
from comptes.models import Appartenance, User
from documents.models import Document
from echanges import depot, tasks
from echanges.models import AnalyseImport
from evenements.models import Evenement, Immersion, Participation
from parcours.models import Cohorte, Inscription, Sortie, Suivi
from presences.models import Creneau, Presence
from presences.services import lundi_de

# A bound, not a target: the candidate's file, the richest page, reads one query per
# section (enrollments, attendance, documents, events, immersions, history…).
REQUETES_MAX = 20
LIGNES_IMPORT = 10_000
DEBUT_SECTION = "<!-- bench:debut -->"
FIN_SECTION = "<!-- bench:fin -->"


@dataclass
class Mesure:
    nom: str
    url: str
    requetes: int
    mediane: float  # milliseconds
    p95: float
    statut: int


@dataclass
class Ligne:
    page: str
    portail: Mesure
    admin: Mesure | None

    @property
    def requetes_ok(self):
        return self.portail.requetes <= REQUETES_MAX

    @property
    def temps_ok(self):
        return self.admin is None or self.portail.mediane <= self.admin.mediane


def percentile(valeurs, rang):
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, round(rang / 100 * (len(valeurs) - 1)))]


def mesurer(client, nom, url, requetes, methode="get", statut_attendu=200):
    """Query count of one request, then `requetes` timed requests (body read to the end)."""

    def ouvrir():
        response = getattr(client, methode)(url)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018
        return response

    # Counted by an execute wrapper: the test client's request_started signal empties
    # connection.queries, which CaptureQueriesContext relies on.
    requetes_sql = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: requetes_sql.append(sql) or execute(sql, *args)
    ):
        response = ouvrir()
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
        # The admin has no export: the file is judged on streaming and memory (below).
        (
            "Export des sorties (CSV complet)",
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
    candidat = candidat_suivi()
    en_cours = la_plus_grande_cohorte_en_cours()
    clients = {"equipe": client_de(equipe), "admin": client_de(admin)}
    if partenaire:
        clients["partenaire"] = client_de(partenaire)
    lignes = []
    mesures_admin = {}
    evenement = le_plus_grand_evenement()
    for page, url, role, url_admin in [
        *pages(cohorte, candidat, candidat.nom.split()[0], cohorte_en_cours=en_cours),
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


def servir_export_une_fois():
    """In the child process: ru_maxrss before and after streaming the export, in KiB."""
    equipe, _ = personnes()
    client = client_de(equipe)
    client.get(reverse("portail:accueil"))
    avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = client.get(reverse("echanges:export_sorties", args=["csv"]))
    octets = lignes = 0
    for morceau in response.streaming_content:
        octets += len(morceau)
        lignes += morceau.count(b"\n")
    apres = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"avant_kio": avant, "pic_kio": apres, "octets": octets, "lignes": lignes}


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


def ms(valeur):
    return f"{valeur:.1f}"


def nombre(valeur):
    """12 345, as French readers write it (a narrow no-break space in print, a space here)."""
    return f"{valeur:,}".replace(",", " ")


def tableau(lignes, contexte, requetes, memoire, import_, infos, volumes):
    """The Markdown section written to docs/performance.md."""
    maintenant = timezone.localtime()
    out = [
        DEBUT_SECTION,
        f"### Mesures du {maintenant:%d/%m/%Y à %H:%M}",
        "",
        f"- Machine : {infos['cpu']}, {infos['coeurs']} cœurs, {infos['ram']} de RAM ; "
        f"{infos['base']} ; Python {infos['python']} ; `DEBUG={settings.DEBUG}`.",
        "- Volumes : " + ", ".join(f"{nombre(n)} {nom}" for nom, n in volumes.items()) + ".",
        f"- {requetes} requêtes par page après une première requête qui compte les requêtes SQL "
        f"(session et utilisateur compris) ; temps serveur en ms (client de test Django, "
        f"sans réseau).",
        f"- Plus grande cohorte : {contexte['cohorte']} ; "
        f"partenaire : `{contexte['partenaire']}` ; "
        f"candidat : {contexte['candidat']} ; recherche : « {contexte['recherche']} ».",
        f"- Plus grande cohorte en cours : {contexte['en_cours']} (semaine du jour) ; "
        f"certificat : {contexte['certificat']}, fait par le bouton de l'équipe (POST : "
        f"bilan, rendu du PDF, conservation), les versions créées supprimées ensuite.",
        f"- Plus grand événement : {contexte['evenement']}.",
        "",
        "| page | requêtes | médiane | p95 | admin (même modèle) | requêtes | médiane | p95 "
        "| ≤ 15 requêtes | médiane ≤ admin |",
        "|---|---:|---:|---:|---|---:|---:|---:|:-:|:-:|",
    ]
    for ligne in lignes:
        p, a = ligne.portail, ligne.admin
        admin = (
            f"`{a.url}` | {a.requetes} | {ms(a.mediane)} | {ms(a.p95)}"
            if a
            else "aucun équivalent | — | — | —"
        )
        out.append(
            f"| {ligne.page} | {p.requetes} | {ms(p.mediane)} | {ms(p.p95)} | {admin} "
            f"| {'oui' if ligne.requetes_ok else '**non**'} "
            f"| {'oui' if ligne.temps_ok else '**non**'}{'' if a else ' (sans objet)'} |"
        )
    out.append("")
    if memoire:
        pic = memoire["pic_kio"] / 1024
        hausse = (memoire["pic_kio"] - memoire["avant_kio"]) / 1024
        out.append(
            f"- Export des sorties en continu : {nombre(memoire['lignes'])} lignes, "
            f"{memoire['octets'] / 1024**2:.1f} Mo envoyés ; pic de mémoire du processus "
            f"{pic:.0f} Mo (ru_maxrss), dont {hausse:.0f} Mo pendant l'export "
            f"({'oui' if pic < 150 else '**non**'} : cible < 150 Mo)."
        )
    if import_:
        out.append(
            f"- Import de {nombre(import_['lignes'])} lignes par ses tâches (analyse puis "
            f"confirmation) : {import_['total_s']:.1f} s dont {import_['analyse_s']:.1f} s "
            f"d'analyse et {import_['confirmation_s']:.1f} s de confirmation "
            f"({'oui' if import_['total_s'] < 20 else '**non**'} : cible < 20 s)."
        )
    out.append(FIN_SECTION)
    return "\n".join(out) + "\n"


def ecrire(chemin, section):
    """Replace the measured section of `chemin`, keeping the prose around it."""
    try:
        with open(chemin, encoding="utf-8") as fichier:
            texte = fichier.read()
    except FileNotFoundError:
        texte = ""
    if DEBUT_SECTION in texte and FIN_SECTION in texte:
        avant = texte.split(DEBUT_SECTION)[0]
        apres = texte.split(FIN_SECTION, 1)[1].lstrip("\n")
        texte = avant + section + ("\n" + apres if apres else "")
    else:
        texte = (texte + "\n" if texte else "") + section
    os.makedirs(os.path.dirname(os.path.abspath(chemin)), exist_ok=True)
    with open(chemin, "w", encoding="utf-8") as fichier:
        fichier.write(texte)
