import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import Suivi
from presences import services
from presences.models import Creneau, StatutPresence
from presences.services import Saisie
from tests.factories import CohorteFactory, InscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

LUNDI = datetime.date(2025, 1, 6)


def saisir_janvier(inscription, absences):
    """January 2025's half-days of `inscription`: the first `absences` unjustified, the
    rest present."""
    creneaux = Creneau.objects.filter(
        cohorte=inscription.cohorte, date__lte=datetime.date(2025, 1, 31)
    ).order_by("date", "moment")
    services.enregistrer_presences(
        cohorte=inscription.cohorte,
        saisies=[
            Saisie(
                inscription.pk,
                creneau.pk,
                StatutPresence.ABSENT_NON_JUSTIFIE if rang < absences else StatutPresence.PRESENT,
            )
            for rang, creneau in enumerate(creneaux)
        ],
        par=UserFactory(),
    )


@pytest.fixture
def inscription(db):
    return InscriptionFactory(cohorte=CohorteFactory(date_debut=LUNDI))


def formulaire(client, inscription):
    return client.get(reverse("parcours:suivi_creer", args=[inscription.pk]), {"mois": "2025-01"})


def donnees(**champs):
    return {
        "mois": "2025-01-01",
        "date_entretien": "2025-02-03",
        "participants": "Formateur",
        "assiduite": "bon",
        "progression": "bon",
        "risque_decrochage": "faible",
        "commentaire": "",
        "actions": "",
    } | champs


@pytest.mark.parametrize(
    ("absences", "niveau"),
    # January 2025 from the 6th: 20 working days, 40 half-days.
    [(0, "bon"), (2, "bon"), (3, "moyen"), (6, "moyen"), (7, "insuffisant")],
)
def test_the_check_in_attendance_is_prefilled_from_the_month_s_rate(
    client_staff, inscription, absences, niveau
):
    saisir_janvier(inscription, absences)

    form = formulaire(client_staff, inscription).context["form"]

    assert form.initial["assiduite"] == niveau
    assert "Suggérée d'après les présences de janvier 2025" in form.fields["assiduite"].help_text


def test_without_attendance_nothing_is_suggested(client_staff, inscription):
    form = formulaire(client_staff, inscription).context["form"]

    assert not form.initial.get("assiduite")
    assert "Suggérée" not in form.fields["assiduite"].help_text


def test_overriding_the_suggestion_asks_for_a_comment(client_staff, inscription):
    saisir_janvier(inscription, absences=10)
    url = reverse("parcours:suivi_creer", args=[inscription.pk])

    refus = client_staff.post(url, donnees(assiduite="bon"))
    accord = client_staff.post(url, donnees(assiduite="bon", commentaire="Absences rattrapées"))

    assert refus.status_code == 200
    assert "suggèrent une assiduité « Insuffisant » (taux de présence 75,0 %)" in refus.text
    assert accord.status_code == 302
    assert Suivi.objects.get().assiduite == "bon"


def test_the_suggested_value_needs_no_comment(client_staff, inscription):
    saisir_janvier(inscription, absences=10)

    response = client_staff.post(
        reverse("parcours:suivi_creer", args=[inscription.pk]), donnees(assiduite="insuffisant")
    )

    assert response.status_code == 302


@pytest.fixture
def aujourd_hui_le_15_janvier(monkeypatch):
    # The module is Django's `timezone`: other callers still get the date of a moment.
    jour_de = timezone.localdate
    monkeypatch.setattr(
        "presences.templatetags.presences.timezone.localdate",
        lambda valeur=None: datetime.date(2025, 1, 15) if valeur is None else jour_de(valeur),
    )


def test_the_home_page_flags_a_trainee_with_too_many_unjustified_absences(
    client_staff, inscription, aujourd_hui_le_15_janvier, settings
):
    settings.PORTAIL_ABSENCES_NON_JUSTIFIEES_ALERTE = 3
    assidu = InscriptionFactory(cohorte=inscription.cohorte, candidat__nom="Assidu")
    inscription.candidat.nom = "Absentéiste"
    inscription.candidat.save()
    saisir_janvier(inscription, absences=3)
    saisir_janvier(assidu, absences=2)

    html = client_staff.get(reverse("portail:accueil")).text

    bloc = html.split('id="absences-non-justifiees"', 1)[1].split("</article>", 1)[0]
    assert "Absentéiste" in bloc
    assert "3 demi-journées d'absence non justifiée" in bloc
    assert "Assidu" not in bloc
    assert reverse("presences:grille", args=[inscription.cohorte_id]) in bloc
