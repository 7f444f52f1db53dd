import datetime

import django_filters
from django import forms

from ecoles.models import Ecole, Filiere

from .dates import add_months
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
    """Narrows the trainees of a month (`mois`) to a school or to a cohort running then."""

    ecole = django_filters.ModelChoiceFilter(
        label="École",
        field_name="cohorte__parcours__ecole",
        queryset=ecoles_visibles,
        empty_label="Toutes",
    )
    cohorte = django_filters.ModelChoiceFilter(
        label="Cohorte", queryset=Cohorte.objects.none(), empty_label="Toutes"
    )

    class Meta:
        model = Inscription
        fields = []

    def __init__(self, *args, mois, **kwargs):
        super().__init__(*args, **kwargs)
        fin_du_mois = add_months(mois, 1) - datetime.timedelta(days=1)
        self.filters["cohorte"].queryset = (
            Cohorte.objects.visibles_par(self.request.user)
            .filter(date_debut__lte=fin_du_mois, date_fin__gte=mois)
            .order_by("nom")
        )


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
