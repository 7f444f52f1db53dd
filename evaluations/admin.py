from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvaluationDeStage


@admin.register(EvaluationDeStage)
class EvaluationDeStageAdmin(SimpleHistoryAdmin):
    """Read-only: the tutor writes the evaluation, from the partner pages."""

    list_display = ["stage", "tuteur", "embaucherait", "saisie_par", "saisie_le"]
    list_filter = ["embaucherait"]
    search_fields = ["stage__inscription__candidat__recherche", "stage__entreprise__nom"]
    list_select_related = [
        "stage__inscription__candidat",
        "stage__phase",
        "stage__entreprise",
        "saisie_par",
    ]
    date_hierarchy = "saisie_le"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
