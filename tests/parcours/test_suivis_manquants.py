"""Issue 16: the table of missing check-ins stays what the facts say, through every service
that writes them, and its rebuild gives the same rows."""

import datetime
import random
from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db.models import Exists, F, OuterRef, Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from parcours import echeances, services
from parcours.dates import add_months
from parcours.models import (
    Inscription,
    Niveau,
    Risque,
    Situation,
    Sortie,
    SortieAttendue,
    Stage,
    StageSansEntreprise,
    Suivi,
    SuiviManquant,
    TypePhase,
)
from tests.factories import (
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def manquants_de_la_table():
    return set(SuiviManquant.objects.values_list("inscription_id", "mois"))


def manquants_calcules(premier, dernier):
    """The direct computation: every enrollment in training during each month, without
    that month's check-in."""
    manquants = set()
    mois = premier
    while mois <= dernier:
        sans_suivi = Inscription.objects.en_formation_durant(mois).exclude(suivis__mois=mois)
        manquants |= {(pk, mois) for pk in sans_suivi.values_list("pk", flat=True)}
        mois = add_months(mois, 1)
    return manquants


def stages_sans_entreprise_de_la_table():
    return set(StageSansEntreprise.objects.values_list("inscription_id", "phase_id"))


def stages_sans_entreprise_calcules():
    """The direct computation: each internship phase of an enrollment's cohort that the
    trainee is in training for, without its internship row."""
    return set(
        Inscription.objects.filter(
            Q(sortie__isnull=True) | Q(sortie__date_sortie__gte=F("cohorte__phases__date_debut")),
            Q(cohorte__phases__date_fin__gte=F("date_entree")),
            cohorte__phases__type=TypePhase.STAGE,
        )
        .annotate(phase=F("cohorte__phases__pk"))
        .filter(~Exists(Stage.objects.filter(inscription=OuterRef("pk"), phase=OuterRef("phase"))))
        .values_list("pk", "phase")
    )


def nouveau_suivi(inscription, mois, auteur):
    return Suivi(
        inscription=inscription,
        mois=mois,
        date_entretien=timezone.localdate(),
        auteur=auteur,
        assiduite=Niveau.BON,
        progression=Niveau.BON,
        risque_decrochage=Risque.FAIBLE,
    )


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_the_table_equals_the_direct_computation_after_random_writes(graine):
    hasard = random.Random(graine)
    today = timezone.localdate()
    auteur = UserFactory()
    cohortes = [
        CohorteFactory(date_debut=today - datetime.timedelta(weeks=hasard.randint(0, 70)))
        for _ in range(4)
    ]
    inscriptions = []
    for cohorte in cohortes:
        for _ in range(hasard.randint(1, 4)):
            entree = cohorte.date_debut + datetime.timedelta(days=hasard.randint(0, 40))
            inscriptions.append(InscriptionFactory(cohorte=cohorte, date_entree=entree))
    for inscription in inscriptions:
        for mois in inscription.mois_de_suivi(today):
            if hasard.random() < 0.6:
                services.enregistrer_suivi(nouveau_suivi(inscription, mois, auteur))
    entreprise = EntrepriseFactory()
    for inscription in inscriptions:
        inscription.cohorte.parcours.ecole.entreprises_adherentes.add(entreprise)
        phases = list(inscription.cohorte.phases.filter(type=TypePhase.STAGE))
        # A host for some phases, then some of them taken back.
        for entreprises in [entreprise, None]:
            choisies = hasard.sample(phases, hasard.randint(0, len(phases)))
            services.definir_stages(
                inscription=inscription,
                entreprises_de_stage=dict.fromkeys(choisies, entreprises),
            )
    suivis = list(Suivi.objects.order_by("pk"))
    services.supprimer_suivis(
        suivis=Suivi.objects.filter(pk__in=[s.pk for s in hasard.sample(suivis, len(suivis) // 4)])
    )
    for inscription in hasard.sample(inscriptions, len(inscriptions) // 2):
        inscription.refresh_from_db()
        fin = min(inscription.cohorte.date_fin, today)
        # An exit never precedes a recorded check-in.
        debut = max([inscription.date_entree, *inscription.suivis.values_list("mois", flat=True)])
        if fin < debut:
            continue
        services.enregistrer_sortie(
            inscription=inscription,
            date_sortie=debut + datetime.timedelta(days=hasard.randint(0, (fin - debut).days)),
            motif=Sortie.Motif.ABANDON,
            situation=Situation.RECHERCHE_EMPLOI,
        )
    sorties = list(Sortie.objects.order_by("pk"))
    if sorties:
        services.supprimer_sorties(sorties=Sortie.objects.filter(pk=hasard.choice(sorties).pk))

    premier = min(c.date_debut for c in cohortes).replace(day=1)
    dernier = max(c.date_fin for c in cohortes).replace(day=1)
    attendus = manquants_calcules(premier, dernier)
    assert attendus
    assert manquants_de_la_table() == attendus

    sorties_attendues = set(
        Inscription.objects.filter(sortie__isnull=True).values_list("pk", "cohorte__date_fin")
    )
    assert set(SortieAttendue.objects.values_list("inscription_id", "fin_de_cohorte")) == (
        sorties_attendues
    )

    sans_entreprise = stages_sans_entreprise_calcules()
    assert sans_entreprise
    assert stages_sans_entreprise_de_la_table() == sans_entreprise

    echeances.reconstruire_manquants()
    assert manquants_de_la_table() == attendus
    assert stages_sans_entreprise_de_la_table() == sans_entreprise
    assert set(SortieAttendue.objects.values_list("inscription_id", "fin_de_cohorte")) == (
        sorties_attendues
    )


def test_a_check_in_saved_on_its_page_is_no_longer_missing(client_staff, today_is):
    today_is(D(2026, 12, 15))
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2026, 10, 5)))
    assert SuiviManquant.objects.filter(inscription=inscription, mois=D(2026, 10, 1)).exists()

    response = client_staff.post(
        reverse("parcours:suivi_creer", args=[inscription.pk]),
        {
            "mois": "2026-10-01",
            "date_entretien": "2026-11-03",
            "assiduite": "bon",
            "progression": "bon",
            "risque_decrochage": "faible",
        },
    )

    assert response.status_code == 302
    assert not SuiviManquant.objects.filter(inscription=inscription, mois=D(2026, 10, 1)).exists()
    assert SuiviManquant.objects.filter(inscription=inscription, mois=D(2026, 11, 1)).exists()


def test_a_check_in_moved_to_another_month_leaves_its_month_missing_again():
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2026, 1, 5)))
    suivi = SuiviFactory(inscription=inscription, mois=D(2026, 1, 1))

    suivi.mois = D(2026, 2, 1)
    services.enregistrer_suivi(suivi)

    manquants = set(
        SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True)
    )
    assert D(2026, 1, 1) in manquants
    assert D(2026, 2, 1) not in manquants


