"""Expressions the querysets share."""

from django.db.models import F, Func, Subquery
from django.db.models.functions import Coalesce


def compte(queryset):
    """The number of rows of `queryset`, a subquery bound to the outer row by `OuterRef`;
    0 for none.

    Annotated on a list, it is computed for the rows the page keeps: a `Count` over a join
    groups every row of both tables before the sort and the LIMIT.
    """
    return Coalesce(
        Subquery(queryset.order_by().values(nombre=Func(F("pk"), function="COUNT"))[:1]),
        0,
    )
