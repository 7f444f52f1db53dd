"""Who may open which page. Object-level scoping lives in each model's `visibles_par`."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def equipe_required(view):
    """Staff pages: anonymous users go to the login page, partners get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_equipe:
            raise PermissionDenied("Cette page est réservée à l'équipe du groupement.")
        return view(request, *args, **kwargs)

    return wrapper


def partenaire_required(view):
    """Partner pages: anonymous users go to the login page, other roles get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_partenaire:
            raise PermissionDenied("Cette page est réservée aux partenaires.")
        return view(request, *args, **kwargs)

    return wrapper
