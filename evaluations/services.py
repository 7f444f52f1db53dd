from django.db import IntegrityError, transaction

from .models import EvaluationDeStage


def enregistrer_evaluation(evaluation):
    """Save a new evaluation; False, and nothing saved, when its internship already has
    one (a second submit, or a colleague a moment before): the first one stays."""
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        if EvaluationDeStage.objects.filter(stage_id=evaluation.stage_id).exists():
            return False
        raise
    return True
