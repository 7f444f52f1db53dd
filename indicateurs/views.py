from django.shortcuts import render
from django.utils import timezone

from comptes.access import equipe_required
from ecoles.models import Ecole

from .charts import barres_de_taux, graphique_entonnoir
from .forms import PeriodeForm
from .stats import Periode, entonnoirs, repartition, total


@equipe_required
def tableau(request):
    user = request.user
    ecoles = Ecole.objects.visibles_par(user).order_by("ville", "nom")
    form = PeriodeForm(request.GET, ecoles=ecoles, today=timezone.localdate())
    context = {"form": form}
    if form.is_valid():
        periode = Periode(**form.cleaned_data)
        par_ecole = repartition(periode, user, "ecole")
        par_filiere = repartition(periode, user, "filiere")
        par_annee = repartition(periode, user, "annee")
        entonnoir_global, par_canal = entonnoirs(periode, user)
        context |= {
            "periode": periode,
            "chiffres": total(par_annee),
            "par_ecole": par_ecole,
            "par_filiere": par_filiere,
            "par_cohorte": repartition(periode, user, "cohorte"),
            "par_annee": par_annee,
            "graphique_ecoles": barres_de_taux(
                par_ecole, "taux_insertion", "Taux d'insertion par école"
            ),
            "graphique_filieres": barres_de_taux(
                par_filiere, "taux_insertion", "Taux d'insertion par filière"
            ),
            "entonnoir": entonnoir_global,
            "graphique_entonnoir": graphique_entonnoir(
                entonnoir_global, "Du sourcing à l'emploi durable"
            ),
            "entonnoirs_par_canal": par_canal,
        }
    return render(request, "indicateurs/tableau.html", context)
