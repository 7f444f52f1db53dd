import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from ecoles.models import Ecole
from parcours.models import Inscription
from portail.forms import DateBornee

from .models import CanalSourcing, Candidat
from .text import RECHERCHE_MINIMUM, mots_de_recherche


def ecoles_du_filtre(request):
    return Ecole.objects.visibles_par(request.user)


def debut_du_jour(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def valider_recherche(terms):
    """A search too short to narrow the list is refused rather than silently ignored."""
    if terms and sum(map(len, mots_de_recherche(terms))) < RECHERCHE_MINIMUM:
        raise ValidationError(
            f"Saisissez au moins {RECHERCHE_MINIMUM} caractères (lettres ou chiffres) pour "
            "rechercher.",
            code="recherche_trop_courte",
        )


class DateBorneeFilter(django_filters.DateFilter):
    field_class = DateBornee


class CandidatFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="filtrer_recherche",
        max_length=200,
        validators=[valider_recherche],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Nom, courriel ou identifiant France Travail"}
        ),
    )
    statut = django_filters.ChoiceFilter(
        label="Statut", choices=Candidat.Statut.choices, empty_label="Tous"
    )
    canal = django_filters.ChoiceFilter(
        label="Canal de sourcing", choices=CanalSourcing.choices, empty_label="Tous"
    )
    ecole = django_filters.ModelChoiceFilter(
        label="École",
        queryset=ecoles_du_filtre,
        method="filtrer_ecole",
        empty_label="Toutes",
    )
    ajoute_du = DateBorneeFilter(label="Ajouté à partir du", method="filtrer_ajoute_du")
    ajoute_au = DateBorneeFilter(label="Ajouté jusqu'au", method="filtrer_ajoute_au")

    class Meta:
        model = Candidat
        fields = []

    def filtrer_recherche(self, queryset, name, value):
        return queryset.recherche(value)

    def filtrer_ecole(self, queryset, name, ecole):
        """The school aimed at, or the school of one of the candidate's cohorts.

        A subquery rather than a join, so that a candidate enrolled twice in the school
        is listed once.
        """
        inscrits = Inscription.objects.filter(cohorte__parcours__ecole=ecole).values("candidat_id")
        return queryset.filter(Q(ecole_visee=ecole) | Q(pk__in=inscrits))

    # Bounds on the timestamp itself (not `cree_le__date`) keep the index usable;
    # the day is the local day of Europe/Paris.
    def filtrer_ajoute_du(self, queryset, name, day):
        return queryset.filter(cree_le__gte=debut_du_jour(day))

    def filtrer_ajoute_au(self, queryset, name, day):
        return queryset.filter(cree_le__lt=debut_du_jour(day + datetime.timedelta(days=1)))

    @property
    def recherche_valide(self):
        """True when a valid search narrows the list, whatever the other criteria."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # fills cleaned_data with the valid criteria
        return bool(self.form.cleaned_data.get("q"))

    @property
    def a_des_criteres(self):
        """True when a valid criterion narrows the list; an invalid one is ignored."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # fills cleaned_data with the valid criteria
        return any(self.form.cleaned_data.values())