def test_a_check_in_deleted_in_the_admin_is_missing_again(admin_user):
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2026, 1, 5)))
    suivi = SuiviFactory(inscription=inscription, mois=D(2026, 1, 1))
    request = RequestFactory().post("/")
    request.user = admin_user

    site.get_model_admin(Suivi).delete_queryset(request, Suivi.objects.filter(pk=suivi.pk))

    assert SuiviManquant.objects.filter(inscription=inscription, mois=D(2026, 1, 1)).exists()


def test_an_exit_ends_the_missing_months_and_its_deletion_brings_them_back(today_is):
    today_is(D(2026, 12, 15))
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2026, 9, 7)))
    tous = set(SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True))
    assert D(2027, 1, 1) in tous

    sortie = services.enregistrer_sortie(
        inscription=inscription,
        date_sortie=D(2026, 10, 20),
        motif=Sortie.Motif.ABANDON,
        situation=Situation.RECHERCHE_EMPLOI,
    )

    assert set(
        SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True)
    ) == {D(2026, 9, 1), D(2026, 10, 1)}
    assert not SortieAttendue.objects.filter(inscription=inscription).exists()

    services.supprimer_sorties(sorties=Sortie.objects.filter(pk=sortie.pk))

    assert SortieAttendue.objects.filter(inscription=inscription).exists()
    assert (
        set(SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True))
        == tous
    )


def test_a_later_entry_date_drops_the_months_before_it():
    cohorte = CohorteFactory(date_debut=D(2026, 1, 5))
    inscription = InscriptionFactory(cohorte=cohorte)

    services.modifier_date_entree(inscription=inscription, date_entree=D(2026, 2, 2))

    mois = SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True)
    assert min(mois) == D(2026, 2, 1)


