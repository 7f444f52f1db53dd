from collections import Counter

from django.db.models import Count, Prefetch, Window, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone

from candidats.models import Candidat
from comptes.access import equipe_required
from parcours import echeances
from parcours.models import Cohorte, Inscription, PhaseCohorte, echeance_du_suivi
from portail import pagination
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


def apercu_des_suivis_en_retard(inscriptions, today):
    """The overdue months, oldest first, with their share of the first rows, and the count
    of overdue check-ins read up to `pagination.LIGNES_PARCOURUES` rows.

    Within the bound every month gets its count from those rows. Past it the months are not
    counted (`nombre` is None): counting them would scan every trainee of twelve months to
    show ten rows; the first rows are then looked for month by month, oldest first, and the
    oldest month usually holds them all.
    """
    en_retard = echeances.suivis_en_retard(inscriptions, today)
    lignes = [ligne["mois"] for ligne in en_retard[: pagination.LIGNES_PARCOURUES + 1]]
    selection = inscriptions.select_related("cohorte__parcours__ecole")
    if len(lignes) <= pagination.LIGNES_PARCOURUES:
        nombres = Counter(lignes)
        mois = [{"mois": un_mois, "nombre": nombres[un_mois]} for un_mois in sorted(nombres)]
        mois_des_premieres_lignes, lignes_avant = [], 0
        for un_mois in mois:
            if lignes_avant >= APERCU:
                break
            mois_des_premieres_lignes.append(un_mois["mois"])
            lignes_avant += un_mois["nombre"]
        premieres_lignes = list(echeances.manquants(selection, mois_des_premieres_lignes)[:APERCU])
    else:
        premieres_lignes = []
        for un_mois in echeances.mois_en_retard_surveilles(today):
            premieres_lignes += echeances.manquants(selection, [un_mois])[
                : APERCU - len(premieres_lignes)
            ]
            if len(premieres_lignes) >= APERCU:
                break
        mois = [
            {"mois": un_mois, "nombre": None}
            for un_mois in dict.fromkeys(ligne.mois_manquant for ligne in premieres_lignes)
        ]
    # The candidates of the rows shown come in a query of their own: joining them in each
    # month of the UNION would make PostgreSQL read every candidate before keeping ten rows.
    prefetch_related_objects(premieres_lignes, "candidat")
    for un_mois in mois:
        un_mois["inscriptions"] = [
            inscription
            for inscription in premieres_lignes
            if inscription.mois_manquant == un_mois["mois"]
        ]
    return mois, len(lignes)


def accueil(request):
    if request.user.is_authenticated and request.user.is_partenaire:
        return redirect("partenaires:ecoles")
    return tableau_de_bord(request)


@equipe_required
def tableau_de_bord(request):
    user = request.user
    today = timezone.localdate()
    inscriptions = Inscription.objects.visibles_par(user)
    mois_surveilles = echeances.mois_en_retard_surveilles(today)
    suivis_en_retard, suivis_en_retard_total = apercu_des_suivis_en_retard(inscriptions, today)
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
        .order_by("cohorte__date_fin", "cohorte_id", "pk")
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
        "suivis_a_saisir_total": compte_borne(echeances.suivis_a_saisir(inscriptions, today)),
    }
    for name, queryset in [
        ("cohortes_en_cours", cohortes_en_cours),
        ("sorties_a_saisir", sorties_a_saisir),
    ]:
        context[name], context[f"{name}_total"] = apercu(queryset)
    # The (statut, date_dernier_contact, nom) index gives these rows in order.
    context["preselectionnes"], context["preselectionnes_total"] = apercu(
        preselectionnes, compte_a_part=True
    )
    return render(request, "portail/accueil.html", context)
