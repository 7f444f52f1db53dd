import datetime
from decimal import Decimal

from django import forms
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import format_html

from entreprises.models import Contact, Entreprise
from portail.forms import DateBornee
from portail.francais import de
from presences.services import assiduite_suggeree, taux_en_francais

from .dates import nom_du_mois
from .models import (
    Cohorte,
    Dispositif,
    Situation,
    Sortie,
    Stage,
    Suivi,
    TypePhase,
    refus_du_tuteur,
)
from .services import Convention, PhasePlanifiee


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoisForm(forms.Form):
    """`?mois=YYYY-MM`, a month of the portal's dates."""

    mois = DateBornee(input_formats=["%Y-%m"], required=False)


class ChampsObligatoires:
    """Required fields say so to assistive technologies, as their asterisk (the
    `parcours/_champ.html` partial) does to the eye: a select whose first option is a
    real choice gets no `required` attribute from Django."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"


class RechercheCandidatForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)

    def clean_q(self):
        # One letter would match nearly every candidate of the region.
        q = self.cleaned_data["q"]
        if len(q) == 1:
            raise forms.ValidationError("Saisissez au moins deux caractères pour rechercher.")
        return q


class ChampsDeStage:
    """One host-company choice per internship phase, among the school's member companies.

    The companies are read once for all the phases, so the form costs one query however
    many internships the track holds.
    """

    def ajouter_champs_de_stage(self, cohorte, phases_de_stage, initial=None):
        self.phases_de_stage = phases_de_stage
        self.entreprises_proposees = {
            str(entreprise.pk): entreprise
            for entreprise in cohorte.parcours.ecole.entreprises_adherentes.order_by("nom")
        }
        choices = [("", "À définir plus tard")] + [
            (pk, str(entreprise)) for pk, entreprise in self.entreprises_proposees.items()
        ]
        for phase in phases_de_stage:
            self.fields[self.nom_du_champ(phase)] = forms.ChoiceField(
                label=(
                    f"Entreprise d'accueil — {phase.intitule} "
                    f"(du {phase.date_debut:%d/%m/%Y} au {phase.date_fin:%d/%m/%Y})"
                ),
                choices=choices,
                required=False,
                initial=(initial or {}).get(phase.pk),
            )

    @staticmethod
    def nom_du_champ(phase):
        return f"stage_{phase.pk}"

    def entreprises_choisies(self):
        """Each internship phase and its chosen host company, or None."""
        return {
            phase: self.entreprises_proposees.get(self.cleaned_data.get(self.nom_du_champ(phase)))
            for phase in self.phases_de_stage
        }

    def entreprises_de_stage(self):
        """The chosen host companies, as `services.inscrire` expects them."""
        return {phase: choix for phase, choix in self.entreprises_choisies().items() if choix}


def phase_du(phases, day):
    """The phase of `phases` under way on `day`, or None."""
    if day is None:
        return None
    return next((phase for phase in phases if phase.date_debut <= day <= phase.date_fin), None)


class InscriptionForm(ChampsObligatoires, ChampsDeStage, forms.Form):
    """Entry date, and the host company of each internship phase of the cohort.

    A trainee who joins during an internship is told, beside that internship's field,
    that without a host company it waits in "Stages sans entreprise".
    """

    date_entree = DateBornee(label="Date d'entrée")

    def __init__(self, *args, cohorte, phases_de_stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.ajouter_champs_de_stage(cohorte, phases_de_stage)
        self.stage_a_l_entree = phase_du(phases_de_stage, self.initial.get("date_entree"))
        if self.stage_a_l_entree:
            self.fields[self.nom_du_champ(self.stage_a_l_entree)].help_text = (
                "Stage en cours à l'entrée : choisissez l'entreprise qui accueille le "
                "stagiaire ; sans elle, ce stage figurera dans « Stages sans entreprise »."
            )

    def stage_en_cours_sans_entreprise(self):
        """The internship under way on the entry date, if it was left without a host."""
        phase = phase_du(self.phases_de_stage, self.cleaned_data.get("date_entree"))
        if phase and self.entreprises_choisies()[phase] is None:
            return phase
        return None


class StagesForm(ChampsDeStage, forms.Form):
    """The host company of each internship phase of one enrollment, and its agreement data:
    the tutor (a contact of the host company), the weekly hours and the activities.

    The contacts of the school's member companies are read in one query, whatever the
    number of phases.
    """

    def __init__(self, *args, inscription, phases_de_stage, **kwargs):
        super().__init__(*args, **kwargs)
        stages = {stage.phase_id: stage for stage in inscription.stages.all()}
        actuelles = {pk: str(stage.entreprise_id) for pk, stage in stages.items()}
        self.ajouter_champs_de_stage(inscription.cohorte, phases_de_stage, actuelles)
        self.contacts_proposes = {
            str(contact.pk): contact
            for contact in Contact.objects.filter(
                entreprise__in=list(self.entreprises_proposees.values())
            )
            .select_related("entreprise")
            .order_by("entreprise__nom", "nom", "prenom", "pk")
        }
        groupes = {}
        for pk, contact in self.contacts_proposes.items():
            libelle = f"{contact}{f' — {contact.fonction}' if contact.fonction else ''}"
            groupes.setdefault(contact.entreprise.nom, []).append((pk, libelle))
        choix_tuteur = [("", "— À définir —"), *groupes.items()]
        heures = Stage._meta.get_field("heures_hebdomadaires")
        self.lignes = []
        for phase in phases_de_stage:
            stage = stages.get(phase.pk)
            self.fields[f"tuteur_{phase.pk}"] = forms.ChoiceField(
                label="Tuteur",
                choices=choix_tuteur,
                required=False,
                initial=str(stage.tuteur_id) if stage and stage.tuteur_id else "",
                help_text="Un contact de l'entreprise d'accueil.",
            )
            self.fields[f"heures_{phase.pk}"] = forms.DecimalField(
                label="Heures par semaine",
                # Left empty, the hours already recorded (35 for a new internship) stay.
                required=False,
                min_value=1,
                max_value=48,
                max_digits=heures.max_digits,
                decimal_places=heures.decimal_places,
                localize=True,
                initial=stage.heures_hebdomadaires if stage else heures.default,
            )
            self.fields[f"activites_{phase.pk}"] = forms.CharField(
                label="Activités confiées",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=stage.activites if stage else "",
            )
            self.lignes.append(
                {
                    "phase": phase,
                    "champs": [
                        self[self.nom_du_champ(phase)],
                        self[f"tuteur_{phase.pk}"],
                        self[f"heures_{phase.pk}"],
                        self[f"activites_{phase.pk}"],
                    ],
                }
            )

    def clean(self):
        cleaned_data = super().clean()
        for phase, entreprise in self.entreprises_choisies().items():
            tuteur = self.contacts_proposes.get(cleaned_data.get(f"tuteur_{phase.pk}"))
            if tuteur is None:
                continue
            if entreprise is None:
                self.add_error(
                    f"tuteur_{phase.pk}", "Choisissez d'abord l'entreprise d'accueil du tuteur."
                )
            elif refus := refus_du_tuteur(tuteur, entreprise):
                self.add_error(f"tuteur_{phase.pk}", refus)
        return cleaned_data

    def conventions(self):
        """Each internship phase's agreement data, as `services.definir_stages` expects it."""
        return {
            phase: Convention(
                tuteur=self.contacts_proposes.get(self.cleaned_data.get(f"tuteur_{phase.pk}")),
                heures_hebdomadaires=self.cleaned_data.get(f"heures_{phase.pk}"),
                activites=self.cleaned_data.get(f"activites_{phase.pk}", ""),
            )
            for phase in self.phases_de_stage
        }


