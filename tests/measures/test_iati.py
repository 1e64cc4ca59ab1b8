"""Open data: public measures as IATI 2.03 activity XML that validates against the IATI schema, and as CSV."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from cleanasia.accounts.models import Role
from cleanasia.measures import services
from cleanasia.measures.iati import IATI_REPORTING_ORG_REF
from tests.factories import OrganisationFactory

from .factories import make_indicator, make_measure, make_period

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).parent / "iati_schema"
URL = "/api/v1/measures/iati/"


@pytest.fixture(scope="module")
def iati_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def assert_valid(iati_schema, content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    valid = iati_schema.validate(document)
    assert valid, "\n".join(str(e) for e in iati_schema.error_log)
    return document


@pytest.fixture
def published():
    """A public measure with a budget, partners, an approved quantitative and qualitative indicator, and hidden rows."""
    import datetime as dt

    unit = OrganisationFactory(name_en="Ministry of the Environment", name_ja="環境省", kind="ministry")
    measure = make_measure(
        code="M-AIR",
        visibility="public",
        title_ja="大気汚染対策",
        title_en="Air pollution control",
        description_en="Monitoring and training.",
        countries=("VN", "TH"),
        responsible_unit=unit,
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )
    measure.partner_organisations.add(OrganisationFactory(name_en="Hanoi Institute", name_ja="", kind="research"))
    services.budget_set(actor=None, measure=measure, fiscal_year=2026, amount_jpy=Decimal(12_000_000))
    emissions = make_indicator(measure, code="I-CO2", unit="t CO2e", direction="decrease", public_approved=True)
    services.baseline_set(actor=None, indicator=emissions, year=2015, value=1000.0)
    services.target_set(actor=None, indicator=emissions, year=2030, value=600.0)
    period = make_period(fiscal_year=2026, number=1)
    services.actual_record(actor=None, indicator=emissions, period=period, value=850.5, comment="Inventory 2026.")
    services.actual_record(actor=None, indicator=emissions, period=period, value=400.0, dimensions={"country": "VN"})
    policy = make_indicator(measure, code="I-POLICY", unit="", indicator_type="qualitative", public_approved=True)
    services.baseline_set(actor=None, indicator=policy, year=2015, text_value="No framework.")
    make_indicator(measure, code="I-UNPUBLISHED", public_approved=False)
    make_measure(code="M-SECRET", visibility="secretariat")
    make_measure(code="M-MEMBERS", visibility="members")
    return measure


def test_public_measures_export_as_valid_iati_2_03(published, client, iati_schema):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = assert_valid(iati_schema, response.content)
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime")
    activities = root.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == [f"{IATI_REPORTING_ORG_REF}-M-AIR"]


def test_the_activity_carries_titles_partners_budget_and_status(published, client):
    activity = etree.fromstring(client.get(URL).content).find("iati-activity")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {n.get(lang): n.text for n in activity.find("title").findall("narrative")}
    assert titles == {"ja": "大気汚染対策", "en": "Air pollution control"}
    assert activity.find("reporting-org").get("ref") == IATI_REPORTING_ORG_REF
    roles = [(o.get("role"), o.findtext("narrative")) for o in activity.findall("participating-org")]
    assert ("2", "環境省") in roles
    assert ("4", "Hanoi Institute") in roles
    assert activity.find("activity-status").get("code") == "2"  # ongoing → implementation
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2024-04-01", "3": "2029-03-31"}
    countries = {c.get("code"): c.get("percentage") for c in activity.findall("recipient-country")}
    assert countries == {"TH": "50", "VN": "50"}
    assert activity.find("sector").get("code") == "41010"
    budget = activity.find("budget")
    assert budget.find("period-start").get("iso-date") == "2026-04-01"
    assert budget.find("period-end").get("iso-date") == "2027-03-31"
    value = budget.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == ("12000000", "JPY", "2026-04-01")


def test_only_approved_indicators_appear_with_their_values(published, client):
    activity = etree.fromstring(client.get(URL).content).find("iati-activity")
    indicators = activity.findall("result/indicator")
    titles = [i.find("title/narrative").text for i in indicators]
    assert len(indicators) == 2, titles
    emissions = next(i for i in indicators if i.get("measure") == "1")
    assert emissions.get("ascending") == "0"  # lower is better
    assert emissions.find("baseline").get("year") == "2015"
    assert emissions.find("baseline").get("value") == "1000"
    periods = emissions.findall("period")
    target_period = next(p for p in periods if p.find("target") is not None)
    assert target_period.find("period-start").get("iso-date") == "2030-04-01"
    assert target_period.find("target").get("value") == "600"
    actuals = [p.find("actual") for p in periods if p.find("actual") is not None]
    assert {a.get("value") for a in actuals} == {"850.5", "400"}
    split = next(a for a in actuals if a.find("dimension") is not None)
    assert (split.find("dimension").get("name"), split.find("dimension").get("value")) == ("country", "VN")
    qualitative = next(i for i in indicators if i.get("measure") == "5")
    assert qualitative.find("baseline/comment/narrative").text == "No framework."
    assert activity.find("result").get("type") == "2"  # outcome


@pytest.mark.parametrize("role", ["public", Role.SECRETARIAT])
def test_the_export_is_the_same_open_data_for_everyone(role, published, client_for):
    client, _user = client_for(role)
    root = etree.fromstring(client.get(URL).content)
    assert [a.findtext("iati-identifier") for a in root.findall("iati-activity")] == ["JP-CAI-M-AIR"]


def test_a_larger_portfolio_still_validates(client, iati_schema):
    for index in range(5):
        measure = make_measure(code=f"M-{index}", visibility="public", status=["planned", "completed"][index % 2])
        make_indicator(measure, public_approved=True, direction="increase", unit="%")
    root = assert_valid(iati_schema, client.get(URL).content)
    assert len(root.findall("iati-activity")) == 5
    assert {a.find("activity-status").get("code") for a in root.findall("iati-activity")} == {"1", "4"}
    assert {i.get("measure") for i in root.iter("indicator")} == {"2"}  # percentage


def test_the_export_is_built_once_per_change_and_answers_not_modified(published, client):
    first = client.get(URL)
    etag = first["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(URL).content == first.content  # the same document, generated time included

    services.measure_update(
        actor=None, measure=published, expected_version=published.version, changes={"title_en": "Cleaner air"}
    )
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Cleaner air" in changed.content


@pytest.mark.parametrize("url", [URL + "?format=csv", "/api/v1/measures/iati.csv"])
def test_the_same_open_data_as_csv(url, published, client):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["indicator_code"] for r in rows) == ["I-CO2", "I-POLICY"]
    co2 = next(r for r in rows if r["indicator_code"] == "I-CO2")
    assert co2["measure_title_ja"] == "大気汚染対策"
    assert (co2["baseline_value"], co2["target_value"], co2["latest_value"]) == ("1000", "600", "850.5")
    assert co2["partner_countries"] == "TH VN"
