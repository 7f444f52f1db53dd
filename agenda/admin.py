from django.contrib import admin, messages

from . import services
from .models import JetonCalendrier, VersionPubliee


@admin.register(JetonCalendrier)
class JetonCalendrierAdmin(admin.ModelAdmin):
    """Feeds are created on the school's page, which shows the address once; here they
    are read and revoked through the service."""

    list_display = ["libelle", "ecole", "cree_le", "cree_par", "revoque_le", "consulte_le"]
    list_filter = ["ecole", ("revoque_le", admin.EmptyFieldListFilter)]
    search_fields = ["libelle", "ecole__nom", "ecole__ville"]
    list_select_related = ["ecole", "cree_par"]
    readonly_fields = [
        "ecole",
        "libelle",
        "cree_le",
        "cree_par",
        "revoque_le",
        "revoque_par",
        "consulte_le",
    ]
    exclude = ["empreinte", "jeton_creation"]
    actions = ["revoquer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Révoquer les calendriers sélectionnés")
    def revoquer(self, request, queryset):
        revoques = sum(
            services.revoquer_calendrier(calendrier=calendrier, par=request.user)
            for calendrier in queryset
        )
        self.message_user(request, f"{revoques} calendrier(s) révoqué(s).", messages.SUCCESS)


@admin.register(VersionPubliee)
class VersionPublieeAdmin(admin.ModelAdmin):
    list_display = ["uid", "sequence", "modifiee_le"]
    search_fields = ["uid"]
    readonly_fields = ["uid", "empreinte", "sequence", "modifiee_le"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
