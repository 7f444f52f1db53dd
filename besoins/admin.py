"""The admin of needs and assignments writes through `besoins.services`, like the pages.

The state and the hires are derived or moved by the services only: read-only here, with
actions that call them.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from parcours.admin import VerifieParLeService, devenir
from parcours.dates import first_of_month

from . import services
from .models import AffectationBesoin, Besoin


class BesoinForm(VerifieParLeService):
    class Meta:
        model = Besoin
        fields = [
            "entreprise",
            "ecole",
            "metier",
            "filiere",
            "postes",
            "contrat",
            "mois_embauche",
            "site",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "filiere" in self.fields:
            self.fields["filiere"].required = False
            self.fields["filiere"].help_text = "Laissée vide : celle de l'école."

    def clean_mois_embauche(self):
        mois = self.cleaned_data["mois_embauche"]
        return first_of_month(mois) if mois else mois

    def _post_clean(self):
        # The state and its date are the services' business; a new need starts stated.
        if self.instance.pk is None:
            self.instance.etat_modifie_le = self.instance.cree_le
        super()._post_clean()

    def verifier(self):
        services.verifier_besoin(self.instance)
        if self.instance.pk is not None:
            affectes = services.postes_affectes(self.instance)
            if self.instance.postes < affectes:
                raise ValidationError(
                    {"postes": f"{affectes} postes sont affectés à des cohortes : pas moins."}
                )


class AffectationInline(admin.TabularInline):
    model = AffectationBesoin
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["cohorte", "postes"]
    readonly_fields = ["cohorte", "postes"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Besoin)
class BesoinAdmin(SimpleHistoryAdmin):
    form = BesoinForm
    list_display = [
        "metier",
        "entreprise",
        "ecole",
        "postes",
        "contrat",
        "mois_embauche",
        "etat",
        "embauches",
        "etat_modifie_le",
    ]
    list_filter = ["etat", "contrat", "ecole", "entreprise"]
    search_fields = ["metier", "entreprise__nom", "ecole__nom", "ecole__ville", "site"]
    list_select_related = ["entreprise", "ecole"]
    autocomplete_fields = ["entreprise", "ecole"]
    date_hierarchy = "mois_embauche"
    inlines = [AffectationInline]
    actions = ["valider", "annuler"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "entreprise",
            "ecole",
            "etat",
            "etat_modifie_le",
            "valide_le",
            "couvert_le",
            "embauches",
            "cree_le",
        ]

    def has_change_permission(self, request, obj=None):
        # A covered or cancelled need is read-only, as on the staff's pages.
        if obj is not None and not obj.modifiable:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:
            return BesoinForm.Meta.fields
        return [
            *BesoinForm.Meta.fields,
            "etat",
            "etat_modifie_le",
            "valide_le",
            "couvert_le",
            "embauches",
            "cree_le",
        ]

    def has_delete_permission(self, request, obj=None):
        # A need is cancelled, never deleted: its history and hires stay readable.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            champs = {
                name: form.cleaned_data[name]
                for name in services.CHAMPS_MODIFIABLES
                if name in form.cleaned_data
            }
            devenir(obj, services.modifier_besoin(besoin=obj, **champs))
        else:
            besoin, _ = services.exprimer_besoin(
                entreprise=obj.entreprise,
                ecole=obj.ecole,
                metier=obj.metier,
                filiere=obj.filiere,
                postes=obj.postes,
                contrat=obj.contrat,
                mois_embauche=obj.mois_embauche,
                site=obj.site,
                auteur=request.user,
            )
            devenir(obj, besoin)

    def _appliquer(self, request, queryset, service, reussite):
        faits, refus = 0, []
        for besoin in queryset:
            try:
                service(besoin=besoin)
            except ValidationError as error:
                refus.append(f"{besoin} : {' '.join(error.messages)}")
            else:
                faits += 1
        if faits:
            self.message_user(request, reussite.format(faits), messages.SUCCESS)
        for message in refus:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Valider les besoins sélectionnés")
    def valider(self, request, queryset):
        self._appliquer(request, queryset, services.valider_besoin, "{} besoin(s) validé(s).")

    @admin.action(description="Annuler les besoins sélectionnés")
    def annuler(self, request, queryset):
        self._appliquer(request, queryset, services.annuler_besoin, "{} besoin(s) annulé(s).")


class AffectationForm(VerifieParLeService):
    class Meta:
        model = AffectationBesoin
        fields = ["besoin", "cohorte", "postes"]

    def verifier(self):
        affectation = self.instance
        existante = (
            AffectationBesoin.objects.filter(
                besoin=affectation.besoin_id, cohorte=affectation.cohorte_id
            ).first()
            if affectation.pk is None
            else affectation
        )
        services.verifier_affectation(
            besoin=affectation.besoin,
            cohorte=affectation.cohorte,
            postes=affectation.postes,
            exclure=existante,
        )


@admin.register(AffectationBesoin)
class AffectationBesoinAdmin(SimpleHistoryAdmin):
    form = AffectationForm
    list_display = ["besoin", "cohorte", "postes", "cree_le"]
    list_filter = ["cohorte__parcours__ecole"]
    search_fields = ["besoin__metier", "besoin__entreprise__nom", "cohorte__nom"]
    list_select_related = ["besoin__entreprise", "cohorte"]
    autocomplete_fields = ["besoin", "cohorte"]

    def get_readonly_fields(self, request, obj=None):
        # Another cohort or need is another assignment: remove this one, add that one.
        return ["besoin", "cohorte"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        devenir(
            obj,
            services.affecter_cohorte(besoin=obj.besoin, cohorte=obj.cohorte, postes=obj.postes),
        )

    def delete_model(self, request, obj):
        services.retirer_affectation(affectation=obj)

    def delete_queryset(self, request, queryset):
        for affectation in queryset:
            services.retirer_affectation(affectation=affectation)
