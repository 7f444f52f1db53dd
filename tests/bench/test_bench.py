import re

import pytest
from django.core.management import CommandError, call_command

from bench.mesures import REQUETES_MAX
from besoins.models import AffectationBesoin, Besoin
from candidats.models import Candidat
from evenements.models import Immersion, Participation
from parcours.models import Inscription, Sortie, Suivi

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
    "Export des sorties (CSV complet)",
    "Besoins de recrutement — liste",
    "Événements — liste",
    "Immersions — liste",
    "Plus grand événement — participants",
    "Certificat de réalisation — un stagiaire (PDF)",
]


# Outside a test transaction, so that each request's own transaction is not a savepoint
# and the query counts are those of production.
@pytest.mark.django_db(transaction=True)
def test_small_scale_benchmark_measures_every_page_within_the_query_budget(tmp_path):
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

    sortie = tmp_path / "performance.md"
    call_command("bench", requetes=2, sortie=str(sortie), lignes_import=20, sans_memoire=True)

    tableau = sortie.read_text()
    lignes = {
        cellules[0]: cellules
        for ligne in tableau.splitlines()
        if ligne.startswith("| ") and not ligne.startswith("| page")
        for cellules in [[c.strip() for c in ligne.strip("|").split("|")]]
    }
    assert list(lignes) == PAGES
    for page, cellules in lignes.items():
        assert 0 < int(cellules[1]) <= REQUETES_MAX, page
        # Every page stands beside an admin page, but the export, which has none.
        if page.startswith("Export"):
            assert cellules[4] == "aucun équivalent", page
        else:
            assert int(cellules[5]) > 0, page
    assert re.search(r"Import de 20 lignes", tableau)


def test_generator_refuses_production_settings(settings):
    settings.PORTAIL_DEMO_AUTORISEE = False

    with pytest.raises(CommandError, match="interdites"):
        call_command("generer_volume", echelle=0.001)
