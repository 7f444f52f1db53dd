from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from comptes.access import equipe_required
from echanges.exports import export_response
from ecoles.models import Ecole
from portail.forms import PageForm

from .charts import barres_de_taux, graphique_entonnoir
from .definitions import COLONNES_D_EXPORT, indicateurs_des_financeurs, lignes_d_export
from .evenements import entonnoir_des_evenements
from .forms import PeriodeForm
from .stats import Periode, entonnoirs, repartitions, total

# A year of the whole region has hundreds of cohorts: the table shows them a page at a time.
COHORTES_PAR_PAGE = 25


@equipe_required
def tableau(request):
    user = request.user
    ecoles = Ecole.objects.visibles_par(user).order_by("ville", "nom")
    form = PeriodeForm(request.GET, ecoles=ecoles, today=timezone.localdate())
    context = {"form": form}
    if form.is_valid():
        periode = Periode(**form.cleaned_data)
        par_axe = repartitions(periode, user)
        par_ecole, par_filiere = par_axe["ecole"], par_axe["filiere"]
        entonnoir_global, par_canal = entonnoirs(periode, user)
        context |= {
            "periode": periode,
            "chiffres": total(par_axe["annee"]),
            "par_ecole": par_ecole,
            "par_filiere": par_filiere,
            "cohortes": Paginator(par_axe["cohorte"], COHORTES_PAR_PAGE).get_page(
                PageForm(request.GET, nom="page_cohortes").numero()
            ),
            "par_annee": par_axe["annee"],
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
            "financeurs": indicateurs_des_financeurs(periode, user, timezone.localdate()),
            "venus_des_evenements": entonnoir_des_evenements(periode, user),
        }
    return render(request, "indicateurs/tableau.html", context)


@equipe_required
def export_financeurs(request, format):
    """The funders' figures of the page's period and filters, each with its definition."""
    user = request.user
    ecoles = Ecole.objects.visibles_par(user).order_by("ville", "nom")
    form = PeriodeForm(request.GET, ecoles=ecoles, today=timezone.localdate())
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Critères d'export invalides.", content_type="text/plain; charset=utf-8"
        )
    periode = Periode(**form.cleaned_data)
    indicateurs = indicateurs_des_financeurs(periode, user, timezone.localdate())
    return export_response(
        format,
        colonnes=COLONNES_D_EXPORT,
        lignes=lignes_d_export(indicateurs, periode),
        nom=["indicateurs", periode.ecole.ville if periode.ecole else "", periode.filiere],
    )
