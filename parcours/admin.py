from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from .models import Cohorte, Inscription, Parcours, PhaseCohorte, PhaseModele, Sortie, Stage, Suivi
from .services import supprimer_sorties


class PhaseModeleInline(admin.TabularInline):
    model = PhaseModele
    extra = 0


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    list_display = ["nom", "ecole", "filiere", "actif"]
    list_filter = ["filiere", "actif", "ecole"]
    search_fields = ["nom", "ecole__nom", "ecole__ville"]
    list_select_related = ["ecole"]
    autocomplete_fields = ["ecole"]
    inlines = [PhaseModeleInline]


class PhaseCohorteInline(admin.TabularInline):
    model = PhaseCohorte
    extra = 0


class InscriptionInline(admin.TabularInline):
    model = Inscription
    extra = 0
    fields = ["candidat", "date_entree", "statut"]
    autocomplete_fields = ["candidat"]
    show_change_link = True


@admin.register(Cohorte)
class CohorteAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "parcours", "date_debut", "date_fin", "places", "inscrits"]
    list_filter = ["parcours__ecole", "parcours__filiere"]
    search_fields = ["nom", "parcours__nom", "parcours__ecole__ville"]
    list_select_related = ["parcours__ecole"]
    autocomplete_fields = ["parcours"]
    date_hierarchy = "date_debut"
    inlines = [PhaseCohorteInline, InscriptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(inscriptions_count=Count("inscriptions"))

    @admin.display(description="inscrits", ordering="inscriptions_count")
    def inscrits(self, obj):
        return obj.inscriptions_count


@admin.register(PhaseCohorte)
class PhaseCohorteAdmin(admin.ModelAdmin):
    list_display = ["intitule", "cohorte", "type", "date_debut", "date_fin"]
    list_filter = ["type"]
    search_fields = ["intitule", "cohorte__nom"]
    list_select_related = ["cohorte"]
    autocomplete_fields = ["cohorte"]
    date_hierarchy = "date_debut"


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    autocomplete_fields = ["phase", "entreprise"]


@admin.register(Inscription)
class InscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["candidat", "cohorte", "date_entree", "statut"]
    list_filter = ["statut", "cohorte__parcours__ecole"]
    search_fields = ["candidat__recherche", "cohorte__nom"]
    list_select_related = ["candidat", "cohorte"]
    autocomplete_fields = ["candidat", "cohorte"]
    date_hierarchy = "date_entree"
    readonly_fields = ["creee_le", "creee_par"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ["inscription", "phase", "entreprise"]
    list_filter = ["entreprise"]
    search_fields = ["inscription__candidat__recherche", "entreprise__nom"]
    list_select_related = ["inscription__candidat", "inscription__cohorte", "phase", "entreprise"]
    autocomplete_fields = ["inscription", "phase", "entreprise"]


@admin.register(Suivi)
class SuiviAdmin(SimpleHistoryAdmin):
    list_display = [
        "inscription",
        "mois",
        "date_entretien",
        "assiduite",
        "progression",
        "risque_decrochage",
        "auteur",
    ]
    list_filter = [
        "assiduite",
        "progression",
        "risque_decrochage",
        "inscription__cohorte__parcours__ecole",
    ]
    search_fields = ["inscription__candidat__recherche", "inscription__cohorte__nom"]
    list_select_related = ["inscription__candidat", "inscription__cohorte", "auteur"]
    autocomplete_fields = ["inscription", "auteur"]
    date_hierarchy = "mois"


@admin.register(Sortie)
class SortieAdmin(SimpleHistoryAdmin):
    list_display = ["inscription", "date_sortie", "motif", "situation", "categorie", "employeur"]
    list_filter = ["categorie", "motif", "situation", "inscription__cohorte__parcours__ecole"]
    search_fields = ["inscription__candidat__recherche", "employeur"]
    list_select_related = ["inscription__candidat", "inscription__cohorte"]
    autocomplete_fields = ["inscription", "entreprise_utilisatrice"]
    readonly_fields = ["categorie"]
    date_hierarchy = "date_sortie"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Inscription.objects.filter(pk=obj.inscription_id).update(statut=Inscription.Statut.SORTIE)

    def delete_model(self, request, obj):
        supprimer_sorties(sorties=Sortie.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        supprimer_sorties(sorties=queryset)
