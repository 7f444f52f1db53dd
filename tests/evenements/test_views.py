import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from evenements.models import (
    Evenement,
    Immersion,
    Participation,
    ResultatImmersion,
    StatutParticipation,
    TypeEvenement,
)
from tests import plans
from tests.factories import (
    CandidatFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evenements:{name}", args=args)


def test_staff_creates_an_event_once_even_when_the_form_is_sent_twice(client_staff):
    ecole = EcoleFactory()
    hote = EntrepriseFactory(nom="Ampere")
    donnees = {
        "type": TypeEvenement.JOB_DATING,
        "titre": "Job dating maintenance",
        "date": "2026-03-12",
        "heure_debut": "09:00",
        "heure_fin": "12:00",
        "lieu": "Béthune",
        "organisateur": "Alliance Emploi",
        "capacite": "30",
        "ecoles": [ecole.pk],
        "entreprises_hotes": [hote.pk],
        "jeton": "a" * 32,
    }

    premiere = client_staff.post(url("creer"), donnees)
    seconde = client_staff.post(url("creer"), donnees)

    evenement = Evenement.objects.get()
    assert premiere.status_code == seconde.status_code == 302
    assert list(evenement.ecoles.all()) == [ecole]
    assert list(evenement.entreprises_hotes.all()) == [hote]
    detail = client_staff.get(url("detail", evenement.pk)).text
    assert "Job dating maintenance" in detail
    assert "jeudi 12/03/2026" in detail


def test_an_invalid_event_keeps_what_was_typed(client_staff):
    response = client_staff.post(
        url("creer"),
        {
            "type": "forum",
            "titre": "Forum de l'emploi",
            "capacite": "0",
            "heure_debut": "10:00",
            "heure_fin": "09:00",
            "date": "2026-03-12",
            "lieu": "",
            "organisateur": "X",
        },
    )

    assert response.status_code == 200
    assert "Forum de l&#x27;emploi" in response.text
    assert "Indiquez le lieu." in response.text
    assert "L&#x27;heure de fin doit suivre" in response.text
    assert not Evenement.objects.exists()


def test_list_filters(client_staff):
    ecole = EcoleFactory(ville="Douai")
    EvenementFactory(
        titre="Forum de Douai",
        type=TypeEvenement.FORUM,
        ecoles=[ecole],
        date=datetime.date(2026, 2, 1),
    )
    EvenementFactory(
        titre="Visite Ampere", type=TypeEvenement.VISITE, date=datetime.date(2026, 5, 1)
    )

    par_type = client_staff.get(url("liste"), {"type": "forum"}).text
    par_ecole = client_staff.get(url("liste"), {"ecole": ecole.pk}).text
    par_periode = client_staff.get(url("liste"), {"du": "2026-04-01"}).text
    par_recherche = client_staff.get(url("liste"), {"q": "ampere"}).text
    vide = client_staff.get(url("liste"), {"q": "introuvable"}).text

    assert "Forum de Douai" in par_type and "Visite Ampere" not in par_type
    assert "Forum de Douai" in par_ecole and "Visite Ampere" not in par_ecole
    assert "Visite Ampere" in par_periode and "Forum de Douai" not in par_periode
    assert "Visite Ampere" in par_recherche and "Forum de Douai" not in par_recherche
    assert "Aucun événement ne correspond" in vide


def test_registering_an_existing_candidate_from_the_picker(client_staff):
    evenement = EvenementFactory()
    candidat = CandidatFactory(nom="Dufresne", prenom="Hélène")

    picker = client_staff.get(url("choisir_participant", evenement.pk), {"q": "dufresne"}).text
    response = client_staff.post(url("inscrire", evenement.pk, candidat.pk))

    assert url("inscrire", evenement.pk, candidat.pk) in picker
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert participation.candidat == candidat
    assert participation.statut == StatutParticipation.INSCRIT
    # The candidate's own channel stays: they were known before the event.
    candidat.refresh_from_db()
    assert candidat.canal == CanalSourcing.FRANCE_TRAVAIL


def test_a_full_event_refuses_the_registration_with_a_message(client_staff):
    evenement = EvenementFactory(capacite=1)
    ParticipationFactory(evenement=evenement)
    candidat = CandidatFactory()

    response = client_staff.post(url("inscrire", evenement.pk, candidat.pk), follow=True)

    assert "complet" in response.text
    assert not Participation.objects.filter(candidat=candidat).exists()


def nouveau(**champs):
    return {
        "nom": "Benali",
        "prenom": "Yanis",
        "email": "yanis.benali@example.org",
        "jeton": "b" * 32,
        **champs,
    }


def test_registering_a_new_candidate_creates_them_with_the_event_as_source(client_staff):
    evenement = EvenementFactory()

    response = client_staff.post(url("nouveau_participant", evenement.pk), nouveau())
    encore = client_staff.post(url("nouveau_participant", evenement.pk), nouveau())

    assert response.status_code == encore.status_code == 302
    candidat = Candidat.objects.get(nom="Benali")
    assert candidat.canal == CanalSourcing.EVENEMENT
    assert candidat.evenement_source == evenement
    assert Participation.objects.get().candidat == candidat
    fiche = client_staff.get(reverse("candidats:detail", args=[candidat.pk])).text
    assert "Événement d'origine" in fiche
    assert evenement.titre.replace("'", "&#x27;") in fiche


def test_registering_a_likely_duplicate_asks_for_confirmation(client_staff):
    evenement = EvenementFactory()
    existant = CandidatFactory(nom="Benali", prenom="Yanis", email="yanis.benali@example.org")

    response = client_staff.post(url("nouveau_participant", evenement.pk), nouveau())

    assert response.status_code == 200
    assert "semble déjà avoir une fiche" in response.text
    assert reverse("candidats:detail", args=[existant.pk]) in response.text
    assert Candidat.objects.count() == 1
    assert not Participation.objects.exists()

    confirme = client_staff.post(
        url("nouveau_participant", evenement.pk), nouveau(confirmer_doublon="on")
    )
    assert confirme.status_code == 302
    assert Candidat.objects.count() == 2


def test_the_attendance_grid_saves_every_status_at_once(client_staff):
    evenement = EvenementFactory(date=timezone.localdate())
    present, absent = ParticipationFactory.create_batch(2, evenement=evenement)

    grille = client_staff.get(url("presences", evenement.pk)).text
    response = client_staff.post(
        url("presences", evenement.pk),
        {f"statut_{present.pk}": "present", f"statut_{absent.pk}": "absent"},
    )

    assert f'name="statut_{present.pk}"' in grille
    assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.statut, absent.statut) == ("present", "absent")
    detail = client_staff.get(url("detail", evenement.pk)).text
    assert "Présent</span>" in detail and "Absent</span>" in detail


