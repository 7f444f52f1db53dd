from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page; a page number out of range or garbled gives the nearest valid one."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
