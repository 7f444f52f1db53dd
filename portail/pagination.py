from functools import cached_property

from django.core.paginator import Paginator

from .forms import PageForm

PAGE_SIZE = 25

# A list longer than this is not counted to the end nor browsed past it: the search and
# the filters narrow it. Reading 1,001 index entries costs the same at any table size,
# where an exact COUNT(*) and a deep OFFSET read the whole table.
LIGNES_PARCOURUES = 1000


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page: past the last one, the last one; garbled or absurd, the first."""
    return Paginator(queryset, per_page).get_page(PageForm(request.GET).numero())


class PaginatorBorne(Paginator):
    """Pages over the first `limite` rows only; `depasse` tells that more rows match."""

    def __init__(self, object_list, per_page, *, limite=None):
        super().__init__(object_list, per_page)
        self.limite = LIGNES_PARCOURUES if limite is None else limite

    @cached_property
    def lignes_lues(self):
        # Counted in no order: a sort would make the count read every row to sort them.
        return self.object_list.order_by()[: self.limite + 1].count()

    @property
    def depasse(self):
        return self.lignes_lues > self.limite

    @cached_property
    def count(self):
        return min(self.lignes_lues, self.limite)


def paginate_borne(request, queryset, per_page=None, *, limite=None):
    """`paginate` over the first `limite` rows: a bounded count and a bounded OFFSET,
    whatever the size of the table."""
    paginator = PaginatorBorne(queryset, per_page or PAGE_SIZE, limite=limite)
    return paginator.get_page(PageForm(request.GET).numero())


def compte_borne(queryset):
    """The length of `queryset` read up to one row past `LIGNES_PARCOURUES`, where a page
    shows "plus de 1 000": the COUNT stops there whatever the size of the table."""
    return queryset.order_by()[: LIGNES_PARCOURUES + 1].count()
