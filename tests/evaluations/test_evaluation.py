"""The tutor's evaluation: the host company's partners fill it, nobody else reaches it."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from comptes.models import Appartenance
from evaluations import services
from evaluations.models import (
    EvaluationDeStage,
    en_attente_d_evaluation,
    ouverture_de_l_evaluation,
    stages_du_tuteur,
)
from parcours.models import Stage
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
)

from .conftest import EvaluationDeStageFactory, il_y_a

pytestmark = pytest.mark.django_db
A_EVALUER = reverse("evaluations:a_evaluer")
REPONSES = {
    "ponctualite": "tres_satisfaisant",
    "qualite_du_travail": "satisfaisant",
    "integration": "a_ameliorer",
    "embaucherait": "peut_etre",
    "commentaire": "Très bon contact avec l'équipe de nuit.",
    "tuteur": "Nadia Caron",
}


def evaluer_url(stage):
    return reverse("evaluations:evaluer", kwargs={"pk": stage.pk})


def text_of(response):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_host_company_partner_fills_the_evaluation_of_its_trainee(
    client, tuteur_ampere, stage_termine
):
    client.force_login(tuteur_ampere)

    listed = text_of(client.get(A_EVALUER))
    response = client.post(evaluer_url(stage_termine), REPONSES, follow=True)

    assert "Hélène Lefèvre" in listed
    assert f'href="{evaluer_url(stage_termine)}"' in client.get(A_EVALUER).content.decode()
    evaluation = EvaluationDeStage.objects.get()
    assert evaluation.stage == stage_termine
    assert evaluation.saisie_par == tuteur_ampere
    assert (evaluation.ponctualite, evaluation.embaucherait) == ("tres_satisfaisant", "peut_etre")
    assert evaluation.tuteur == "Nadia Caron"
    assert "Évaluation d'Hélène Lefèvre enregistrée." in text_of(response)
    assert "Aucun stage à évaluer" in text_of(response)


def test_the_evaluation_is_kept_in_the_history_with_its_author(
    client, tuteur_ampere, stage_termine
):
    client.force_login(tuteur_ampere)

    client.post(evaluer_url(stage_termine), REPONSES)

    [entree] = EvaluationDeStage.history.all()
    assert entree.history_type == "+"
    assert entree.history_user == tuteur_ampere


def test_every_question_needs_an_answer(client, tuteur_ampere, stage_termine):
    client.force_login(tuteur_ampere)

    response = client.post(evaluer_url(stage_termine), {**REPONSES, "ponctualite": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["ponctualite"]
    assert not EvaluationDeStage.objects.exists()


@pytest.mark.parametrize(
    "partenaire", ["partenaire_mahle", "partenaire_greta", "partenaire_autre_ecole"]
)
def test_a_partner_of_another_organisation_gets_404_and_does_not_see_it(
    client, request, stage_termine, partenaire
):
    if partenaire == "partenaire_autre_ecole":
        autre = EntrepriseFactory(nom="Big Ben")
        EcoleFactory(entreprises_adherentes=[autre])
        user = PartenaireFactory(appartenance__entreprise=autre)
    else:
        user = request.getfixturevalue(partenaire)
    client.force_login(user)

    assert client.get(evaluer_url(stage_termine)).status_code == 404
    assert client.post(evaluer_url(stage_termine), REPONSES).status_code == 404
    assert "Lefèvre" not in text_of(client.get(A_EVALUER))
    assert not EvaluationDeStage.objects.exists()


def test_a_deactivated_membership_reaches_the_evaluation_no_more(
    client, tuteur_ampere, stage_termine, mahle
):
    Appartenance.objects.get(user=tuteur_ampere).desactiver()
    # Now with Mahle, a member of the same school: the school stays in sight, not Ampere's
    # internships.
    Appartenance.objects.create(user=tuteur_ampere, entreprise=mahle)
    client.force_login(tuteur_ampere)

    assert client.get(evaluer_url(stage_termine)).status_code == 404
    assert "Lefèvre" not in text_of(client.get(A_EVALUER))


def test_staff_and_strangers_evaluate_nothing(equipe, stage_termine):
    assert not stages_du_tuteur(equipe).exists()
    assert not stages_du_tuteur(AnonymousUser()).exists()


def test_a_company_that_left_the_school_no_longer_reaches_its_internships(
    client, tuteur_ampere, stage_termine, ecole, ampere
):
    """The school's pages close to the company, and its internships with them."""
    ecole.entreprises_adherentes.remove(ampere)
    client.force_login(tuteur_ampere)

    assert client.get(evaluer_url(stage_termine)).status_code == 404


