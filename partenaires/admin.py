from django.contrib import admin

from .models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """An access log: read, never written by hand."""

    list_display = ["viewed_at", "user", "cohorte", "ecole", "ip"]
    list_filter = [("cohorte__parcours__ecole", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "cohorte__parcours__ecole"]
    search_fields = ["user__username", "user__last_name", "user__email", "cohorte__nom"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="école", ordering="cohorte__parcours__ecole__nom")
    def ecole(self, consultation):
        return consultation.cohorte.parcours.ecole