class ReglagesDeCohorte(forms.Form):
    """The settings of a cohort (funding scheme, funder…), on its creation and edit forms."""

    dispositif = forms.ModelChoiceField(
        label="Dispositif de financement",
        queryset=Dispositif.objects.order_by("code"),
        required=False,
        empty_label="— Non renseigné —",
    )
    financeur = forms.CharField(
        label="Financeur",
        max_length=200,
        required=False,
        help_text=Cohorte._meta.get_field("financeur").help_text,
    )
    cofinancee_fse = forms.BooleanField(
        label="Cofinancée par le FSE+",
        required=False,
        help_text="Les documents de la cohorte sont alors conservés 10 ans au lieu de 6.",
    )
    heures_par_demi_journee = forms.DecimalField(
        label="Heures par demi-journée",
        min_value=Decimal("0.5"),
        max_value=Decimal("6"),
        max_digits=3,
        decimal_places=1,
        required=False,
        localize=True,
        initial=Cohorte._meta.get_field("heures_par_demi_journee").default,
        help_text="Les heures prévues de chaque demi-journée ; vide : 3,5 h.",
    )
    lieu = forms.CharField(label="Lieu de formation", max_length=200, required=False)
    formateur = forms.CharField(label="Formateur référent", max_length=200, required=False)

    def reglages(self):
        """The settings typed, as `services.creer_cohorte` and `modifier_cohorte` take them."""
        reglages = {name: self.cleaned_data[name] for name in ReglagesDeCohorte.base_fields}
        if reglages["heures_par_demi_journee"] is None:
            reglages["heures_par_demi_journee"] = Cohorte._meta.get_field(
                "heures_par_demi_journee"
            ).default
        return reglages


