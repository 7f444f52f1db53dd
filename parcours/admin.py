"""The admin of tracks and cohorts writes through `parcours.services`, like the staff pages.

A rule about one row is checked by the model's `clean()`, which the admin's forms run; a
rule across rows is checked by the service, called both from the form (so that a refusal
is a form error) and from `save_model` (under the lock that makes it hold).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from indicateurs.tasks import apres_changement

from . import services
from .dispositifs import ecarts_au_dispositif
from .models import (
    Cohorte,
    Dispositif,
    Inscription,
    Parcours,
    PhaseCohorte,
    PhaseModele,
    Sortie,
    Stage,
    Suivi,
)


def devenir(obj, enregistre):
    """The admin goes on with `obj` (its log, its redirect): make it the row the service
    saved."""
    obj.__dict__.update(enregistre.__dict__)


class VerifieParLeService(forms.ModelForm):
    """A model form whose instance, once the model's own rules passed, is checked by the
    service that will save it, so that a refusal shows on the form."""

    def verifier(self):
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.verifier()
        except ValidationError as error:
            self._update_errors(error)


class PhasesNumeroteesFormSet(forms.BaseInlineFormSet):
    """A phase whose "Ordre" is left empty comes after the rows above it: an administrator
    typing a track from top to bottom need not number it."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ordre"].required = False

    def clean(self):
        precedent = 0
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            ordre = form.cleaned_data.get("ordre") if hasattr(form, "cleaned_data") else None
            if ordre is None:
                ordre = precedent + 1
                form.cleaned_data["ordre"] = ordre
                form.instance.ordre = ordre
            precedent = max(precedent, ordre)
        super().clean()


class PhaseModeleInline(admin.TabularInline):
    model = PhaseModele
    formset = PhasesNumeroteesFormSet
    extra = 0


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    list_display = ["nom", "ecole", "filiere", "actif"]
    list_filter = ["filiere", "actif", "ecole"]
    search_fields = ["nom", "ecole__nom", "ecole__ville"]
    list_select_related = ["ecole"]
    autocomplete_fields = ["ecole"]
    inlines = [PhaseModeleInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"ecole", "filiere"} & set(form.changed_data):
            # The indicators count its trainees in its school and job family.
            apres_changement(parcours_id=obj.pk)


class LectureSeuleInline(admin.TabularInline):
    """Rows written by services elsewhere, shown here for reference."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PhaseCohorteInline(LectureSeuleInline):
    model = PhaseCohorte
    fields = ["ordre", "type", "intitule", "date_debut", "date_fin"]
    show_change_link = False


class InscriptionInline(LectureSeuleInline):
    model = Inscription
    fields = ["candidat", "date_entree", "statut"]


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "heures_max",
        "part_entreprise_max",
        "contrat_vise",
        "duree_min_contrat_mois",
    ]
    search_fields = ["code", "description"]

    def has_delete_permission(self, request, obj=None):
        # Cohorts refer to their scheme (PROTECT); the five schemes are the reference list.
        return False


class CohorteForm(VerifieParLeService):
    class Meta:
        model = Cohorte
        fields = ["parcours", "nom", "date_debut", "places", *services.REGLAGES_DE_COHORTE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "nom" in self.fields and self.instance.pk is None:
            self.fields["nom"].required = False
            self.fields[
                "nom"
            ].help_text = "Laissé vide, il est proposé : ville, parcours et mois de début."

    def verifier(self):
        if self.instance.pk is None:
            services.verifier_parcours(self.instance.parcours)
        else:
            services.verifier_places(self.instance, self.instance.places)


@admin.register(Cohorte)
class CohorteAdmin(SimpleHistoryAdmin):
    form = CohorteForm
    list_display = ["nom", "parcours", "date_debut", "date_fin", "places", "inscrits"]
    list_filter = ["parcours__ecole", "parcours__filiere"]
    search_fields = ["nom", "parcours__nom", "parcours__ecole__ville"]
    list_select_related = ["parcours__ecole"]
    autocomplete_fields = ["parcours"]
    date_hierarchy = "date_debut"
    inlines = [PhaseCohorteInline, InscriptionInline]

    def get_inlines(self, request, obj):
        # A new cohort's phases are laid out by the service from its track.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(inscriptions_count=Count("inscriptions"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["parcours", "nom", "date_debut", "places", *services.REGLAGES_DE_COHORTE]
        return [
            "parcours",
            "nom",
            "date_debut",
            "date_fin",
            "places",
            "calendrier",
            *services.REGLAGES_DE_COHORTE,
            "ecarts",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The calendar moves only through its own page, which checks it as a whole.
        return ["parcours", "date_debut", "date_fin", "calendrier", "ecarts"]

    @admin.display(description="écarts au dispositif")
    def ecarts(self, obj):
        ecarts = ecarts_au_dispositif(obj)
        if not ecarts:
            return "Aucun écart aux limites du dispositif." if obj.dispositif_id else "—"
        return format_html_join("\n", "<p>{}</p>", ((ecart,) for ecart in ecarts))

    @admin.display(description="inscrits", ordering="inscriptions_count")
    def inscrits(self, obj):
        return obj.inscriptions_count

    @admin.display(description="calendrier")
    def calendrier(self, obj):
        return format_html(
            '<a href="{}">Modifier le calendrier de la cohorte</a>',
            reverse("parcours:cohorte_calendrier", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if change:
            reglages = {name: getattr(obj, name) for name in services.REGLAGES_DE_COHORTE}
            devenir(
                obj,
                services.modifier_cohorte(cohorte=obj, nom=obj.nom, places=obj.places, **reglages),
            )
        else:
            devenir(obj, services.ouvrir_cohorte(obj))


@admin.register(PhaseCohorte)
class PhaseCohorteAdmin(admin.ModelAdmin):
    """Read-only: a phase moves with the whole calendar, on the cohort's calendar page."""

    list_display = ["intitule", "cohorte", "type", "date_debut", "date_fin"]
    list_filter = ["type"]
    search_fields = ["intitule", "cohorte__nom"]
    list_select_related = ["cohorte"]
    date_hierarchy = "date_debut"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    autocomplete_fields = ["phase", "entreprise", "tuteur"]


