from django.core.paginator import Paginator

from .forms import PageForm

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The requested page: past the last one, the last one; garbled or absurd, the first."""
    return Paginator(queryset, per_page).get_page(PageForm(request.GET).numero())
