"""The period's PDF report: cover, summary with charts, a table per goal, Japanese fonts embedded, A4."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from cleanasia.accounts.models import Role

from .conftest import pdf_font_names, pdf_text

SCREENSHOT = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots" / "measures-report-page1.png"
A4_POINTS = (595, 842)


def _pdf(client, **params) -> bytes:
    response = client.get(reverse("measures:export-pdf"), params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.mark.django_db
def test_the_japanese_report_embeds_noto_sans_jp_and_shows_the_portfolio(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    pdf = _pdf(client, period=portfolio.period.pk, lang="ja")
    assert pdf.startswith(b"%PDF")
    assert {"Noto-Sans-JP", "Noto-Sans-JP-Bold"} <= pdf_font_names(pdf)
    assert b"<svg" not in pdf  # charts are drawn, not pasted as text
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "クリーンアジア・イニシアティブ 施策の進行管理" in text
    assert "2026年度 第1四半期" in text
    assert "状況別の施策数" in text  # chart heading
    assert "アジア低炭素都市づくり支援" in text
    assert "M-SEC" in text
    assert re.search(r"\b1\s*/\s*\d+\b", text)  # page numbers "n / N"


@pytest.mark.django_db
def test_pages_are_a4_and_goal_tables_landscape(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    pdf = _pdf(client, period=portfolio.period.pk, lang="en")
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    command = [shutil.which("pdfinfo"), "-f", "1", "-l", "4", "-"]
    info = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
    sizes = [line.split(":", 1)[1] for line in info.splitlines() if line.startswith("Page") and "size" in line]
    assert "595.276 x 841.89" in sizes[0]  # A4 portrait cover
    assert any("841.89 x 595.276" in s for s in sizes[2:])  # goal tables in A4 landscape


@pytest.mark.django_db
def test_a_focal_point_report_leaves_out_what_they_may_not_see(portfolio, client_for):
    client, _ = client_for(Role.FOCAL_POINT, country="VN")
    text = pdf_text(_pdf(client, period=portfolio.period.pk, lang="en"))
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Low-carbon cities in Asia" in text
    assert "M-SEC" not in text
    assert "Confidential measure" not in text


@pytest.mark.django_db
def test_first_page_screenshot_is_saved_as_a_test_artefact(portfolio, client_for):
    client, _ = client_for(Role.SECRETARIAT)
    pdf = _pdf(client, period=portfolio.period.pk, lang="ja")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOT.with_suffix("")
    command = [shutil.which("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-", str(prefix)]
    subprocess.run(command, input=pdf, check=True)  # noqa: S603 - our own fixed command
    assert SCREENSHOT.exists()
    assert SCREENSHOT.read_bytes().startswith(b"\x89PNG")
