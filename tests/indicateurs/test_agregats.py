"""The summary tables against the facts: random programmes written through the services,
every figure of the page summed from the tables and counted straight from the facts."""

import datetime
import random

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from candidats.retention import anonymiser
from candidats.services import changer_statut
from echanges.services import importer_candidats
from ecoles.models import Filiere
from evenements.models import Participation, StatutParticipation, TypeEvenement
from evenements.services import inscrire_nouveau_candidat
from indicateurs.definitions import DYNAMIQUES, VAGUE, indicateurs_des_financeurs
from indicateurs.evenements import entonnoir_des_evenements
from indicateurs.models import AgregatCandidatsJour, AgregatCohorteJour, ParcoursDuCandidat
from indicateurs.stats import ETAPES_DE_L_ENTONNOIR, Periode, entonnoirs, repartitions
from parcours.dates import add_months
from parcours.models import (
    Categorie,
    Inscription,
    Parcours,
    Situation,
    Sortie,
    SortieAttendue,
    StageSansEntreprise,
    SuiviManquant,
)
from parcours.services import enregistrer_sortie, inscrire, supprimer_sorties
from presences.models import AbsencesDuMois
from tests.agenda.helpers import evenement
from tests.candidats.test_forms import donnees, donnees_de
from tests.factories import CandidatFactory, CohorteFactory, EcoleFactory, ParcoursFactory

from . import direct

pytestmark = pytest.mark.django_db
D = datetime.date
AUJOURD_HUI = D(2026, 6, 15)
SITUATIONS = [
    (Situation.CDI, None),
    (Situation.CDD, 3),
    (Situation.CDD, 8),
    (Situation.CONTRAT_AIDE, None),
    (Situation.FORMATION_QUALIFIANTE, None),
    (Situation.RECHERCHE_EMPLOI, None),
]


def programme_aleatoire(graine):
    """Three schools (one with a track outside its main job family), cohorts over three
    years, candidates added at any hour, some in two cohorts; exits of every category and
    dropouts, an exit deleted, statuses changed, an import, people anonymised."""
    rng = random.Random(graine)
    lille = EcoleFactory(ville="Lille", filiere=Filiere.MAINTENANCE)
    douai = EcoleFactory(ville="Douai", filiere=Filiere.LOGISTIQUE)
    arras = EcoleFactory(ville="Arras", filiere=Filiere.MAINTENANCE)
    parcours = [
        ParcoursFactory(ecole=lille),
        ParcoursFactory(ecole=lille, filiere=Filiere.LOGISTIQUE),
        ParcoursFactory(ecole=douai),
        ParcoursFactory(ecole=arras),
    ]
    cohortes = [
        CohorteFactory(
            parcours=rng.choice(parcours),
            date_debut=D(2023, 1, 2) + datetime.timedelta(days=rng.randrange(900)),
        )
        for _ in range(8)
    ]
    candidats = [
        CandidatFactory(
            canal=rng.choice(CanalSourcing.values),
            statut=rng.choice(Candidat.Statut.values),
            ecole_visee=rng.choice([None, lille, douai, arras]),
            # Late in the evening too: the day is the local one.
            cree_le=timezone.make_aware(
                datetime.datetime(2023, 1, 1, rng.choice([0, 9, 23]), 30)
                + datetime.timedelta(days=rng.randrange(1000))
            ),
        )
        for _ in range(40)
    ]
    inscriptions = []
    for candidat in candidats:
        for cohorte in rng.sample(cohortes, rng.choice([0, 1, 1, 2])):
            entree = cohorte.date_debut + datetime.timedelta(days=rng.choice([0, 0, 3]))
            try:
                inscriptions.append(
                    inscrire(
                        candidat=candidat,
                        cohorte=cohorte,
                        date_entree=entree,
                        today=cohorte.date_debut,
                    )
                )
            except ValidationError:
                continue
    sorties = []
    for inscription in inscriptions:
        if rng.random() < 0.3:
            continue
        fin = min(inscription.cohorte.date_fin, AUJOURD_HUI)
        abandon = rng.random() < 0.2
        date_sortie = (
            inscription.date_entree + (fin - inscription.date_entree) * rng.randint(2, 7) // 10
            if abandon
            else fin
        )
        situation, mois = rng.choice(SITUATIONS)
        debut_contrat = date_sortie + datetime.timedelta(days=1)
        sorties.append(
            enregistrer_sortie(
                inscription=inscription,
                date_sortie=date_sortie,
                motif=Sortie.Motif.ABANDON if abandon else Sortie.Motif.FIN_PARCOURS,
                situation=situation,
                employeur="Trémois",
                date_debut_contrat=debut_contrat if situation != Situation.INCONNUE else None,
                date_fin_contrat=add_months(debut_contrat, mois) if mois else None,
            )
        )
    supprimer_sorties(sorties=Sortie.objects.filter(pk__in=[s.pk for s in sorties[:2]]))
    for candidat in rng.sample(candidats, 5):
        changer_statut(candidat=candidat, statut=Candidat.Statut.PRESELECTIONNE)
    importer_candidats(
        candidats=[CandidatFactory.build(ecole_visee=douai) for _ in range(3)], auteur=None
    )
    anonymiser(candidats=Candidat.objects.filter(pk__in=[c.pk for c in candidats[:6]]))
    evenements = []
    for _ in range(6):
        un_evenement = evenement(
            rng.choice([lille, douai, arras]),
            type=rng.choice(TypeEvenement.values),
            date=D(2023, 1, 2) + datetime.timedelta(days=rng.randrange(1000)),
        )
        if rng.random() < 0.3:
            un_evenement.ecoles.add(rng.choice([lille, douai, arras]))
        evenements.append(un_evenement)
    for candidat in rng.sample(candidats, 25):
        for un_evenement in rng.sample(evenements, rng.choice([1, 1, 2])):
            Participation.objects.create(
                evenement=un_evenement,
                candidat=candidat,
                statut=rng.choice(StatutParticipation.values),
            )
    for candidat in rng.sample(candidats, 10):
        Candidat.objects.filter(pk=candidat.pk).update(evenement_source=rng.choice(evenements))
    return {"ecoles": [lille, douai, arras]}