class CohorteCreationForm(ReglagesDeCohorte, forms.Form):
    parcours = forms.ModelChoiceField(label="Parcours", queryset=None, empty_label="— Choisir —")
    # Bounded: the calendar is laid out from it, week after week.
    date_debut = DateBornee(label="Date de début")
    places = forms.IntegerField(label="Places", min_value=1, max_value=999)
    nom = forms.CharField(
        label="Nom",
        max_length=200,
        required=False,
        help_text="Laissé vide, il est proposé : ville, parcours et mois de début.",
    )

    field_order = ["parcours", "date_debut", "places", "nom"]

    def __init__(self, *args, parcours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcours"].queryset = parcours
        self.fields["parcours"].label_from_instance = lambda choix: (
            f"{choix.ecole.nom} — {choix.ecole.ville} · {choix.nom}"
        )

    def add_model_errors(self, error):
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class CohorteForm(ReglagesDeCohorte, forms.Form):
    nom = forms.CharField(label="Nom", max_length=200)
    places = forms.IntegerField(label="Places", min_value=1, max_value=999)

    field_order = ["nom", "places"]

    add_model_errors = CohorteCreationForm.add_model_errors


class PhaseForm(forms.Form):
    """One row of a cohort's calendar."""

    phase = forms.IntegerField(widget=forms.HiddenInput, required=False)
    intitule = forms.CharField(label="Intitulé", max_length=200)
    type = forms.ChoiceField(label="Type", choices=TypePhase.choices)
    date_debut = DateBornee(label="Du")
    date_fin = DateBornee(label="Au")

    def clean_phase(self):
        phase = self.cleaned_data.get("phase")
        if phase is not None and phase not in self.form_kwargs_phases:
            raise forms.ValidationError("Cette phase n'appartient pas à la cohorte.")
        return phase

    def clean(self):
        cleaned_data = super().clean()
        debut, fin = cleaned_data.get("date_debut"), cleaned_data.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin doit suivre le début.")
        return cleaned_data


class BasePhaseFormSet(forms.BaseFormSet):
    def __init__(self, *args, phases_existantes, **kwargs):
        self.phases_existantes = set(phases_existantes)
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.form_kwargs_phases = self.phases_existantes
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.form_kwargs_phases = self.phases_existantes
        return form

    def phases_planifiees(self):
        """The rows kept, as `services.planifier_calendrier` expects them."""
        return [
            PhasePlanifiee(
                pk=form.cleaned_data.get("phase"),
                intitule=form.cleaned_data["intitule"],
                type=form.cleaned_data["type"],
                date_debut=form.cleaned_data["date_debut"],
                date_fin=form.cleaned_data["date_fin"],
            )
            for form in self.forms
            if form.has_changed() or form.cleaned_data.get("phase")
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PhaseFormSet = forms.formset_factory(
    PhaseForm,
    formset=BasePhaseFormSet,
    extra=1,
    can_delete=True,
    max_num=60,
    validate_max=True,
    absolute_max=61,
)


def suivi_existant_message(suivi):
    return format_html(
        'Le suivi de {} est déjà saisi pour ce stagiaire : <a href="{}">modifier ce suivi</a>.',
        nom_du_mois(suivi.mois),
        reverse("parcours:suivi_modifier", args=[suivi.pk]),
    )


class SuiviForm(ChampsObligatoires, forms.ModelForm):
    """The monthly check-in of `instance.inscription`, one per calendar month."""

    mois = forms.TypedChoiceField(label="Mois suivi", coerce=datetime.date.fromisoformat)

    class Meta:
        model = Suivi
        fields = [
            "mois",
            "date_entretien",
            "participants",
            "assiduite",
            "progression",
            "risque_decrochage",
            "commentaire",
            "actions",
        ]
        widgets = {
            "date_entretien": DateInput,
            "commentaire": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"date_entretien": DateBornee}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inscription = self.instance.inscription
        saisis = set(inscription.suivis.exclude(pk=self.instance.pk).values_list("mois", flat=True))
        en_formation = set(inscription.mois_de_suivi())
        if self.instance.pk:
            en_formation.add(self.instance.mois)

        def choix(mois):
            return [(m.isoformat(), nom_du_mois(m).capitalize()) for m in sorted(mois)]

        # Months already recorded are not offered, the oldest missing one first; a form
        # sent for a month a colleague recorded meanwhile still validates, so that `clean`
        # links to that check-in.
        self.mois_offerts = sorted(en_formation - saisis)
        self.fields["mois"].choices = choix(en_formation)
        self.fields["mois"].widget.choices = choix(self.mois_offerts)
        demande = self.initial.get("mois")
        if not self.instance.pk and demande not in {m.isoformat() for m in self.mois_offerts}:
            self.initial["mois"] = self.mois_offerts[0].isoformat() if self.mois_offerts else None
        if not self.is_bound:
            self.suggerer_l_assiduite()

    def suggerer_l_assiduite(self):
        """Pre-fill a new check-in's attendance rating from the month's attendance."""
        mois = self.instance.mois if self.instance.pk else self.initial.get("mois")
        if not mois:
            return
        if isinstance(mois, str):
            mois = datetime.date.fromisoformat(mois)
        niveau, bilan = assiduite_suggeree(self.instance.inscription, mois)
        if niveau is None:
            return
        if not self.instance.pk:
            self.initial["assiduite"] = niveau
        self.fields["assiduite"].help_text = (
            f"Suggérée d'après les présences {de(nom_du_mois(mois))} : « {niveau.label} » "
            f"(taux de présence {taux_en_francais(bilan.taux)}). Une autre valeur demande un "
            f"commentaire."
        )

    def clean(self):
        cleaned_data = super().clean()
        mois = cleaned_data.get("mois")
        assiduite = cleaned_data.get("assiduite")
        if mois and assiduite and not (cleaned_data.get("commentaire") or "").strip():
            niveau, bilan = assiduite_suggeree(self.instance.inscription, mois)
            if niveau is not None and assiduite != niveau:
                self.add_error(
                    "commentaire",
                    f"Les présences {de(nom_du_mois(mois))} suggèrent une assiduité "
                    f"« {niveau.label} » (taux de présence {taux_en_francais(bilan.taux)}) : "
                    f"expliquez en "
                    f"commentaire pourquoi vous retenez une autre valeur.",
                )
        if mois:
            existant = (
                Suivi.objects.filter(inscription=self.instance.inscription, mois=mois)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if existant:
                self.add_error("mois", suivi_existant_message(existant))
        return cleaned_data


class SortieForm(ChampsObligatoires, forms.Form):
    """The exit of a trainee; the rules live in `Sortie.clean`, run by the service."""

    date_sortie = DateBornee(label="Date de sortie")
    # No choice is made for the user: saving after setting only the date must not record
    # a durable job.
    motif = forms.ChoiceField(label="Motif", choices=[("", "— Choisir —"), *Sortie.Motif.choices])
    situation = forms.ChoiceField(
        label="Situation à la sortie", choices=[("", "— Choisir —"), *Situation.choices]
    )
    employeur = forms.CharField(label="Employeur", max_length=200, required=False)
    entreprise_utilisatrice = forms.ModelChoiceField(
        label="Entreprise utilisatrice",
        queryset=Entreprise.objects.complex_filter(
            Sortie._meta.get_field("entreprise_utilisatrice").get_limit_choices_to()
        ).order_by("nom"),
        required=False,
        empty_label="— Aucune —",
        help_text="Pour l'intérim : l'entreprise adhérente où la mission a lieu.",
    )
    date_debut_contrat = DateBornee(label="Début du contrat", required=False)
    date_fin_contrat = DateBornee(
        label="Fin du contrat", required=False, help_text="Vide pour un CDI."
    )
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @classmethod
    def initial_de(cls, sortie):
        return model_to_dict(sortie, fields=list(cls.base_fields))

    def add_model_errors(self, error):
        """Show a ValidationError of `Sortie.full_clean` on the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
