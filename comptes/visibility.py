"""The one place that decides which schools a user may see.

Every scoped queryset (`Ecole.objects.visibles_par(user)`, `Cohorte...`, ...) starts
from `ecoles_visibles_filter`, so a view that forgets a check shows nothing rather
than another school's data.
"""

from django.db.models import Q


def ecoles_visibles_filter(user, prefix=""):
    """A Q object selecting the schools `user` may see, with `prefix` as the path to Ecole."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_equipe:
        return Q()
    if not user.is_partenaire:
        return Q(pk__in=[])
    from ecoles.models import Ecole

    ecole_ids = Ecole.objects.filter(
        Q(
            entreprises_adherentes__appartenances__user=user,
            entreprises_adherentes__appartenances__active=True,
        )
        | Q(
            organismes_formation__appartenances__user=user,
            organismes_formation__appartenances__active=True,
        )
    ).values("pk")
    return Q(**{f"{prefix}pk__in": ecole_ids})
