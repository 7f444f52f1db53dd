"""Sortable columns driven by the `tri` query parameter (`nom`, `-nom`)."""

from .forms import TriForm


class Sorting:
    """The ordering a list page applies, chosen among `columns` (a key → ORM fields map)."""

    param = "tri"

    def __init__(self, request, columns, default):
        self.columns = columns
        requested = TriForm(request.GET, cles=columns, defaut=default, nom=self.param).valeur()
        self.current = requested
        self.key = requested.removeprefix("-")
        self.descending = requested.startswith("-")

    def apply(self, queryset):
        fields = self.columns[self.key]
        if isinstance(fields, str):
            fields = [fields]
        if self.descending:
            fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
        # The tie-breaker follows the direction, so one index serves both orders.
        return queryset.order_by(*fields, "-pk" if self.descending else "pk")

    def link(self, key):
        """The `tri` value a column header links to: ascending first, then descending."""
        return f"-{key}" if self.key == key and not self.descending else key

    def direction(self, key):
        if self.key != key:
            return ""
        return "descending" if self.descending else "ascending"
