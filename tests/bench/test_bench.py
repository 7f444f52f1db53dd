import datetime
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench import mesures
from bench.mesures import REQUETES_MAX
from besoins.models import AffectationBesoin, Besoin
from candidats.models import Candidat
from echanges.models import DemandeExport
from evenements.models import Immersion, Participation
from parcours.models import Cohorte, Inscription, Sortie, Suivi
from presences.models import Presence
from tests.factories import CandidatFactory, UserFactory

PAGES = [
    "Accueil (tableau de bord)",
    "Candidats — liste",
    "Candidats — recherche d'un nom",
    "Candidats — filtre statut",
    "Candidat — fiche",
    "Cohortes — liste",
    "Plus grande cohorte — équipe",
    "Plus grande cohorte — partenaire",
    "À faire (contenu de la synthèse hebdomadaire)",
    "Suivis du mois",
    "Indicateurs (année en cours)",
    "Présences — semaine de la plus grande cohorte en cours",
    "Planification de l'école (12 mois)",
    "Planification de l'école — partenaire",
    "Export des sorties : page de demande",
    "Indicateurs (10 ans)",
    "Indicateurs — une filière (10 ans)",
    "Candidats — dernière page",
    "Choisir un candidat (inscription)",
    "Choisir un candidat — recherche d'un nom",
    "Accueil partenaire — organisme de formation (6 écoles)",
    "Besoins de recrutement — liste",
    "Événements — liste",
    "Immersions — liste",
    "Plus grand événement — participants",
    "Certificat de réalisation — un stagiaire (PDF)",
]


def lignes_du_tableau(texte, debut):
    """The rows of the Markdown table that follows `debut`, by their first cell."""
    section = texte.split(debut, 1)[1]
    return {
        cellules[0]: cellules
        for ligne in section.split("<!-- bench:", 1)[0].splitlines()
        if ligne.startswith("| ") and not ligne.startswith("| page")
        for cellules in [[c.strip() for c in ligne.strip("|").split("|")]]
    }


# Outside a test transaction, so that each request's own transaction is not a savepoint
# and the query counts are those of production.
@pytest.mark.django_db(transaction=True)
def test_small_scale_benchmark_measures_every_page_and_compares_with_the_reference(tmp_path):
    call_command("generer_volume", echelle=0.002, verbosity=0)
    assert Candidat.objects.count() == 200
    assert Inscription.objects.count() == 120
    assert Suivi.objects.exists()
    assert Sortie.objects.exclude(categorie="autre").exists()
    assert not Candidat.objects.filter(recherche="").exists()
    assert not Candidat.history.exists()
    assert Besoin.objects.exists()
    assert AffectationBesoin.objects.exists()
    assert Participation.objects.exists()
    assert Immersion.objects.exists()
    # Figures kept from a run at a smaller scale, in which the candidate list made fewer
    # queries and answered in a tenth of the time.
    resultats = tmp_path / "resultats"
    resultats.mkdir()
    (resultats / "echelle-0.001.json").write_text(
        json.dumps(
            {
                "echelle": 0.001,
                "date": "2026-12-01T10:00+01:00",
                "version": "abc1234",
                "requetes": 2,
                "volumes": {"candidats": 100},
                "pages": [
                    {
                        "page": "Candidats — liste",
                        "portail": {
                            "nom": "Candidats — liste",
                            "url": "/candidats/",
                            "requetes": 1,
                            "mediane": 0.001,
                            "p95": 0.001,
                            "statut": 200,
                        },
                        "admin": None,
                    }
                ],
                "memoire": None,
                "import": None,
            }
        )
    )

    sortie = tmp_path / "performance.md"
    call_command(
        "bench",
        requetes=2,
        sortie=str(sortie),
        resultats=str(resultats),
        echelle=0.002,
        reference=0.001,
        lignes_import=20,
        sans_memoire=True,
    )

    texte = sortie.read_text()
    lignes = lignes_du_tableau(texte, "<!-- bench:echelle-0.002:debut -->")
    assert list(lignes) == PAGES
    for page, cellules in lignes.items():
        assert 0 < int(cellules[1]) <= REQUETES_MAX, page
        # A page's size in KiB; the certificate's POST answers a redirect, with no body.
        assert (float(cellules[5].replace(",", ".")) > 0) != page.startswith("Certificat"), page
        # Every page stands beside an admin page, but the export, which has none.
        if page.startswith("Export"):
            assert cellules[6] == "aucun équivalent", page
        else:
            assert int(cellules[7]) > 0, page
    assert re.search(r"Import de 20 lignes", texte)
    # Each full export written by its task, its file read back and counted.
    for export in ["candidats (CSV)", "candidats (XLSX)", "sorties (CSV)", "sorties (XLSX)"]:
        assert re.search(
            rf"Export complet {re.escape(export)} par sa tâche : [\d,]+ s, ([\d ]+) lignes "
            rf"sur \1 attendues, [\d,]+ Mo \(✓ fichier entier",
            texte,
        ), export
    assert not DemandeExport.objects.exists()
    # The scale is read from the base, and its figures kept for the next comparison.
    gardees = json.loads((resultats / "echelle-0.002.json").read_text())
    assert gardees["echelle"] == 0.002
    assert gardees["volumes"]["candidats"] == 200
    assert [page["page"] for page in gardees["pages"]] == PAGES
    comparaison = lignes_du_tableau(texte, "<!-- bench:comparaison:debut -->")
    assert list(comparaison) == PAGES
    requetes = lignes["Candidats — liste"][1]
    assert comparaison["Candidats — liste"][1] == f"1 / {requetes}"
    assert comparaison["Candidats — liste"][-1].startswith("✗ requêtes inégales, ")
    assert comparaison["Accueil (tableau de bord)"][-1] == "✗ mesurée à une seule échelle"


