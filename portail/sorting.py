"""Sortable columns driven by the `tri` query parameter (`nom`, `-nom`)."""

from django.db.models import F
from django.db.models.functions import Coalesce

from .forms import TriForm


def hors_index(champ):
    """`champ` in an ORDER BY that no index serves: COALESCE(x, x) is x, NULL included.

    Sorted on it, the rows a search found are sorted among themselves; on the bare column
    the planner may read the table in the order of its index, filtering each row, until
    the page is full.
    """
    return Coalesce(F(champ), F(champ))


class Sorting:
    """The ordering a list page applies, chosen among `columns` (a key → ORM fields map)."""

    param = "tri"

    def __init__(self, request, columns, default):
        self.columns = columns
        requested = TriForm(request.GET, cles=columns, defaut=default, nom=self.param).valeur()
        self.current = requested
        self.key = requested.removeprefix("-")
        self.descending = requested.startswith("-")

    def apply(self, queryset, *, parmi_les_resultats=False):
        """`queryset` in the chosen order. `parmi_les_resultats` when a search narrows it
        to rows another index finds: they are then sorted, never looked for along the
        sort column's index (`hors_index`)."""
        fields = self.columns[self.key]
        if isinstance(fields, str):
            fields = [fields]
        if self.descending:
            fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
        if parmi_les_resultats:
            fields = [
                hors_index(f[1:]).desc() if f.startswith("-") else hors_index(f).asc()
                for f in fields
            ]
        # The tie-breaker follows the direction, so one index serves both orders.
        return queryset.order_by(*fields, "-pk" if self.descending else "pk")

    def link(self, key):
        """The `tri` value a column header links to: ascending first, then descending."""
        return f"-{key}" if self.key == key and not self.descending else key

    def direction(self, key):
        if self.key != key:
            return ""
        return "descending" if self.descending else "ascending"
