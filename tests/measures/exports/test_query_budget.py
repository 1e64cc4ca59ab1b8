"""The workbook and report read a fixed number of queries, however many measures and indicators there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cleanasia.accounts.models import Role
from cleanasia.framework.models import FrameworkNode
from cleanasia.measures import services

from ..factories import make_indicator, make_measure, make_milestone


def _queries(client, name: str, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), {"period": period.pk})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["measures:export-xlsx", "measures:export-pdf"])
def test_query_count_does_not_grow_with_the_portfolio(portfolio, client_for, name):
    client, _ = client_for(Role.SECRETARIAT)
    _queries(client, name, portfolio.period)  # warm up session and caches
    before = _queries(client, name, portfolio.period)
    line = FrameworkNode.objects.get(code="G2.1")
    for n in range(5):
        measure = make_measure(node=line, code=f"M-MORE-{n}", countries=("VN", "TH"), owner=portfolio.owner)
        for _ in range(3):
            indicator = make_indicator(measure, unit="t")
            services.target_set(actor=None, indicator=indicator, year=2030, value=10)
        make_milestone(measure, due_on=portfolio.period.starts_on)
    assert _queries(client, name, portfolio.period) == before
