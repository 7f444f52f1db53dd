from django.db.models import Count, Prefetch, Window
from django.shortcuts import redirect, render
from django.utils import timezone

from candidats.models import Candidat
from comptes.access import equipe_required
from parcours.models import Cohorte, Inscription, PhaseCohorte, dernier_mois_echu

# Each to-do list of the home page shows its first rows and links to the full page.
APERCU = 10


def apercu(queryset, *, compte_a_part=False):
    """The first rows of a to-do list and its length.

    One query with a window count where the list needs a full sort anyway; a separate
    COUNT where an index hands over the first rows directly (`compte_a_part`).
    """
    if compte_a_part:
        return list(queryset[:APERCU]), queryset.count()
    rows = list(queryset.annotate(total_de_la_liste=Window(Count("pk")))[:APERCU])
    return rows, rows[0].total_de_la_liste if rows else 0


def accueil(request):
    if request.user.is_authenticated and request.user.is_partenaire:
        return redirect("partenaires:ecoles")
    return tableau_de_bord(request)


@equipe_required
def tableau_de_bord(request):
    user = request.user
    today = timezone.localdate()
    mois_echu = dernier_mois_echu(today)

    suivis_en_retard = (
        Inscription.objects.visibles_par(user)
        .en_formation_durant(mois_echu)
        .sans_suivi_du_mois(mois_echu)
        .select_related("cohorte__parcours__ecole")
        # The candidates of the rows shown come in a query of their own: sorting on their
        # names would make PostgreSQL join every candidate before keeping ten rows.
        .prefetch_related("candidat")
        .order_by("cohorte__date_debut", "cohorte_id", "pk")
    )
    cohortes_en_cours = (
        Cohorte.objects.visibles_par(user)
        .en_cours(today)
        .select_related("parcours__ecole")
        .annotate(nombre_inscrits=Count("inscriptions"))
        .prefetch_related(
            Prefetch(
                "phases",
                queryset=PhaseCohorte.objects.filter(date_debut__lte=today, date_fin__gte=today),
                to_attr="phases_du_jour",
            )
        )
        .order_by("date_fin", "nom")
    )
    sorties_a_saisir = (
        Inscription.objects.visibles_par(user)
        .sans_sortie_enregistree(today)
        .select_related("cohorte__parcours__ecole")
        .prefetch_related("candidat")
        .order_by("cohorte__date_fin", "cohorte_id", "pk")
    )
    preselectionnes = (
        Candidat.objects.visibles_par(user)
        .jamais_inscrits()
        .filter(statut=Candidat.Statut.PRESELECTIONNE)
        .select_related("ecole_visee")
        .order_by("date_dernier_contact", "nom")
    )
    context = {"today": today, "mois_echu": mois_echu}
    for name, queryset in [
        ("suivis_en_retard", suivis_en_retard),
        ("cohortes_en_cours", cohortes_en_cours),
        ("sorties_a_saisir", sorties_a_saisir),
    ]:
        context[name], context[f"{name}_total"] = apercu(queryset)
    # The (statut, date_dernier_contact, nom) index gives these rows in order.
    context["preselectionnes"], context["preselectionnes_total"] = apercu(
        preselectionnes, compte_a_part=True
    )
    return render(request, "portail/accueil.html", context)
