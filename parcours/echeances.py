"""The deadlines of the monthly check-ins: which months are overdue, which one comes due.

A month's check-in is due by the 10th of the next month (`echeance_du_suivi`) and overdue
after that. Each month read here is one `NOT EXISTS` anti-join on the check-ins; the months
of a list are put together in one `UNION ALL`, so a list is one query however many months.
"""

from collections import Counter

from django.db.models import DateField, F, Value, prefetch_related_objects

from portail import pagination

from .dates import add_months
from .models import dernier_mois_echu

# Missing check-ins are looked for over the last twelve overdue months only. Each month is
# one more anti-join: a fixed number keeps the home page's cost flat over a decade of
# history. Twelve cover every calendar month of the longest tracks (42 weeks span at most
# eleven), so no month of a trainee still in training drops off; what drops off is a
# check-in more than a year overdue, whose interview can no longer be held, and the
# "Suivis du mois" page of its month still lists it.
MOIS_SURVEILLES = 12


def union_all(inscriptions, querysets, *ordering):
    """The rows of every queryset of `querysets` in one query, sorted by `ordering`; no rows
    (and no query) when there is none."""
    if not querysets:
        return inscriptions.none()
    first, *others = querysets
    return first.union(*others, all=True).order_by(*ordering)


def mois_en_retard_surveilles(day=None):
    """The months whose missing check-ins are overdue on `day` and still looked for, oldest
    first."""
    dernier = dernier_mois_echu(day)
    return [add_months(dernier, -ecart) for ecart in reversed(range(MOIS_SURVEILLES))]


def mois_a_saisir(day=None):
    """The month coming due on `day`: the oldest whose deadline has not passed yet."""
    return add_months(dernier_mois_echu(day), 1)


def sans_suivi_durant(inscriptions, mois):
    """`inscriptions` in training during `mois` without that month's check-in."""
    return inscriptions.en_formation_durant(mois).sans_suivi_du_mois(mois)


def suivis_en_retard(inscriptions, day=None):
    """One row (`mois`) per overdue check-in of `inscriptions` on `day`, in no order.

    Without an ORDER BY the UNION hands over rows as its months find them: read up to a
    bound (`compte_borne`), it stops there instead of scanning every month to the end.
    """
    lignes = [
        sans_suivi_durant(inscriptions, un_mois)
        .annotate(mois=Value(un_mois, output_field=DateField()))
        .values("mois")
        .order_by()
        for un_mois in mois_en_retard_surveilles(day)
    ]
    return union_all(inscriptions, lignes)


def manquants(inscriptions, mois):
    """`inscriptions` without the check-in of one of the months `mois`, once per month
    missing, with that month as `mois_manquant`: oldest month first, then by cohort.

    The related rows to show are `select_related` on `inscriptions`: after the UNION only
    ordering and slicing are left.
    """
    lignes = [
        sans_suivi_durant(inscriptions, un_mois)
        .annotate(
            mois_manquant=Value(un_mois, output_field=DateField()),
            debut_de_cohorte=F("cohorte__date_debut"),
        )
        .order_by()
        for un_mois in mois
    ]
    return union_all(inscriptions, lignes, "mois_manquant", "debut_de_cohorte", "cohorte_id", "pk")


def suivis_a_saisir(inscriptions, day=None):
    """`inscriptions` whose check-in of the month coming due on `day` is still missing."""
    return sans_suivi_durant(inscriptions, mois_a_saisir(day))


def apercu_des_suivis_en_retard(inscriptions, today, apercu):
    """The overdue months, oldest first, with their share of the first `apercu` rows, and
    the count of overdue check-ins read up to `pagination.LIGNES_PARCOURUES` rows: the
    home page's list and the "À faire" page's section.

    Within the bound every month gets its count from those rows. Past it the months are not
    counted (`nombre` is None): counting them would scan every trainee of twelve months to
    show a few rows; the first rows are then looked for month by month, oldest first, and the
    oldest month usually holds them all.
    """
    en_retard = suivis_en_retard(inscriptions, today)
    lignes = [ligne["mois"] for ligne in en_retard[: pagination.LIGNES_PARCOURUES + 1]]
    selection = inscriptions.select_related("cohorte__parcours__ecole")
    if len(lignes) <= pagination.LIGNES_PARCOURUES:
        nombres = Counter(lignes)
        mois = [{"mois": un_mois, "nombre": nombres[un_mois]} for un_mois in sorted(nombres)]
        mois_des_premieres_lignes, lignes_avant = [], 0
        for un_mois in mois:
            if lignes_avant >= apercu:
                break
            mois_des_premieres_lignes.append(un_mois["mois"])
            lignes_avant += un_mois["nombre"]
        premieres_lignes = list(manquants(selection, mois_des_premieres_lignes)[:apercu])
    else:
        premieres_lignes = []
        for un_mois in mois_en_retard_surveilles(today):
            premieres_lignes += manquants(selection, [un_mois])[: apercu - len(premieres_lignes)]
            if len(premieres_lignes) >= apercu:
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
