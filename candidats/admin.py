from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from parcours.models import Inscription

from .models import Candidat, TelechargementDonnees
from .retention import anonymiser
from .services import enregistrer_fiche


class InscriptionInline(admin.TabularInline):
    model = Inscription
    extra = 0
    fields = ["cohorte", "date_entree", "statut"]
    autocomplete_fields = ["cohorte"]
    show_change_link = True


@admin.register(Candidat)
class CandidatAdmin(SimpleHistoryAdmin):
    list_display = [
        "nom",
        "prenom",
        "statut",
        "canal",
        "ecole_visee",
        "date_dernier_contact",
        "cree_le",
    ]
    list_filter = ["statut", "canal", "ecole_visee"]
    search_fields = ["recherche", "identifiant_france_travail", "email"]
    list_select_related = ["ecole_visee"]
    autocomplete_fields = ["ecole_visee"]
    date_hierarchy = "cree_le"
    readonly_fields = ["cree_le", "modifie_le", "anonymise_le"]
    inlines = [InscriptionInline]
    actions = ["effacer_a_la_demande"]
    fieldsets = [
        ("Identité", {"fields": ["nom", "prenom", "date_naissance"]}),
        ("Contact", {"fields": ["email", "telephone", "commune", "code_postal"]}),
        (
            "Recrutement",
            {"fields": ["identifiant_france_travail", "canal", "ecole_visee", "statut", "notes"]},
        ),
        (
            "Données personnelles",
            {
                "fields": [
                    "date_consentement",
                    "date_dernier_contact",
                    "cree_le",
                    "modifie_le",
                    "anonymise_le",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        enregistrer_fiche(obj)

    @admin.action(description="Effacer les données à la demande de la personne (anonymiser)")
    def effacer_a_la_demande(self, request, queryset):
        """Right to erasure: the same anonymisation as retention, after a confirmation page."""
        if request.POST.get("confirmation") == "oui":
            total = anonymiser(candidats=queryset)
            self.message_user(
                request, f"{total} personne(s) anonymisée(s) à leur demande.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/candidats/candidat/confirmer_effacement.html",
            {
                **self.admin_site.each_context(request),
                "title": "Confirmer l'effacement",
                "candidats": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(TelechargementDonnees)
class TelechargementDonneesAdmin(admin.ModelAdmin):
    """An access log: read, never written by hand."""

    list_display = ["telecharge_le", "user", "candidat", "format"]
    list_filter = ["format"]
    list_select_related = ["user", "candidat"]
    search_fields = ["user__username", "user__last_name", "user__email", "candidat__recherche"]
    date_hierarchy = "telecharge_le"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
