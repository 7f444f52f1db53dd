"""What anonymising a person does to their tutors' evaluations (called by
`candidats.retention`): the ratings stay, the tutor's free comment and its history go."""

from .models import EvaluationDeStage


def anonymiser(*, inscription_ids):
    EvaluationDeStage.objects.filter(stage__inscription_id__in=inscription_ids).update(
        commentaire=""
    )
    EvaluationDeStage.history.filter(stage__inscription_id__in=inscription_ids).delete()
