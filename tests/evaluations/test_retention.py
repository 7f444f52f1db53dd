"""Anonymising a trainee removes the tutor's free comment about them, history included."""

import pytest

from candidats.models import Candidat
from candidats.retention import anonymiser
from evaluations.models import EvaluationDeStage
from tests.evaluations.conftest import EvaluationDeStageFactory

pytestmark = pytest.mark.django_db


def test_anonymising_blanks_the_tutor_s_comment_and_keeps_the_ratings(stage_termine):
    evaluation = EvaluationDeStageFactory(stage=stage_termine, commentaire="Très motivée, Lina")
    evaluation.commentaire = "Très motivée, Lina Vasseur"
    evaluation.save()

    anonymiser(candidats=Candidat.objects.filter(pk=stage_termine.inscription.candidat_id))

    evaluation = EvaluationDeStage.objects.get()
    assert evaluation.commentaire == ""
    assert evaluation.ponctualite
    assert not EvaluationDeStage.history.filter(commentaire__contains="Lina").exists()
