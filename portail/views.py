from django.db.models import Count, Prefetch, Window
from django.shortcuts import redirect, render
from django.utils import timezone

from candidats.models import Candidat
from comptes.access import equipe_required
from parcours import echeances
from parcours.models import Cohorte, Inscription, PhaseCohorte, echeance_du_suivi
from portail.pagination import compte_borne

# Each to-do list of the home page shows its first rows and links to the full page.
APERCU = 10


def apercu(queryset, *, compte_a_part=False):
    """The first rows of a to-do list and its length.

    One query with a window count where the list needs a full sort anyway; a separate,
    bounded COUNT where an index hands over the first rows directly (`compte_a_part`).
    """
    if compte_a_part:
        return list(queryset[:APERCU]), compte_borne(queryset)
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
    mois_surveilles = echeances.mois_en_retard_surveilles(today)
    suivis_en_retard, suivis_en_retard_total = echeances.apercu_des_suivis_en_retard(
        user, today, APERCU
    )
    mois_a_saisir = echeances.mois_a_saisir(today)

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
    )
    preselectionnes = (
        Candidat.objects.visibles_par(user)
        .jamais_inscrits()
        .filter(statut=Candidat.Statut.PRESELECTIONNE)
        .select_related("ecole_visee")
        .order_by("date_dernier_contact", "nom")
    )
    context = {
        "today": today,
        "suivis_en_retard": suivis_en_retard,
        "suivis_en_retard_total": suivis_en_retard_total,
        "suivis_en_retard_affiches": sum(
            len(un_mois["inscriptions"]) for un_mois in suivis_en_retard
        ),
        "premier_mois_surveille": mois_surveilles[0],
        "dernier_mois_echu": mois_surveilles[-1],
        "mois_a_saisir": mois_a_saisir,
        "echeance_a_saisir": echeance_du_suivi(mois_a_saisir),
        "suivis_a_saisir_total": compte_borne(echeances.a_saisir(user, today)),
    }
    context["cohortes_en_cours"], context["cohortes_en_cours_total"] = apercu(cohortes_en_cours)
    # Indexes give these rows in order: (fin_de_cohorte, cohorte, inscription) of the
    # awaited exits, (statut, date_dernier_contact, nom) of the candidates.
    context["sorties_a_saisir"], context["sorties_a_saisir_total"] = apercu(
        sorties_a_saisir, compte_a_part=True
    )
    context["preselectionnes"], context["preselectionnes_total"] = apercu(
        preselectionnes, compte_a_part=True
    )
    return render(request, "portail/accueil.html", context)
