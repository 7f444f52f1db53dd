from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from ecoles.models import Ecole, Filiere
from portail.forms import DateBornee

from .imports import FichierRefuse, analyser

TAILLE_MAX = settings.PORTAIL_IMPORT_MAX_OCTETS


class ImportForm(forms.Form):
    """A list of candidates to import: once valid, `analyse` holds every row checked.

    The school is declared first: it is cleaned before the file, whose analysis uses it.
    """

    ecole = forms.ModelChoiceField(
        label="École visée par défaut",
        queryset=Ecole.objects.none(),
        required=False,
        empty_label="Aucune : à choisir plus tard",
        help_text="Pour les lignes dont la colonne « École visée » est vide ou absente.",
        error_messages={"invalid_choice": "Choisissez une école de la liste."},
    )

    fichier = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)",
        help_text=(
            f"{TAILLE_MAX // (1024 * 1024)} Mo au plus. Séparateur point-virgule ou virgule, "
            "encodage UTF-8 ou Windows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
        },
    )

    def __init__(self, *args, candidats, **kwargs):
        """`candidats`: the records the user may see, searched for duplicates."""
        super().__init__(*args, **kwargs)
        self.candidats = candidats
        self.contenu = b""
        self.analyse = None
        self.fields["ecole"].queryset = Ecole.objects.actives().order_by("nom", "ville")

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX:
            raise ValidationError(
                f"Ce fichier pèse {fichier.size / (1024 * 1024):.1f} Mo : la limite est de "
                f"{TAILLE_MAX // (1024 * 1024)} Mo. Découpez-le en plusieurs fichiers."
            )
        self.contenu = fichier.read()
        try:
            self.analyse = analyser(
                self.contenu,
                candidats=self.candidats,
                ecole_par_defaut=self.cleaned_data.get("ecole"),
            )
        except FichierRefuse as refus:
            raise ValidationError(refus.message) from refus
        return fichier


class AnalyseDemandeeForm(forms.Form):
    """`?analyse=`, the analysis whose page the browser follows."""

    analyse = forms.UUIDField()


class ExportSortiesForm(forms.Form):
    """The optional criteria of the outcomes report, read from the query string."""

    debut = DateBornee(
        label="Début de la période", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    fin = DateBornee(
        label="Fin de la période", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    ecole = forms.ModelChoiceField(
        label="École",
        queryset=Ecole.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choisissez une école de la liste."},
    )
    filiere = forms.ChoiceField(
        label="Filière",
        choices=[("", "Toutes"), *Filiere.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez une filière de la liste."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ecole"].queryset = Ecole.objects.visibles_par(user)

    def clean(self):
        cleaned_data = super().clean()
        debut, fin = cleaned_data.get("debut"), cleaned_data.get("fin")
        if debut and fin and fin < debut:
            raise ValidationError("La fin de la période doit suivre son début.")
        return cleaned_data

    def filtrer(self, sorties):
        if self.cleaned_data["debut"]:
            sorties = sorties.filter(date_sortie__gte=self.cleaned_data["debut"])
        if self.cleaned_data["fin"]:
            sorties = sorties.filter(date_sortie__lte=self.cleaned_data["fin"])
        if ecole := self.cleaned_data["ecole"]:
            sorties = sorties.filter(inscription__cohorte__parcours__ecole=ecole)
        if filiere := self.cleaned_data["filiere"]:
            sorties = sorties.filter(inscription__cohorte__parcours__filiere=filiere)
        return sorties

    def erreurs(self):
        """Every error on one line, each after the name of its criterion."""
        return " ".join(
            f"{self.fields[champ].label} : {message}" if champ in self.fields else message
            for champ, messages in self.errors.items()
            for message in messages
        )