def test_a_second_submit_saves_one_evaluation_and_says_so(client, tuteur_ampere, stage_termine):
    client.force_login(tuteur_ampere)
    client.post(evaluer_url(stage_termine), REPONSES)

    response = client.post(
        evaluer_url(stage_termine), {**REPONSES, "embaucherait": "non"}, follow=True
    )

    assert EvaluationDeStage.objects.count() == 1
    assert EvaluationDeStage.objects.get().embaucherait == "peut_etre"
    text = text_of(response)
    assert "Ce stage avait déjà été évalué : l'évaluation n'a pas été enregistrée" in text
    assert "L'embaucheriez-vous ? Peut-être" in text
    assert "form" not in response.context


def test_an_evaluation_saved_by_a_colleague_a_moment_before_stays(stage_termine, tuteur_ampere):
    """Two tutors submitting at once: the database keeps one, the second is told."""
    premiere = EvaluationDeStageFactory(stage=stage_termine, embaucherait="oui")
    seconde = EvaluationDeStage(
        stage=stage_termine, saisie_par=tuteur_ampere, tuteur="Autre", embaucherait="non"
    )
    seconde.ponctualite = seconde.qualite_du_travail = seconde.integration = "insuffisant"

    assert services.enregistrer_evaluation(seconde) is False
    assert list(EvaluationDeStage.objects.all()) == [premiere]


def test_the_database_holds_one_evaluation_per_internship(stage_termine):
    EvaluationDeStageFactory(stage=stage_termine)

    with pytest.raises(IntegrityError):
        EvaluationDeStageFactory(stage=stage_termine)


def test_an_evaluated_internship_leaves_the_list_and_shows_what_was_said(
    client, tuteur_ampere, stage_termine
):
    EvaluationDeStageFactory(stage=stage_termine, tuteur="Nadia Caron")
    client.force_login(tuteur_ampere)

    liste = text_of(client.get(A_EVALUER))
    page = text_of(client.get(evaluer_url(stage_termine)))

    assert "Aucun stage à évaluer" in liste
    assert "Dernières évaluations enregistrées" in liste
    assert "Hélène Lefèvre" in liste
    assert "Ponctualité Très satisfaisant" in page
    assert "Intégration dans l'équipe À améliorer" in page


def test_the_form_opens_a_week_before_the_end_of_the_internship(
    client, tuteur_ampere, ecole, ampere
):
    """A cohort started today: its internship is weeks away."""
    cohorte = CohorteFactory(parcours__ecole=ecole, date_debut=timezone.localdate())
    stage = StageFactory(inscription=InscriptionFactory(cohorte=cohorte), entreprise=ampere)
    client.force_login(tuteur_ampere)

    response = client.get(evaluer_url(stage))
    client.post(evaluer_url(stage), REPONSES)

    ouverture = stage.phase.date_fin - datetime.timedelta(days=7)
    assert response.status_code == 200
    assert f"L'évaluation de ce stage s'ouvre le {ouverture:%d/%m/%Y}" in text_of(response)
    assert "form" not in response.context
    assert not EvaluationDeStage.objects.exists()
    assert "Aucun stage à évaluer" in text_of(client.get(A_EVALUER))