def fichier(lignes, nom="emargement.csv"):
    contenu = "\n".join(";".join(ligne) for ligne in lignes).encode()
    return SimpleUploadedFile(nom, contenu, content_type="text/csv")


def test_an_attendance_list_with_one_bad_row_saves_nothing(client_staff):
    evenement = EvenementFactory()
    alice = ParticipationFactory(
        evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice"
    )
    ParticipationFactory(evenement=evenement, candidat__nom="Durand", candidat__prenom="Bruno")

    response = client_staff.post(
        url("import_presences", evenement.pk),
        {
            "fichier": fichier(
                [
                    ["Nom", "Prénom", "Statut"],
                    ["Martin", "Alice", "présent"],
                    ["Durand", "Bruno", "peut-être"],
                ]
            )
        },
    )

    assert "Ligne 3 : statut inconnu « peut-être »" in response.text
    assert "Rien ne sera enregistré" in response.text
    assert url("import_presences_confirmer", evenement.pk) not in response.text
    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.INSCRIT


def test_an_unknown_person_in_the_list_is_named_with_its_row(client_staff):
    evenement = EvenementFactory()
    ParticipationFactory(evenement=evenement, candidat__nom="Martin", candidat__prenom="Alice")

    response = client_staff.post(
        url("import_presences", evenement.pk),
        {
            "fichier": fichier(
                [
                    ["Nom", "Prénom", "Statut"],
                    ["Martin", "Alice", "présent"],
                    ["Inconnu", "Zoé", "absent"],
                ]
            )
        },
    )

    assert "Ligne 3 : Zoé Inconnu n&#x27;est pas inscrit·e à cet événement" in response.text