def periodes(ecoles):
    bornes = [
        (D(2023, 1, 1), D(2026, 12, 31)),
        (D(2024, 1, 1), D(2024, 12, 31)),
        (D(2023, 3, 17), D(2025, 2, 3)),
        (timezone.localdate(), timezone.localdate()),
    ]
    filtres = [
        {},
        {"ecole": ecoles[0]},
        {"filiere": Filiere.LOGISTIQUE},
        {"ecole": ecoles[0], "filiere": Filiere.LOGISTIQUE},
        {"ecole": ecoles[2], "filiere": Filiere.MAINTENANCE},
    ]
    return [Periode(debut=d, fin=f, **filtre) for d, f in bornes for filtre in filtres]


def entonnoir_en_chiffres(periode, user):
    total, par_canal = entonnoirs(periode, user)
    return [
        (entonnoir.libelle, [etape.nombre for etape in entonnoir.etapes])
        for entonnoir in [total, *par_canal]
    ]


def entonnoir_direct(periode, user):
    noms = [nom for nom, _ in ETAPES_DE_L_ENTONNOIR]
    par_canal = direct.entonnoir_par_canal(periode, user)
    lignes = sorted(
        (CanalSourcing(canal).label, [comptes[nom] for nom in noms])
        for canal, comptes in par_canal.items()
    )
    total = [sum(comptes[nom] for comptes in par_canal.values()) for nom in noms]
    return [("Tous canaux", total), *lignes]


def entonnoir_des_evenements_en_chiffres(periode, user):
    entonnoir = entonnoir_des_evenements(periode, user)
    return [
        (ligne.libelle, ligne.evenements, [etape.nombre for etape in ligne.etapes])
        for ligne in [entonnoir.total, *entonnoir.par_type, *entonnoir.par_ecole]
    ]


