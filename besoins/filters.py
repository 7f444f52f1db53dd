import django_filters

from ecoles.models import Ecole
from entreprises.models import Entreprise
from parcours.dates import add_months, first_of_month

from .forms import MoisBorne
from .models import Besoin, Contrat, entreprises_du_partenaire


class MoisFilter(django_filters.Filter):
    field_class = MoisBorne

    def filter(self, queryset, value):
        if not value:
            return queryset
        mois = first_of_month(value)
        return queryset.filter(mois_embauche__gte=mois, mois_embauche__lt=add_months(mois, 1))


class BesoinFilter(django_filters.FilterSet):
    """Filters of the needs' lists; a partner chooses among their own companies only."""

    ecole = django_filters.ModelChoiceFilter(
        label="École", queryset=Ecole.objects.none(), empty_label="Toutes"
    )
    entreprise = django_filters.ModelChoiceFilter(
        label="Entreprise", queryset=Entreprise.objects.none(), empty_label="Toutes"
    )
    etat = django_filters.ChoiceFilter(
        label="État", choices=Besoin.Etat.choices, empty_label="Tous"
    )
    contrat = django_filters.ChoiceFilter(
        label="Contrat visé", choices=Contrat.choices, empty_label="Tous"
    )
    mois = MoisFilter(label="Mois d'embauche")

    class Meta:
        model = Besoin
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["ecole"].queryset = Ecole.objects.visibles_par(user).order_by("ville", "nom")
        entreprises = Entreprise.objects.filter(type=Entreprise.Type.ADHERENTE).order_by("nom")
        if not user.is_equipe:
            entreprises = entreprises.filter(pk__in=entreprises_du_partenaire(user))
        self.filters["entreprise"].queryset = entreprises