@pytest.mark.django_db
def test_bench_refuses_a_base_of_another_scale_than_asked(tmp_path):
    call_command("generer_volume", echelle=0.001, verbosity=0)

    with pytest.raises(CommandError, match="100 candidats, soit l'échelle 0.001, et non 10"):
        call_command("bench", echelle=10, sortie=str(tmp_path / "p.md"))

    assert not (tmp_path / "p.md").exists()


@pytest.mark.django_db
def test_the_generator_may_keep_the_attendance_of_recent_cohorts_only():
    call_command("generer_volume", echelle=0.002, presences_jours=30, verbosity=0)

    depuis = timezone.localdate() - datetime.timedelta(days=30)
    avec_presences = Cohorte.objects.filter(creneaux__isnull=False).distinct()
    assert avec_presences.exists()
    assert not avec_presences.filter(date_fin__lt=depuis).exists()
    assert not Presence.objects.exclude(creneau__cohorte__date_fin__gte=depuis).exists()
    assert Cohorte.objects.filter(date_fin__lt=depuis).exists()


def test_generator_refuses_production_settings(settings):
    settings.PORTAIL_DEMO_AUTORISEE = False

    with pytest.raises(CommandError, match="interdites"):
        call_command("generer_volume", echelle=0.001)


def mesure(requetes=6, mediane=40.0, maximum=60.0):
    return mesures.Mesure(
        nom="page",
        url="/page/",
        requetes=requetes,
        mediane=mediane,
        p95=mediane,
        statut=200,
        maximum=maximum,
        octets=2048,
    )


def ligne(portail, admin_ms=200.0):
    return mesures.Ligne(page="page", portail=portail, admin=mesure(mediane=admin_ms))


@pytest.mark.parametrize(
    ("a_dix_fois", "attendu"),
    [
        (ligne(mesure(mediane=50.0)), "✓"),
        (ligne(mesure(mediane=61.0)), "✗ croissance > 1,5"),
        (ligne(mesure(requetes=7)), "✗ requêtes inégales"),
        (ligne(mesure(), admin_ms=79.0), "✗ > ½ admin"),
        (ligne(mesure(maximum=2001.0)), "✗ requête > 2 s"),
        (
            ligne(mesure(requetes=REQUETES_MAX + 1, mediane=110.0)),
            f"✗ requêtes inégales, > {REQUETES_MAX} requêtes, croissance > 1,5, > ½ admin",
        ),
    ],
)
def test_verdict_names_each_target_a_page_misses(a_dix_fois, attendu):
    assert mesures.verdict(ligne(mesure()), a_dix_fois) == attendu


def test_the_admin_ratio_is_judged_at_the_smaller_scale_too():
    assert mesures.verdict(ligne(mesure(), admin_ms=70.0), ligne(mesure())) == "✗ > ½ admin"


@pytest.mark.parametrize(
    ("candidats", "echelle", "libelle", "court"),
    [
        (100_000, 1.0, "1", "100 k"),
        (1_000_003, 10.0, "10", "1 M"),
        (200, 0.002, "0.002", "200"),
        (250_000, 2.5, "2.5", "250 k"),
    ],
)
def test_scale_is_read_from_the_candidates_in_the_base(candidats, echelle, libelle, court):
    assert mesures.echelle_de(candidats) == echelle
    assert mesures.libelle_echelle(echelle) == libelle
    assert mesures.court(candidats) == court


def test_the_export_s_memory_is_read_in_its_own_process_not_inherited_from_the_benchmark():
    """The export's memory is measured in a child of the benchmark: a peak carried over
    from the parent would hide what the export itself uses."""
    lest = bytearray(300 * 1024 * 1024)
    for octet in range(0, len(lest), 4096):
        lest[octet] = 1
    enfant = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from bench import mesures; print(mesures.pic_de_memoire_kio())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )

    assert int(enfant.stdout) < 150 * 1024


@pytest.mark.django_db
def test_an_export_left_in_progress_by_a_stopped_run_does_not_stop_the_next():
    equipe = UserFactory()
    CandidatFactory.create_batch(3)
    DemandeExport.objects.create(
        user=equipe, export="candidats", format="csv", etat=DemandeExport.Etat.EN_COURS
    )

    mesure = mesures.exporter_une_fois(equipe, "candidats", "csv")

    assert mesure["entier"] and mesure["lignes"] == 3
    assert not DemandeExport.objects.exists()