def financeurs_directs(periode, user):
    sorties = periode.sorties(user)
    fin_de_vague = add_months(AUJOURD_HUI, -VAGUE)
    durables = sorties.filter(categorie=Categorie.EMPLOI_DURABLE).count()
    dynamiques = sorties.filter(categorie__in=DYNAMIQUES).count()
    attendus = sorties.filter(date_sortie__lte=fin_de_vague).count()
    return [(durables, sorties.count(), None), (dynamiques, sorties.count(), None), attendus]


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_every_figure_summed_from_the_tables_is_the_one_counted_from_the_facts(staff_user, graine):
    programme = programme_aleatoire(graine)
    # The cases the tables must get right are all there.
    assert Sortie.objects.filter(motif=Sortie.Motif.ABANDON).exists()
    assert set(Sortie.objects.values_list("categorie", flat=True)) == set(Categorie.values)
    assert Candidat.objects.filter(anonymise_le__isnull=False).exists()
    assert Inscription.objects.values("candidat").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Candidat.objects.filter(
        participations__isnull=False, parcours_agrege__en_emploi=True
    ).exists()

    for periode in periodes(programme["ecoles"]):
        assert repartitions(periode, staff_user) == direct.repartitions(periode, staff_user)
        assert entonnoir_en_chiffres(periode, staff_user) == entonnoir_direct(periode, staff_user)
        figures = indicateurs_des_financeurs(periode, staff_user, AUJOURD_HUI)
        durables, dynamiques, attendus = financeurs_directs(periode, staff_user)
        assert (figures[0].numerateur, figures[0].denominateur, figures[0].attendus) == durables
        assert (figures[1].numerateur, figures[1].denominateur, figures[1].attendus) == dynamiques
        assert figures[2].attendus == attendus
        assert entonnoir_des_evenements_en_chiffres(
            periode, staff_user
        ) == direct.entonnoir_des_evenements(periode, staff_user)


def test_people_in_two_cohorts_count_once_in_the_funnel(staff_user):
    lille = EcoleFactory(filiere=Filiere.MAINTENANCE)
    maintenance = ParcoursFactory(ecole=lille)
    logistique = ParcoursFactory(ecole=lille, filiere=Filiere.LOGISTIQUE)
    premiere = CohorteFactory(parcours=maintenance, date_debut=D(2024, 1, 8))
    seconde = CohorteFactory(parcours=logistique, date_debut=add_months(premiere.date_fin, 1))
    candidat = CandidatFactory(
        ecole_visee=lille, cree_le=timezone.make_aware(datetime.datetime(2024, 1, 2, 10))
    )
    for cohorte in (premiere, seconde):
        inscrire(
            candidat=candidat,
            cohorte=cohorte,
            date_entree=cohorte.date_debut,
            today=cohorte.date_debut,
        )
    annee = {"debut": D(2024, 1, 1), "fin": D(2024, 12, 31)}

    for filtre in ({}, {"ecole": lille}, {"filiere": Filiere.LOGISTIQUE}):
        total, _ = entonnoirs(Periode(**annee, **filtre), staff_user)
        assert [etape.nombre for etape in total.etapes] == [1, 1, 1, 0, 0]
    total, _ = entonnoirs(Periode(**annee, filiere=Filiere.USINAGE), staff_user)
    assert total.etapes[0].nombre == 0


def test_the_page_s_figures_read_the_tables_only(staff_user):
    programme_aleatoire(4)
    periode = Periode(debut=D(2023, 1, 1), fin=D(2026, 12, 31), ecole=None)

    with CaptureQueriesContext(connection) as requetes:
        repartitions(periode, staff_user)
        entonnoirs(periode, staff_user)

    tables_des_faits = ["parcours_inscription", "parcours_sortie", "candidats_candidat"]
    lues = " ".join(requete["sql"] for requete in requetes)
    assert len(requetes) == 2
    assert not [table for table in tables_des_faits if table in lues]


def lignes_des_tables():
    def lignes(modele):
        champs = [f.attname for f in modele._meta.concrete_fields if f.name != "id"]
        return sorted(modele.objects.values_list(*champs), key=repr)

    return (
        lignes(AgregatCohorteJour),
        lignes(AgregatCandidatsJour),
        lignes(ParcoursDuCandidat),
        lignes(SuiviManquant),
        lignes(SortieAttendue),
        lignes(StageSansEntreprise),
        lignes(AbsencesDuMois),
    )


