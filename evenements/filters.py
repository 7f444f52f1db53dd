import django_filters
from django import forms
from django.db.models import Q

from candidats.filters import DateBorneeFilter, ecoles_du_filtre
from candidats.models import Candidat
from entreprises.models import Entreprise

from .models import Evenement, Immersion, ResultatImmersion, TypeEvenement


class EvenementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="filtrer_recherche",
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Titre, lieu, organisateur"}
        ),
    )
    type = django_filters.ChoiceFilter(
        label="Type", choices=TypeEvenement.choices, empty_label="Tous"
    )
    ecole = django_filters.ModelChoiceFilter(
        label="École", queryset=ecoles_du_filtre, method="filtrer_ecole", empty_label="Toutes"
    )
    du = DateBorneeFilter(label="À partir du", field_name="date", lookup_expr="gte")
    au = DateBorneeFilter(label="Jusqu'au", field_name="date", lookup_expr="lte")

    class Meta:
        model = Evenement
        fields = []

    def filtrer_recherche(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(titre__icontains=word) | Q(lieu__icontains=word) | Q(organisateur__icontains=word)
            )
        return queryset

    def filtrer_ecole(self, queryset, name, ecole):
        # A subquery rather than a join: an event of two schools is listed once.
        return queryset.filter(pk__in=Evenement.objects.filter(ecoles=ecole).values("pk"))

    @property
    def a_des_criteres(self):
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(self.form.cleaned_data.values())


class ImmersionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="filtrer_recherche",
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Candidat, référence de la convention"}
        ),
    )
    resultat = django_filters.ChoiceFilter(
        label="Résultat", choices=ResultatImmersion.choices, empty_label="Tous"
    )
    entreprise = django_filters.ModelChoiceFilter(
        label="Entreprise", queryset=Entreprise.objects.order_by("nom"), empty_label="Toutes"
    )
    du = DateBorneeFilter(label="À partir du", field_name="date_fin", lookup_expr="gte")
    au = DateBorneeFilter(label="Jusqu'au", field_name="date_debut", lookup_expr="lte")

    class Meta:
        model = Immersion
        fields = []

    def filtrer_recherche(self, queryset, name, value):
        candidats = Candidat.objects.recherche(value).values("pk")
        return queryset.filter(
            Q(candidat__in=candidats) | Q(reference_convention__icontains=value.strip())
        )

    @property
    def a_des_criteres(self):
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(self.form.cleaned_data.values())