def test_the_opening_day_is_the_same_in_python_and_in_sql(tuteur_ampere, stage_termine):
    fin = stage_termine.phase.date_fin
    ouverture = ouverture_de_l_evaluation(fin)
    stages = stages_du_tuteur(tuteur_ampere)

    assert ouverture == fin - datetime.timedelta(days=7)
    assert not en_attente_d_evaluation(stages, ouverture - datetime.timedelta(days=1)).exists()
    assert en_attente_d_evaluation(stages, ouverture).get() == stage_termine
    assert en_attente_d_evaluation(stages, fin + datetime.timedelta(days=300)).exists()


def test_an_internship_the_trainee_left_before_it_began_is_not_evaluated(
    client, tuteur_ampere, ecole, ampere
):
    cohorte = CohorteFactory(parcours__ecole=ecole, date_debut=il_y_a(30))
    inscription = InscriptionFactory(cohorte=cohorte)
    stage = StageFactory(inscription=inscription, entreprise=ampere)
    SortieFactory(
        inscription=inscription,
        motif="abandon",
        date_sortie=stage.phase.date_debut - datetime.timedelta(days=1),
    )
    client.force_login(tuteur_ampere)

    assert client.get(evaluer_url(stage)).status_code == 404
    assert not stages_du_tuteur(tuteur_ampere).exists()


def test_a_trainee_who_left_during_the_internship_is_evaluated(tuteur_ampere, stage_termine):
    SortieFactory(
        inscription=stage_termine.inscription,
        motif="abandon",
        date_sortie=stage_termine.phase.date_debut,
    )

    assert list(stages_du_tuteur(tuteur_ampere)) == [Stage.objects.get()]


def test_the_partner_page_never_fetches_contact_details(
    client, tuteur_ampere, stage_termine, django_assert_max_num_queries
):
    client.force_login(tuteur_ampere)

    with django_assert_max_num_queries(20) as captured:
        client.get(A_EVALUER)
        client.get(evaluer_url(stage_termine))

    sql = " ".join(query["sql"] for query in captured.captured_queries)
    for column in ["telephone", "email", "date_naissance", "commune", "notes"]:
        assert f'"candidats_candidat"."{column}"' not in sql


def test_the_partner_home_page_links_to_the_evaluations(client, tuteur_ampere, stage_termine):
    client.force_login(tuteur_ampere)

    html = client.get(reverse("partenaires:ecoles")).content.decode()

    assert f'href="{A_EVALUER}"' in html


def test_staff_see_the_evaluation_on_the_trainee_page(client_staff, stage_termine):
    EvaluationDeStageFactory(stage=stage_termine, commentaire="Très autonome.")

    response = client_staff.get(
        reverse("candidats:detail", kwargs={"pk": stage_termine.inscription.candidat_id})
    )

    text = text_of(response)
    assert "Évaluation du tuteur Nadia Caron, saisie le" in text
    assert "Ponctualité Très satisfaisant" in text
    assert "Qualité du travail Satisfaisant" in text
    assert "L'embaucherait Oui" in text
    assert "Très autonome." in text


def test_the_trainee_page_says_when_no_evaluation_is_in(client_staff, stage_termine):
    response = client_staff.get(
        reverse("candidats:detail", kwargs={"pk": stage_termine.inscription.candidat_id})
    )

    assert "Pas encore d'évaluation du tuteur." in text_of(response)


def test_staff_list_the_evaluations_still_awaited(client_staff, stage_termine, ecole, ampere):
    evalue = StageFactory(
        inscription=InscriptionFactory(cohorte=stage_termine.inscription.cohorte),
        entreprise=ampere,
    )
    EvaluationDeStageFactory(stage=evalue)

    response = client_staff.get(reverse("evaluations:en_attente"))

    assert [stage.pk for stage in response.context["page_obj"]] == [stage_termine.pk]
    assert "1 évaluation en attente" in text_of(response)
    assert f'href="{reverse("entreprises:detail", kwargs={"pk": ampere.pk})}"' in (
        response.content.decode()
    )