def test_the_rebuild_writes_the_tables_the_services_kept(capsys):
    programme_aleatoire(5)
    tenues = lignes_des_tables()
    AgregatCohorteJour.objects.update(entrees=99)
    AgregatCandidatsJour.objects.filter(pk__in=AgregatCandidatsJour.objects.all()[:3]).delete()
    ParcoursDuCandidat.objects.filter(en_emploi=True).update(en_emploi=False)
    ParcoursDuCandidat.objects.filter(pk__in=ParcoursDuCandidat.objects.all()[:2]).delete()
    SuiviManquant.objects.filter(pk__in=SuiviManquant.objects.all()[:4]).delete()
    SortieAttendue.objects.filter(pk__in=SortieAttendue.objects.all()[:2]).delete()

    call_command("reconstruire_indicateurs")
    call_command("reconstruire_indicateurs")

    assert lignes_des_tables() == tenues
    cohortes, candidats, parcours, manquants, attendues, stages, absences = (
        len(lignes) for lignes in tenues
    )
    assert manquants
    assert attendues
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Indicateurs reconstruits : {cohortes} lignes de cohortes, "
        f"{candidats} lignes de candidats, {parcours} parcours de candidats, "
        f"{manquants} suivis manquants, {attendues} sorties attendues, "
        f"{stages} stages sans entreprise, {absences} mois d'absences non justifiées."
    )


def test_the_rebuild_of_an_empty_programme_writes_nothing(capsys):
    call_command("reconstruire_indicateurs")

    assert lignes_des_tables() == ([], [], [], [], [], [], [])
    assert "0 lignes de cohortes, 0 lignes de candidats" in capsys.readouterr().out


def test_a_rolled_back_exit_leaves_the_tables_as_they_were(staff_user):
    cohorte = CohorteFactory(date_debut=D(2024, 1, 8))
    candidat = CandidatFactory(cree_le=timezone.make_aware(datetime.datetime(2024, 1, 2, 10)))
    inscription = inscrire(
        candidat=candidat, cohorte=cohorte, date_entree=cohorte.date_debut, today=D(2024, 1, 8)
    )
    avant = lignes_des_tables()

    with pytest.raises(RuntimeError), transaction.atomic():
        enregistrer_sortie(
            inscription=inscription,
            date_sortie=cohorte.date_fin,
            motif=Sortie.Motif.FIN_PARCOURS,
            situation=Situation.CDI,
            date_debut_contrat=cohorte.date_fin + datetime.timedelta(days=1),
        )
        assert lignes_des_tables() != avant
        raise RuntimeError

    assert lignes_des_tables() == avant


def test_a_cohort_s_rows_follow_its_exits(staff_user):
    cohorte = CohorteFactory(date_debut=D(2024, 1, 8))
    inscription = inscrire(
        candidat=CandidatFactory(),
        cohorte=cohorte,
        date_entree=cohorte.date_debut,
        today=cohorte.date_debut,
    )
    sortie = enregistrer_sortie(
        inscription=inscription,
        date_sortie=cohorte.date_fin,
        motif=Sortie.Motif.FIN_PARCOURS,
        situation=Situation.CDI,
        date_debut_contrat=cohorte.date_fin + datetime.timedelta(days=1),
    )
    assert list(
        AgregatCohorteJour.objects.filter(cohorte=cohorte).values_list(
            "jour", "entrees", "sorties", "emploi_durable"
        )
    ) == [(cohorte.date_debut, 1, 0, 0), (cohorte.date_fin, 0, 1, 1)]

    supprimer_sorties(sorties=Sortie.objects.filter(pk=sortie.pk))

    assert list(
        AgregatCohorteJour.objects.filter(cohorte=cohorte).values_list("jour", "entrees", "sorties")
    ) == [(cohorte.date_debut, 1, 0)]


def test_a_candidate_created_then_edited_on_their_file_counts_in_the_funnel(
    client_staff, staff_user
):
    ecole = EcoleFactory(filiere=Filiere.LOGISTIQUE)
    client_staff.post(reverse("candidats:creer"), donnees(statut=Candidat.Statut.A_CONTACTER))
    candidat = Candidat.objects.get()
    aujourd_hui = Periode(debut=timezone.localdate(), fin=timezone.localdate())
    assert entonnoir_en_chiffres(aujourd_hui, staff_user)[0] == ("Tous canaux", [1, 0, 0, 0, 0])

    client_staff.post(
        reverse("candidats:modifier", args=[candidat.pk]),
        donnees_de(candidat, ecole_visee=ecole.pk, statut=Candidat.Statut.PRESELECTIONNE),
    )

    de_l_ecole = Periode(debut=aujourd_hui.debut, fin=aujourd_hui.fin, ecole=ecole)
    assert entonnoir_en_chiffres(de_l_ecole, staff_user) == [
        ("Tous canaux", [1, 1, 0, 0, 0]),
        ("Mission locale", [1, 1, 0, 0, 0]),
    ]


