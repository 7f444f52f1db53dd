"""The admin of half-days and attendance writes through `presences.services`.

Half-days come from the calendar (no adding or deleting here): a half-day's place, trainer
and hours are set by `modifier_creneau`; an attendance is corrected by
`enregistrer_presences`, which asks for a reason in a locked week.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Creneau, Presence, SemaineVerrouillee, StatutPresence


class PresenceInline(admin.TabularInline):
    model = Presence
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["inscription", "statut", "minutes_retard", "motif", "heures_realisees", "saisie_par"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CreneauForm(forms.ModelForm):
    class Meta:
        model = Creneau
        fields = ["lieu", "formateur", "heures_prevues"]


@admin.register(Creneau)
class CreneauAdmin(admin.ModelAdmin):
    form = CreneauForm
    list_display = ["__str__", "cohorte", "type", "heures_prevues", "lieu", "formateur"]
    list_filter = ["type", "moment"]
    search_fields = ["cohorte__nom"]
    date_hierarchy = "date"
    list_select_related = ["cohorte"]
    readonly_fields = ["cohorte", "phase", "type", "date", "moment"]
    fields = ["cohorte", "phase", "type", "date", "moment", "heures_prevues", "lieu", "formateur"]
    inlines = [PresenceInline]
    actions = ["recalculer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        creneau = services.modifier_creneau(
            creneau=obj,
            lieu=form.cleaned_data["lieu"],
            formateur=form.cleaned_data["formateur"],
            heures_prevues=form.cleaned_data["heures_prevues"],
        )
        obj.__dict__.update(creneau.__dict__)

    @admin.action(description="Recalculer les demi-journées de leurs cohortes")
    def recalculer(self, request, queryset):
        for cohorte in {creneau.cohorte for creneau in queryset.select_related("cohorte")}:
            rapport = services.generer_creneaux(cohorte)
            self.message_user(
                request,
                f"{cohorte} : {rapport.crees} créée(s), {rapport.modifies} déplacée(s), "
                f"{rapport.supprimes} supprimée(s).",
            )
            for message in rapport.messages:
                self.message_user(request, message, level=messages.WARNING)


class PresenceForm(forms.ModelForm):
    statut = forms.ChoiceField(
        label="présence", choices=[(s.value, s.label) for s in services.STATUTS_SAISISSABLES]
    )

    class Meta:
        model = Presence
        fields = ["statut", "minutes_retard", "motif", "motif_correction"]

    def clean(self):
        cleaned_data = super().clean()
        creneau = self.instance.creneau
        erreurs = services.erreurs_de_saisie(
            cleaned_data.get("statut"),
            cleaned_data.get("minutes_retard"),
            cleaned_data.get("motif") or "",
            creneau.heures_prevues,
        )
        if (
            services.semaine_verrouillee(creneau.cohorte_id, creneau.date)
            and not (cleaned_data.get("motif_correction") or "").strip()
        ):
            erreurs["motif_correction"] = (
                "Cette semaine est verrouillée par sa feuille signée : indiquez le motif."
            )
        if erreurs:
            raise ValidationError(erreurs)
        return cleaned_data


@admin.register(Presence)
class PresenceAdmin(SimpleHistoryAdmin):
    form = PresenceForm
    list_display = ["creneau", "inscription", "statut", "heures_realisees", "saisie_par"]
    list_filter = ["statut"]
    search_fields = ["inscription__candidat__nom", "inscription__cohorte__nom"]
    list_select_related = ["creneau", "inscription__candidat", "inscription__cohorte", "saisie_par"]
    readonly_fields = ["creneau", "inscription", "heures_realisees", "saisie_par", "saisie_le"]
    raw_id_fields = ["creneau", "inscription"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.statut == StatutPresence.NON_APPLICABLE:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.enregistrer_presences(
            cohorte=obj.creneau.cohorte,
            saisies=[
                services.Saisie(
                    inscription_id=obj.inscription_id,
                    creneau_id=obj.creneau_id,
                    statut=form.cleaned_data["statut"],
                    minutes_retard=form.cleaned_data["minutes_retard"],
                    motif=form.cleaned_data["motif"],
                )
            ],
            par=request.user,
            motif_correction=form.cleaned_data["motif_correction"],
        )
        obj.refresh_from_db()


@admin.register(SemaineVerrouillee)
class SemaineVerrouilleeAdmin(admin.ModelAdmin):
    list_display = ["cohorte", "lundi", "verrouillee_le", "verrouillee_par"]
    list_select_related = ["cohorte", "verrouillee_par"]
    search_fields = ["cohorte__nom"]
    readonly_fields = ["cohorte", "lundi", "verrouillee_le", "verrouillee_par"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
