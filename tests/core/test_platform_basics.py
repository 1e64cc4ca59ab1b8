"""Fiscal years, request ids, background work."""

import datetime as dt

import pytest
from django.core import mail

from cleanasia.core.fiscal import fiscal_year, fiscal_year_bounds, fiscal_year_label
from cleanasia.core.tasks import send_email


@pytest.mark.parametrize(
    ("day", "year"),
    [(dt.date(2026, 3, 31), 2025), (dt.date(2026, 4, 1), 2026), (dt.date(2027, 1, 15), 2026)],
)
def test_the_japanese_fiscal_year_runs_april_to_march(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_labels_and_bounds():
    assert fiscal_year_label(2026, "ja") == "2026年度"
    assert fiscal_year_label(2026, "en") == "FY2026"
    assert fiscal_year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert len(response["X-Request-ID"]) >= 8
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed["X-Request-ID"] == "abc-123"
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert forged["X-Request-ID"] != "<script>"


def test_background_e_mail_runs_inline_on_the_embedded_default():
    result = send_email.enqueue(subject="Hello", body="Body", to=["a@example.org"])
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1
    assert mail.outbox[-1].subject == "Hello"
