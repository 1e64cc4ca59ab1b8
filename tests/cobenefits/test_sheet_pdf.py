"""The calculation sheet as PDF: a PDF, Noto Sans JP embedded, Japanese text extractable, every source in it."""

import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from cleanasia.cobenefits.sheet import format_number
from cleanasia.cobenefits.views.examples import examples
from cleanasia.engines.cobenefits import evaluate

pytestmark = pytest.mark.django_db


def pdf_font_names(pdf: bytes) -> set[str]:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    command = [shutil.which("pdffonts"), "-"]
    out = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603
    return {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    command = [shutil.which("pdftotext"), "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def _pdf(client, language: str, request: dict) -> bytes:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.post(f"/{language}/cobenefits/sheet.pdf", {"request": json.dumps(request)})
    assert response.status_code == 200, response.content[:1000]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cobenefits-calculation-sheet-{language}.pdf"'
    return response.content


def test_the_japanese_sheet_embeds_noto_sans_jp_and_its_japanese_is_extractable(client):
    request = examples()["coal_boiler_to_gas"].request
    pdf = _pdf(client, "ja", request)
    assert pdf.startswith(b"%PDF")
    assert "Noto-Sans-JP" in pdf_font_names(pdf)
    text = pdf_text(pdf)
    assert "固定発生源の燃料燃焼(燃料転換・省エネルギー)" in text  # the method's title in Japanese
    assert "合計" in text
    assert "baseline.activities[0]" in text


def test_the_english_sheet_lets_a_reviewer_recompute_every_line(client):
    request = examples()["landfill_food_waste_composting"].request
    expected = evaluate(request)
    pdf = _pdf(client, "en", request)
    text = " ".join(pdf_text(pdf).split())
    assert "Calculation sheet" in text
    assert "landfill_fod" in text
    assert "waste_treatment" in text
    assert "DDOCm_j,T" in text  # the equations
    assert "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 5 Waste" in text
    assert "(check)" in text
    assert format_number(expected.total("co2e", "reduction")) in text
    assert f"CO2e ({expected.gwp_set})" in text
    assert "Noto-Sans-JP" in pdf_font_names(pdf)


def test_the_result_page_posts_the_request_to_the_pdf(client):
    request = examples()["wastewater_lagoon_to_reactor"].request
    page = client.post(reverse("cobenefits:calculator"), {"request": json.dumps(request)}).content.decode()
    assert f'action="{reverse("cobenefits:sheet-pdf")}"' in page
    assert 'name="request" value="{&quot;label&quot;' in page


def test_a_bad_request_gets_the_form_with_its_errors_not_a_pdf(client):
    request = json.loads(json.dumps(examples()["coal_boiler_to_gas"].request))
    request["baseline"]["activities"][0]["sulphur_content"]["value"] = 120
    response = client.post(reverse("cobenefits:sheet-pdf"), {"request": json.dumps(request)})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "baseline.activities[0].sulphur_content" in response.content.decode()
