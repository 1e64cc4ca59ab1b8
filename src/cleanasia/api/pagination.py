"""Pagination of every list endpoint: {count, next, previous, results}, `?page=` and `?page_size=`."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Pages of PAGE_SIZE rows (settings); a client may ask for up to 500 with `page_size`."""

    page_size_query_param = "page_size"
    max_page_size = 500