def test_a_valid_attendance_list_is_previewed_then_saved(client_staff):
    evenement = EvenementFactory()
    alice = ParticipationFactory(
        evenement=evenement,
        candidat__nom="Martin",
        candidat__prenom="Alice",
        candidat__email="alice@example.org",
    )
    bruno = ParticipationFactory(
        evenement=evenement, candidat__nom="Durand", candidat__prenom="Bruno"
    )

    apercu = client_staff.post(
        url("import_presences", evenement.pk),
        {
            "fichier": fichier(
                [
                    ["Nom", "Prénom", "E-mail", "Statut"],
                    ["MARTIN", "alice", "ALICE@example.org", "Présente"],
                    ["Durand", "Bruno", "", "excusé"],
                ]
            )
        },
    )
    alice.refresh_from_db()
    assert alice.statut == StatutParticipation.INSCRIT
    jeton = apercu.context["jeton"]

    response = client_staff.post(url("import_presences_confirmer", evenement.pk), {"jeton": jeton})
    encore = client_staff.post(
        url("import_presences_confirmer", evenement.pk), {"jeton": jeton}, follow=True
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    bruno.refresh_from_db()
    assert (alice.statut, bruno.statut) == ("present", "excuse")
    assert "déjà été importée" in encore.text


def test_deleting_an_event_asks_for_confirmation_first(client_staff):
    evenement = EvenementFactory(titre="Forum à supprimer")
    ParticipationFactory(evenement=evenement)

    confirmation = client_staff.get(url("supprimer", evenement.pk))
    assert Evenement.objects.exists()
    assert "1 participation sera" in confirmation.text or "1 participation" in confirmation.text

    client_staff.post(url("supprimer", evenement.pk))
    assert not Evenement.objects.exists()


def test_cancelling_keeps_the_event_and_marks_it(client_staff):
    evenement = EvenementFactory()

    client_staff.post(url("annuler", evenement.pk))

    evenement.refresh_from_db()
    assert evenement.est_annule
    assert "Annulé le" in client_staff.get(url("detail", evenement.pk)).text


def immersion_donnees(entreprise, debut, fin, resultat="en_cours"):
    return {
        "entreprise": entreprise.pk,
        "date_debut": debut,
        "date_fin": fin,
        "prescripteur": "France Travail",
        "reference_convention": "PMSMP-2026-001",
        "resultat": resultat,
        "jeton": "c" * 32,
    }


def test_an_immersion_beyond_one_month_is_saved_with_a_warning(client_staff):
    candidat = CandidatFactory()
    entreprise = EntrepriseFactory()

    response = client_staff.post(
        url("immersion_creer", candidat.pk),
        immersion_donnees(entreprise, "2026-03-02", "2026-04-10"),
        follow=True,
    )

    assert Immersion.objects.get().candidat == candidat
    assert "dure plus d&#x27;un mois" in response.text
    assert "plus d'un mois</span>" in response.text


def test_an_immersion_of_two_weeks_has_no_warning(client_staff):
    candidat = CandidatFactory()
    response = client_staff.post(
        url("immersion_creer", candidat.pk),
        immersion_donnees(EntrepriseFactory(), "2026-03-02", "2026-03-13"),
        follow=True,
    )

    assert Immersion.objects.exists()
    assert "plus d'un mois</span>" not in response.text
    assert "dure plus d&#x27;un mois" not in response.text


def test_a_conclusive_immersion_proposes_pre_selection_with_confirmation(client_staff):
    candidat = CandidatFactory()

    response = client_staff.post(
        url("immersion_creer", candidat.pk),
        immersion_donnees(EntrepriseFactory(), "2026-03-02", "2026-03-13", "concluante"),
    )
    immersion = Immersion.objects.get()
    assert response.url == url("preselectionner", immersion.pk)
    candidat.refresh_from_db()
    assert candidat.statut == Candidat.Statut.A_CONTACTER

    confirmation = client_staff.get(response.url).text
    client_staff.post(response.url)

    assert "passera de « À contacter » à « Présélectionné »" in confirmation
    candidat.refresh_from_db()
    assert candidat.statut == Candidat.Statut.PRESELECTIONNE


def test_the_immersion_list_filters_by_outcome(client_staff):
    ImmersionFactory(candidat__nom="Concluant", resultat=ResultatImmersion.CONCLUANTE)
    ImmersionFactory(candidat__nom="Interrompu", resultat=ResultatImmersion.INTERROMPUE)

    response = client_staff.get(url("immersions"), {"resultat": "concluante"}).text

    assert "Concluant" in response and "Interrompu " not in response


def test_the_list_counts_the_seats_each_event_s_registered_and_present_take(client_staff):
    forum = EvenementFactory(titre="Forum de Lens", capacite=30)
    for statut in ["inscrit", "present", "absent", "excuse"]:
        participation = ParticipationFactory(evenement=forum)
        Participation.objects.filter(pk=participation.pk).update(statut=statut)
    EvenementFactory(titre="Visite sans inscrit", capacite=12)

    html = client_staff.get(url("liste")).text

    def ligne(titre):
        return next(ligne for ligne in re.findall(r"<tr>.*?</tr>", html, re.S) if titre in ligne)

    assert "<td>2 / 30</td>" in ligne("Forum de Lens")
    assert "<td>0 / 12</td>" in ligne("Visite sans inscrit")


# Issue 16: an event's participants are read from the event, then sorted by name.


def test_the_participants_are_listed_by_name(client_staff):
    forum = EvenementFactory(capacite=10)
    for nom, prenom in [("Zola", "Émile"), ("Aubert", "Léo"), ("Aubert", "Ana")]:
        ParticipationFactory(evenement=forum, candidat=CandidatFactory(nom=nom, prenom=prenom))

    html = client_staff.get(url("detail", forum.pk)).text

    noms = re.findall(r'<a href="/candidats/\d+/">([^<]+)</a>', html)
    assert noms == ["Aubert Ana", "Aubert Léo", "Zola Émile"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN de PostgreSQL")
def test_postgresql_reads_an_event_s_participants_from_the_event_not_along_the_name_index(
    client_staff,
):
    autre, forum = EvenementFactory(capacite=5000), EvenementFactory(capacite=500)
    # Many names sorted before the event's participants, each at another event: along the
    # name index, every one of them would be looked up before the first participant.
    candidats = Candidat.objects.bulk_create(
        [Candidat(nom=f"A{numero:04d}", prenom="Test") for numero in range(4000)]
        + [Candidat(nom="Leblanc", prenom=f"P{numero:03d}") for numero in range(400)]
    )
    Participation.objects.bulk_create(
        Participation(
            evenement=forum if candidat.nom == "Leblanc" else autre,
            candidat=candidat,
            statut=StatutParticipation.INSCRIT,
        )
        for candidat in candidats
    )
    with CaptureQueriesContext(connection) as queries:
        client_staff.get(url("detail", forum.pk))
    (sql,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "evenements_participation"."id"')
    ]

    racine = plans.plan_of(sql, None, ["candidats_candidat", "evenements_participation"])

    lus = {noeud.get("Index Name") for noeud, _ in plans.noeuds(racine)}
    assert not lus & {"candidat_nom_idx", "candidat_liste_nom_idx"}
