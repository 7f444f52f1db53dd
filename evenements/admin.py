"""The admin of events and immersions writes through `evenements.services`."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Evenement, Immersion, Participation


class ParticipationInline(admin.TabularInline):
    """Participants are registered from the event's staff page, where seats are counted."""

    model = Participation
    fields = ["candidat", "statut", "inscrit_le"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvenementAdminForm(forms.ModelForm):
    class Meta:
        model = Evenement
        fields = [
            "type",
            "titre",
            "date",
            "heure_debut",
            "heure_fin",
            "lieu",
            "ecoles",
            "entreprises_hotes",
            "organisateur",
            "capacite",
        ]

    def clean(self):
        cleaned_data = super().clean()
        capacite = cleaned_data.get("capacite")
        if self.instance.pk and capacite is not None:
            prises = self.instance.participations.occupant_une_place().count()
            if capacite < prises:
                raise ValidationError(
                    {"capacite": f"{prises} participants occupent déjà une place."}
                )
        return cleaned_data


@admin.register(Evenement)
class EvenementAdmin(SimpleHistoryAdmin):
    form = EvenementAdminForm
    list_display = ["titre", "type", "date", "lieu", "capacite", "annule_le"]
    list_filter = ["type", "ecoles"]
    search_fields = ["titre", "lieu", "organisateur"]
    date_hierarchy = "date"
    filter_horizontal = ["ecoles", "entreprises_hotes"]
    inlines = [ParticipationInline]

    def save_model(self, request, obj, form, change):
        champs = {
            "ecoles": form.cleaned_data.get("ecoles", []),
            "entreprises_hotes": form.cleaned_data.get("entreprises_hotes", []),
        }
        if change:
            services.modifier_evenement(evenement=obj, **champs)
        else:
            services.creer_evenement(evenement=obj, **champs)

    def save_related(self, request, form, formsets, change):
        # The schools and host companies were saved by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.supprimer_evenement(evenement=obj)

    def delete_queryset(self, request, queryset):
        for evenement in queryset:
            services.supprimer_evenement(evenement=evenement)


@admin.register(Immersion)
class ImmersionAdmin(SimpleHistoryAdmin):
    list_display = ["candidat", "entreprise", "date_debut", "date_fin", "resultat"]
    list_filter = ["resultat"]
    search_fields = ["candidat__nom", "candidat__prenom", "reference_convention"]
    list_select_related = ["candidat", "entreprise"]
    raw_id_fields = ["candidat"]
    date_hierarchy = "date_debut"

    def save_model(self, request, obj, form, change):
        services.enregistrer_immersion(immersion=obj)