def formulaire_de_l_admin(modele, objet, user, **changements):
    """The admin's form of `objet` with `changements`, as a user would submit it."""
    admin_du_modele = admin.site._registry[modele]
    requete = RequestFactory().post("/")
    requete.user = user
    Formulaire = admin_du_modele.get_form(requete, objet, change=True)
    initial = model_to_dict(objet, fields=list(Formulaire.base_fields))
    donnees = {
        nom: [getattr(valeur, "pk", valeur) for valeur in valeur]
        if isinstance(valeur, list)
        else getattr(valeur, "pk", valeur)
        for nom, valeur in initial.items()
        if valeur is not None
    }
    formulaire = Formulaire({**donnees, **changements}, instance=objet)
    assert formulaire.is_valid(), formulaire.errors
    return admin_du_modele, requete, formulaire


@pytest.mark.parametrize("changement", ["ecole", "parcours"])
def test_a_job_family_changed_in_the_admin_counts_its_candidates_again(
    staff_user, admin_user, django_capture_on_commit_callbacks, changement
):
    programme = programme_aleatoire(2)
    lille = programme["ecoles"][0]
    if changement == "ecole":
        objet = lille
    else:
        objet = Parcours.objects.filter(ecole=lille, filiere=Filiere.LOGISTIQUE).get()
    admin_du_modele, requete, formulaire = formulaire_de_l_admin(
        type(objet), objet, admin_user, filiere=Filiere.ELECTRICITE
    )
    electricite = Periode(debut=D(2023, 1, 1), fin=D(2026, 12, 31), filiere=Filiere.ELECTRICITE)
    assert entonnoir_en_chiffres(electricite, staff_user)[0] == ("Tous canaux", [0, 0, 0, 0, 0])

    with django_capture_on_commit_callbacks(execute=True):
        admin_du_modele.save_model(requete, formulaire.save(commit=False), formulaire, True)

    assert entonnoir_en_chiffres(electricite, staff_user)[0][1][0] > 0
    for periode in [electricite, *periodes(programme["ecoles"])]:
        assert entonnoir_en_chiffres(periode, staff_user) == entonnoir_direct(periode, staff_user)


def test_a_candidate_moved_to_a_school_in_the_admin_counts_in_its_funnel(staff_user, admin_user):
    ecole = EcoleFactory(filiere=Filiere.LOGISTIQUE)
    client = Client()
    client.force_login(staff_user)
    client.post(reverse("candidats:creer"), donnees(statut=Candidat.Statut.A_CONTACTER))
    candidat = Candidat.objects.get()
    admin_du_modele, requete, formulaire = formulaire_de_l_admin(
        Candidat, candidat, admin_user, ecole_visee=ecole.pk, statut=Candidat.Statut.PRESELECTIONNE
    )

    admin_du_modele.save_model(requete, formulaire.save(commit=False), formulaire, True)

    aujourd_hui = timezone.localdate()
    de_l_ecole = Periode(debut=aujourd_hui, fin=aujourd_hui, ecole=ecole)
    assert entonnoir_en_chiffres(de_l_ecole, staff_user)[0] == ("Tous canaux", [1, 1, 0, 0, 0])
    assert candidat.history.latest().history_user == admin_user


def test_a_candidate_registered_at_an_event_counts_in_the_funnel(staff_user):
    un_evenement = evenement(EcoleFactory(), date=timezone.localdate())
    inscrire_nouveau_candidat(
        evenement=un_evenement, candidat=Candidat(nom="Martin", prenom="Inès")
    )

    aujourd_hui = Periode(debut=timezone.localdate(), fin=timezone.localdate())
    assert ("Événement ou immersion", [1, 0, 0, 0, 0]) in entonnoir_en_chiffres(
        aujourd_hui, staff_user
    )
