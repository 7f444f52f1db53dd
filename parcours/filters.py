import django_filters
from django import forms
from django.db.models import Q

from ecoles.models import Ecole, Filiere

from .models import Cohorte, Inscription


def ecoles_visibles(request):
    return Ecole.objects.visibles_par(request.user)


def cohortes_visibles(request):
    return Cohorte.objects.visibles_par(request.user)


class CohorteFilter(django_filters.FilterSet):
    ecole = django_filters.ModelChoiceFilter(
        label="École",
        field_name="parcours__ecole",
        queryset=ecoles_visibles,
        empty_label="Toutes",
    )
    filiere = django_filters.ChoiceFilter(
        label="Filière",
        field_name="parcours__filiere",
        choices=Filiere.choices,
        empty_label="Toutes",
    )
    etat = django_filters.ChoiceFilter(
        label="État",
        choices=Cohorte.Etat.choices,
        method="filtrer_par_etat",
        empty_label="Tous",
    )
    annee = django_filters.ChoiceFilter(
        label="Année de début",
        field_name="date_debut",
        lookup_expr="year",
        empty_label="Toutes",
    )

    class Meta:
        model = Cohorte
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        annees = Cohorte.objects.visibles_par(self.request.user).dates(
            "date_debut", "year", order="DESC"
        )
        self.filters["annee"].extra["choices"] = [
            (str(annee.year), str(annee.year)) for annee in annees
        ]

    def filtrer_par_etat(self, queryset, name, value):
        return {
            Cohorte.Etat.A_VENIR: queryset.a_venir,
            Cohorte.Etat.EN_COURS: queryset.en_cours,
            Cohorte.Etat.TERMINEE: queryset.terminees,
        }[value]()


class SuiviDuMoisFilter(django_filters.FilterSet):
    """Narrows the trainees of a month to a school, to the cohorts whose name or school
    matches a search, or to one cohort (the link of a cohort's page).

    A search rather than a list of the month's cohorts: the page stays the same size
    however many cohorts run.
    """

    ecole = django_filters.ModelChoiceFilter(
        label="École",
        field_name="cohorte__parcours__ecole",
        queryset=ecoles_visibles,
        empty_label="Toutes",
    )
    q = django_filters.CharFilter(
        label="Cohorte (nom, école ou ville)",
        method="filtrer_par_cohorte",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    cohorte = django_filters.ModelChoiceFilter(queryset=cohortes_visibles, widget=forms.HiddenInput)

    class Meta:
        model = Inscription
        fields = []

    def filtrer_par_cohorte(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(cohorte__nom__icontains=word)
                | Q(cohorte__parcours__ecole__nom__icontains=word)
                | Q(cohorte__parcours__ecole__ville__icontains=word)
            )
        return queryset


class StagesSansEntrepriseFilter(django_filters.FilterSet):
    ecole = django_filters.ModelChoiceFilter(
        label="École",
        field_name="cohorte__parcours__ecole",
        queryset=ecoles_visibles,
        empty_label="Toutes",
    )
    # From a cohort's page.
    cohorte = django_filters.ModelChoiceFilter(queryset=cohortes_visibles, widget=forms.HiddenInput)

    class Meta:
        model = Inscription
        fields = []