def test_a_longer_calendar_adds_its_months(today_is):
    today_is(D(2026, 1, 2))
    cohorte = CohorteFactory(date_debut=D(2026, 1, 5))
    inscription = InscriptionFactory(cohorte=cohorte)
    dernier_mois = cohorte.date_fin.replace(day=1)
    assert not SuiviManquant.objects.filter(mois__gt=dernier_mois).exists()
    phases = list(cohorte.phases.order_by("date_debut"))
    dix_semaines = datetime.timedelta(weeks=10)

    services.planifier_calendrier(
        cohorte=cohorte,
        phases=[
            services.PhasePlanifiee(
                pk=phase.pk,
                intitule=phase.intitule,
                type=phase.type,
                date_debut=phase.date_debut,
                date_fin=phase.date_fin
                + (dix_semaines if phase == phases[-1] else datetime.timedelta()),
            )
            for phase in phases
        ],
    )

    cohorte.refresh_from_db()
    assert SortieAttendue.objects.get(inscription=inscription).fin_de_cohorte == cohorte.date_fin
    assert (
        SuiviManquant.objects.filter(inscription=inscription).order_by("mois").last().mois
        == cohorte.date_fin.replace(day=1)
        > dernier_mois
    )


def test_the_rebuild_command_writes_the_missing_check_ins_of_rows_written_around_the_services():
    inscription = InscriptionFactory(cohorte=CohorteFactory(date_debut=D(2026, 1, 5)))
    SuiviManquant.objects.all().delete()
    Suivi.objects.bulk_create([nouveau_suivi(inscription, D(2026, 1, 1), UserFactory())])
    sortie = StringIO()
    call_command("reconstruire_indicateurs", stdout=sortie)

    mois = set(SuiviManquant.objects.filter(inscription=inscription).values_list("mois", flat=True))
    assert D(2026, 1, 1) not in mois
    assert D(2026, 2, 1) in mois
    assert f"{len(mois)} suivis manquants, 1 sorties attendues, " in sortie.getvalue()


def test_an_internship_deleted_in_the_admin_is_without_a_host_again(admin_user):
    stage = StageFactory()
    assert (stage.inscription_id, stage.phase_id) not in stages_sans_entreprise_de_la_table()
    request = RequestFactory().post("/")
    request.user = admin_user

    site.get_model_admin(Stage).delete_queryset(request, Stage.objects.filter(pk=stage.pk))

    assert (stage.inscription_id, stage.phase_id) in stages_sans_entreprise_de_la_table()


def test_an_exit_on_the_first_day_of_an_internship_keeps_it_without_a_host(today_is):
    cohorte = CohorteFactory(date_debut=D(2026, 1, 5))
    inscription = InscriptionFactory(cohorte=cohorte)
    premier = cohorte.phases.filter(type=TypePhase.STAGE).order_by("date_debut").first()
    today_is(premier.date_debut)

    services.enregistrer_sortie(
        inscription=inscription,
        date_sortie=premier.date_debut,
        motif=Sortie.Motif.ABANDON,
        situation=Situation.RECHERCHE_EMPLOI,
    )

    assert stages_sans_entreprise_de_la_table() == {(inscription.pk, premier.pk)}


def test_the_list_of_internships_without_a_host_shows_each_phase_not_over_once(today_is):
    cohorte = CohorteFactory(date_debut=D(2026, 1, 5))
    inscription = InscriptionFactory(cohorte=cohorte)
    calendrier = [
        services.PhasePlanifiee(
            pk=phase.pk,
            intitule=phase.intitule,
            type=phase.type,
            date_debut=phase.date_debut,
            date_fin=phase.date_fin,
        )
        for phase in cohorte.phases.order_by("date_debut")
    ]
    fin = calendrier[-1].date_fin
    # A second internship after the last phase.
    calendrier.append(
        services.PhasePlanifiee(
            intitule="Second stage",
            type=TypePhase.STAGE,
            date_debut=fin + datetime.timedelta(days=1),
            date_fin=fin + datetime.timedelta(weeks=3),
        )
    )
    services.planifier_calendrier(cohorte=cohorte, phases=calendrier)
    premier, second = cohorte.phases.filter(type=TypePhase.STAGE).order_by("date_debut")
    today_is(premier.date_fin + datetime.timedelta(days=1))

    lignes = list(
        Inscription.objects.filter(pk=inscription.pk)
        .sans_entreprise_de_stage()
        .values_list("phase_id", "phase_intitule", "phase_fin")
    )

    # The over internship is left out, and the other's row names its own phase.
    assert lignes == [(second.pk, "Second stage", second.date_fin)]
