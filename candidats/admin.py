from django.contrib import admin

from parcours.models import Inscription

from .models import Candidat


class InscriptionInline(admin.TabularInline):
    model = Inscription
    extra = 0
    fields = ["cohorte", "date_entree", "statut"]
    autocomplete_fields = ["cohorte"]
    show_change_link = True


@admin.register(Candidat)
class CandidatAdmin(admin.ModelAdmin):
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
