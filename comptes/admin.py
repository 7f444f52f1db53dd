from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portail.francais import quantite

from .double_facteur import reinitialiser_double_facteur
from .models import Appartenance, User


class AppartenanceInline(admin.TabularInline):
    model = Appartenance
    extra = 0
    autocomplete_fields = ["entreprise"]
    readonly_fields = ["creee_le", "desactivee_le"]
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "email",
        "role",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Rôle dans le portail", {"fields": ["role"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        ("Rôle dans le portail", {"fields": ["first_name", "last_name", "email", "role"]}),
    ]
    inlines = [AppartenanceInline]
    actions = ["reinitialiser_double_authentification"]

    @admin.action(description="Réinitialiser la double authentification")
    def reinitialiser_double_authentification(self, request, queryset):
        """A lost phone: the user enrols a new app at their next page (staff) or may (partners)."""
        for user in queryset:
            reinitialiser_double_facteur(user=user)
        self.message_user(
            request,
            f"Double authentification réinitialisée pour "
            f"{quantite(len(queryset), 'utilisateur', 'utilisateurs')} : "
            "l'application et les codes de secours sont oubliés, une nouvelle application "
            "sera enregistrée à la prochaine connexion.",
            messages.SUCCESS,
        )


@admin.register(Appartenance)
class AppartenanceAdmin(admin.ModelAdmin):
    list_display = ["user", "entreprise", "active", "creee_le", "desactivee_le"]
    list_filter = ["active", "entreprise__type"]
    search_fields = ["user__username", "user__last_name", "user__email", "entreprise__nom"]
    list_select_related = ["user", "entreprise"]
    autocomplete_fields = ["user", "entreprise"]
    readonly_fields = ["creee_le", "desactivee_le"]
    date_hierarchy = "creee_le"
    actions = ["desactiver"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Désactiver les appartenances sélectionnées")
    def desactiver(self, request, queryset):
        for appartenance in queryset.filter(active=True):
            appartenance.desactiver()