class InscriptionForm(VerifieParLeService):
    class Meta:
        model = Inscription
        fields = ["candidat", "cohorte", "date_entree"]

    def verifier(self):
        if self.instance.pk is None:
            services.verifier_inscription(
                candidat=self.instance.candidat,
                cohorte=self.instance.cohorte,
                date_entree=self.instance.date_entree,
            )
        else:
            enregistree = Inscription.objects.select_related("sortie", "cohorte").get(
                pk=self.instance.pk
            )
            services.verifier_date_entree(enregistree, self.instance.date_entree)


@admin.register(Inscription)
class InscriptionAdmin(SimpleHistoryAdmin):
    form = InscriptionForm
    list_display = ["candidat", "cohorte", "date_entree", "statut"]
    list_filter = ["statut", "cohorte__parcours__ecole"]
    search_fields = ["candidat__recherche", "cohorte__nom"]
    list_select_related = ["candidat", "cohorte"]
    autocomplete_fields = ["candidat", "cohorte"]
    date_hierarchy = "date_entree"

    def get_readonly_fields(self, request, obj=None):
        # The status follows the exit, written by the exit's services only.
        if obj is None:
            return ["statut"]
        return ["candidat", "cohorte", "statut", "creee_le", "creee_par"]

    def get_inlines(self, request, obj):
        # Internships need the enrollment's cohort: they are added once it exists.
        return [StageInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            services.modifier_date_entree(inscription=obj, date_entree=obj.date_entree)
        else:
            devenir(
                obj,
                services.inscrire(
                    candidat=obj.candidat,
                    cohorte=obj.cohorte,
                    date_entree=obj.date_entree,
                    auteur=request.user,
                ),
            )

    def save_formset(self, request, form, formset, change):
        for stage in formset.save(commit=False):
            services.enregistrer_stage(stage)
        services.supprimer_stages(stages=formset.deleted_objects)


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ["inscription", "phase", "entreprise", "tuteur", "heures_hebdomadaires"]
    list_filter = ["entreprise"]
    search_fields = ["inscription__candidat__recherche", "entreprise__nom"]
    list_select_related = [
        "inscription__candidat",
        "inscription__cohorte",
        "phase",
        "entreprise",
        "tuteur",
    ]
    autocomplete_fields = ["inscription", "phase", "entreprise", "tuteur"]

    def save_model(self, request, obj, form, change):
        services.enregistrer_stage(obj)

    def delete_model(self, request, obj):
        services.supprimer_stages(stages=[obj])

    def delete_queryset(self, request, queryset):
        services.supprimer_stages(stages=queryset)


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

    def save_model(self, request, obj, form, change):
        services.enregistrer_suivi(obj)

    def delete_model(self, request, obj):
        services.supprimer_suivis(suivis=[obj])

    def delete_queryset(self, request, queryset):
        services.supprimer_suivis(suivis=queryset)


class SortieForm(VerifieParLeService):
    class Meta:
        model = Sortie
        fields = [
            "inscription",
            "date_sortie",
            "motif",
            "situation",
            "employeur",
            "entreprise_utilisatrice",
            "date_debut_contrat",
            "date_fin_contrat",
            "commentaire",
        ]

    def verifier(self):
        services.verifier_sortie(self.instance)


@admin.register(Sortie)
class SortieAdmin(SimpleHistoryAdmin):
    form = SortieForm
    list_display = ["inscription", "date_sortie", "motif", "situation", "categorie", "employeur"]
    list_filter = ["categorie", "motif", "situation", "inscription__cohorte__parcours__ecole"]
    search_fields = ["inscription__candidat__recherche", "employeur"]
    list_select_related = ["inscription__candidat", "inscription__cohorte"]
    autocomplete_fields = ["inscription", "entreprise_utilisatrice"]
    date_hierarchy = "date_sortie"

    def get_readonly_fields(self, request, obj=None):
        return ["categorie"] if obj is None else ["inscription", "categorie"]

    def save_model(self, request, obj, form, change):
        devenir(obj, services.enregistrer_sortie(inscription=obj.inscription, sortie=obj))

    def get_deleted_objects(self, objs, request):
        # A refused deletion shows on Django's confirmation page as a protected object,
        # which makes both the delete view and the bulk action refuse it.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # `objs` is a list of one exit from the delete view, a queryset from the action.
        sorties = Sortie.objects.filter(pk__in=[sortie.pk for sortie in objs]).select_related(
            "inscription__candidat", "inscription__cohorte"
        )
        refus = [
            message for sortie in sorties if (message := services.refus_de_suppression(sortie))
        ]
        return to_delete, model_count, perms_needed, [*protected, *refus]

    def delete_model(self, request, obj):
        services.supprimer_sorties(sorties=Sortie.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.supprimer_sorties(sorties=queryset)
