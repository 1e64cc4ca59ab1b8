"""Open data of the progress module: public measures with their results as IATI 2.03 activity XML and as CSV.

Only what the public may see is exported, whoever asks: measures the measure
policy shows to an anonymous reader (visibility PUBLIC) and, under them, only
indicators the secretariat approved for publication. The XML validates against
the IATI activity schema 2.03 (tests/measures/iati_schema/).

Mapping (IATI codelists named in brackets):

* iati-identifier: ``<reporting-org ref>-<measure code>``;
* activity-status [ActivityStatus]: planned 1, ongoing 2, completed 4, cancelled 5, suspended 6;
* activity-date [ActivityDateType]: 1 planned start, 3 planned end;
* participating-org [OrganisationRole]: the reporting organisation 1 funding, the responsible unit
  2 accountable, partner organisations 4 implementing;
* sector: vocabulary 1 (OECD DAC CRS 5-digit), one default code for every measure (see DEFAULT_SECTOR);
* budget: one per Japanese fiscal year (1 April – 31 March), JPY, value-date the first day of the year;
* result type [ResultType]: output 1, outcome 2, impact 3; indicator measure [IndicatorMeasure]: unit 1,
  percentage 2 (unit "%"), qualitative 5; ascending 1 when higher is better, 0 when lower is;
* indicator periods: one per target year (the fiscal year, with the target) and one per reporting period
  with an actual (the period's dates, with the actual).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from cleanasia.core.models import Visibility
from cleanasia.core.permissions import visible

from .models import Actual, Baseline, Indicator, Measure, MeasureBudget, Result, Target

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The reporting organisation. NOTE: "JP-CAI" is a placeholder, not a registered IATI organisation
# identifier: the real one (e.g. the ministry's XM-DAC-701-… or JP-… identifier from the IATI
# organisation registry) MUST be confirmed before the file is published to the IATI Registry.
# A deployment can set CLEANASIA_IATI_REPORTING_ORG_REF in the settings instead.
IATI_REPORTING_ORG_REF = "JP-CAI"
IATI_REPORTING_ORG_TYPE = "10"  # OrganisationType 10: Government
IATI_REPORTING_ORG_NAME = {"ja": "クリーン・アジア・イニシアティブ事務局", "en": "Clean Asia Initiative Secretariat"}

# DEFAULT sector for every measure (no sector is recorded per measure yet): DAC CRS 5-digit
# 41010 "Environmental policy and administrative management", vocabulary 1.
DEFAULT_SECTOR = {"vocabulary": "1", "code": "41010"}

ACTIVITY_STATUS = {"planned": "1", "ongoing": "2", "completed": "4", "cancelled": "5", "suspended": "6"}
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
ORGANISATION_TYPE = {
    "ministry": "10",  # Government
    "research": "80",  # Academic, Training and Research
    "university": "80",
    "international": "40",  # Multilateral
    "network": "40",
    "ngo": "22",  # National NGO (the platform does not tell national from international)
    "private": "70",  # Private Sector
    "other": "90",
}

CSV_COLUMNS = [
    "measure_code",
    "iati_identifier",
    "measure_title_ja",
    "measure_title_en",
    "framework_line",
    "status",
    "starts_on",
    "ends_on",
    "partner_countries",
    "result_level",
    "result_title_ja",
    "result_title_en",
    "indicator_code",
    "indicator_title_ja",
    "indicator_title_en",
    "unit",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "latest_period",
    "latest_value",
    "progress_status",
]


def reporting_org_ref() -> str:
    return getattr(settings, "CLEANASIA_IATI_REPORTING_ORG_REF", IATI_REPORTING_ORG_REF)


def iati_identifier(measure: Measure) -> str:
    return f"{reporting_org_ref()}-{measure.code}"


def public_measures() -> QuerySet:
    """The measures an anonymous reader may see, with everything the export needs prefetched (fixed queries)."""
    anonymous = AnonymousUser()
    indicators = (
        visible(Indicator.objects.all(), anonymous)
        .filter(public_approved=True)
        .order_by("code")
        .prefetch_related(
            Prefetch("baselines", queryset=Baseline.objects.order_by("year", "dimension_key")),
            Prefetch("targets", queryset=Target.objects.order_by("year", "dimension_key")),
        )
        .select_related("latest_period")
    )
    results = Result.objects.order_by("position", "id").prefetch_related(Prefetch("indicators", queryset=indicators))
    return (
        visible(Measure.objects.all(), anonymous)
        # The policy decides; this only states the rule of open data again, in case a policy ever widens.
        .filter(visibility=Visibility.PUBLIC)
        .select_related("responsible_unit", "framework_node")
        .prefetch_related(
            "partner_countries",
            "partner_organisations",
            Prefetch("budgets", queryset=MeasureBudget.objects.order_by("fiscal_year")),
            Prefetch("results", queryset=results),
        )
        .order_by("code")
    )


class ActualRow(NamedTuple):
    """An actual as the export needs it (a tuple, not a model instance: there are hundreds of thousands)."""

    starts_on: dt.date
    ends_on: dt.date
    value: float | None
    text_value: str
    dimensions: dict
    comment: str


def actuals_by_indicator(indicator_ids: Iterable[int]) -> dict[int, list[ActualRow]]:
    """Every actual of the given indicators, oldest period first, in one query."""
    grouped: dict[int, list[ActualRow]] = defaultdict(list)
    rows = (
        Actual.objects.filter(indicator_id__in=list(indicator_ids))
        .order_by("indicator_id", "period__starts_on", "dimension_key")
        .values_list(
            "indicator_id", "period__starts_on", "period__ends_on", "value", "text_value", "dimensions", "comment"
        )
    )
    for indicator_id, *fields in rows.iterator(chunk_size=5000):
        grouped[indicator_id].append(ActualRow(*fields))
    return grouped


def _number(value: float | Decimal | None) -> str:
    """A value as IATI wants it: a plain decimal, no exponent, no trailing ".0"."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def _narratives(parent: etree._Element, tag: str, texts: dict[str, str], **attrs: str) -> etree._Element | None:
    """`<tag>` with one `<narrative xml:lang=…>` per language that has a text (empty ones skipped)."""
    present = {lang: text for lang, text in texts.items() if text and text.strip()}
    if not present:
        return None
    element = etree.SubElement(parent, tag, **attrs)
    for lang, text in present.items():
        narrative = etree.SubElement(element, "narrative")
        narrative.set(XML_LANG, lang)
        narrative.text = text
    return element


def _fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The Japanese fiscal year `year`: 1 April `year` – 31 March `year + 1`."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def _percentages(count: int) -> list[str]:
    """`count` shares adding up to exactly 100 (IATI rule for several recipient countries)."""
    if count == 0:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    shares = [share] * count
    shares[-1] = Decimal(100) - share * (count - 1)
    return [_number(s) for s in shares]


def _value_with_dimensions(parent: etree._Element, tag: str, row, *, qualitative: bool) -> None:
    element = etree.SubElement(parent, tag)
    if row.value is not None and not qualitative:
        element.set("value", _number(row.value))
    for name in sorted(row.dimensions or {}):
        etree.SubElement(element, "dimension", name=str(name), value=str(row.dimensions[name]))
    comment = row.text_value if qualitative else getattr(row, "comment", "")
    if comment:
        _narratives(element, "comment", {"en": comment})


def _indicator(parent: etree._Element, indicator: Indicator, actuals: list[ActualRow]) -> None:
    qualitative = indicator.indicator_type == "qualitative"
    measure_code = "5" if qualitative else ("2" if indicator.unit.strip() == "%" else "1")
    element = etree.SubElement(
        parent, "indicator", measure=measure_code, ascending="1" if indicator.direction == "increase" else "0"
    )
    _narratives(element, "title", {"ja": indicator.title_ja, "en": indicator.title_en} | _fallback(indicator))
    if indicator.unit and not qualitative:
        _narratives(element, "description", {"en": f"Unit: {indicator.unit}"})
    for baseline in indicator.baselines.all():
        node = etree.SubElement(element, "baseline", year=str(baseline.year))
        if baseline.value is not None and not qualitative:
            node.set("value", _number(baseline.value))
        for name in sorted(baseline.dimensions or {}):
            etree.SubElement(node, "dimension", name=str(name), value=str(baseline.dimensions[name]))
        text = baseline.text_value if qualitative else baseline.comment
        if text:
            _narratives(node, "comment", {"en": text})
    for target in indicator.targets.all():
        start, end = _fiscal_year_bounds(target.year)
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(period, "period-end", **{"iso-date": end.isoformat()})
        _value_with_dimensions(period, "target", target, qualitative=qualitative)
    for actual in actuals:
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", **{"iso-date": actual.starts_on.isoformat()})
        etree.SubElement(period, "period-end", **{"iso-date": actual.ends_on.isoformat()})
        _value_with_dimensions(period, "actual", actual, qualitative=qualitative)


def _fallback(record) -> dict[str, str]:
    """IATI requires a title: when neither language has one, the code stands in."""
    if (record.title_ja or "").strip() or (record.title_en or "").strip():
        return {}
    return {"en": getattr(record, "code", "") or str(record.pk)}


def _activity(root: etree._Element, measure: Measure, actuals: dict[int, list[ActualRow]]) -> None:
    activity = etree.SubElement(root, "iati-activity", **{"default-currency": "JPY"})
    activity.set("last-updated-datetime", timezone.localtime(measure.updated_at).isoformat(timespec="seconds"))
    activity.set(XML_LANG, "ja")
    etree.SubElement(activity, "iati-identifier").text = iati_identifier(measure)
    _narratives(
        activity,
        "reporting-org",
        IATI_REPORTING_ORG_NAME,
        ref=reporting_org_ref(),
        type=IATI_REPORTING_ORG_TYPE,
    )
    _narratives(activity, "title", {"ja": measure.title_ja, "en": measure.title_en} | _fallback(measure))
    description = {"ja": measure.description_ja or measure.title_ja, "en": measure.description_en}
    if not any((text or "").strip() for text in description.values()):
        description = {"en": measure.code}
    _narratives(activity, "description", description, type="1")

    _narratives(activity, "participating-org", IATI_REPORTING_ORG_NAME, ref=reporting_org_ref(), role="1")
    organisations = []
    if measure.responsible_unit is not None:
        organisations.append(("2", measure.responsible_unit))
    organisations += [("4", org) for org in sorted(measure.partner_organisations.all(), key=lambda o: o.pk)]
    for role, organisation in organisations:
        attrs = {"role": role}
        if organisation.kind in ORGANISATION_TYPE:
            attrs["type"] = ORGANISATION_TYPE[organisation.kind]
        names = {"ja": organisation.name_ja, "en": organisation.name_en}
        if not any(names.values()):
            names = {"en": organisation.acronym or str(organisation.pk)}
        _narratives(activity, "participating-org", names, **attrs)

    etree.SubElement(activity, "activity-status", code=ACTIVITY_STATUS.get(measure.status, "2"))
    start = measure.starts_on or measure.created_at.date()
    etree.SubElement(activity, "activity-date", type="1", **{"iso-date": start.isoformat()})
    if measure.ends_on:
        etree.SubElement(activity, "activity-date", type="3", **{"iso-date": measure.ends_on.isoformat()})

    countries = sorted(measure.partner_countries.all(), key=lambda c: c.code)
    for country, share in zip(countries, _percentages(len(countries)), strict=True):
        attrs = {"code": country.code}
        if len(countries) > 1:
            attrs["percentage"] = share
        names = {"ja": country.name_ja, "en": country.name_en}
        if _narratives(activity, "recipient-country", names, **attrs) is None:
            etree.SubElement(activity, "recipient-country", **attrs)
    etree.SubElement(activity, "sector", vocabulary=DEFAULT_SECTOR["vocabulary"], code=DEFAULT_SECTOR["code"])

    for budget in measure.budgets.all():
        start, end = _fiscal_year_bounds(budget.fiscal_year)
        node = etree.SubElement(activity, "budget", type="1", status="1")
        etree.SubElement(node, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(node, "period-end", **{"iso-date": end.isoformat()})
        value = etree.SubElement(node, "value", currency="JPY", **{"value-date": start.isoformat()})
        value.text = _number(budget.amount_jpy)

    for result in measure.results.all():
        indicators = list(result.indicators.all())
        if not indicators:
            continue  # IATI requires at least one indicator per result; unpublished ones stay out.
        node = etree.SubElement(activity, "result", type=RESULT_TYPE[result.level])
        node.set("aggregation-status", "0")
        _narratives(node, "title", {"ja": result.title_ja, "en": result.title_en} | _fallback(result))
        for indicator in indicators:
            _indicator(node, indicator, actuals.get(indicator.pk, []))


def iati_activities_xml(measures: Iterable[Measure] | None = None, *, generated_at: dt.datetime | None = None) -> bytes:
    """The IATI 2.03 `iati-activities` document of `measures` (default: every public measure)."""
    measures = list(public_measures() if measures is None else measures)
    indicator_ids = [i.pk for m in measures for r in m.results.all() for i in r.indicators.all()]
    actuals = actuals_by_indicator(indicator_ids)
    root = etree.Element("iati-activities", version=IATI_VERSION)
    root.set("generated-datetime", (generated_at or timezone.now()).isoformat(timespec="seconds"))
    root.append(
        etree.Comment(
            f" Reporting organisation {reporting_org_ref()} is provisional; sector {DEFAULT_SECTOR['code']} "
            "(DAC 5-digit) is a default applied to every measure. "
        )
    )
    for measure in measures:
        _activity(root, measure, actuals)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _effective_status(indicator: Indicator) -> str:
    return indicator.status_override or getattr(indicator, "computed_status", "") or "not_available"


def open_data_rows(measures: Iterable[Measure] | None = None) -> Iterable[list[str]]:
    """One row per published indicator of each public measure (a measure without one: a row of its own)."""
    measures = public_measures() if measures is None else measures
    for measure in measures:
        base = [
            measure.code,
            iati_identifier(measure),
            measure.title_ja,
            measure.title_en,
            measure.framework_node.code,
            measure.status,
            measure.starts_on.isoformat() if measure.starts_on else "",
            measure.ends_on.isoformat() if measure.ends_on else "",
            " ".join(sorted(c.code for c in measure.partner_countries.all())),
        ]
        rows = 0
        for result in measure.results.all():
            for indicator in result.indicators.all():
                baselines = [b for b in indicator.baselines.all() if not b.dimension_key]
                targets = [t for t in indicator.targets.all() if not t.dimension_key]
                baseline = baselines[0] if baselines else None
                target = targets[-1] if targets else None
                rows += 1
                yield [
                    *base,
                    result.level,
                    result.title_ja,
                    result.title_en,
                    indicator.code,
                    indicator.title_ja,
                    indicator.title_en,
                    indicator.unit,
                    indicator.direction,
                    str(baseline.year) if baseline else "",
                    _number(baseline.value) if baseline else "",
                    str(target.year) if target else "",
                    _number(target.value) if target else "",
                    # The stored latest total (services.indicator_recompute), so the CSV reads no actuals.
                    str(indicator.latest_period) if indicator.latest_period else "",
                    _number(indicator.latest_value),
                    _effective_status(indicator),
                ]
        if rows == 0:
            yield [*base, *[""] * (len(CSV_COLUMNS) - len(base))]


def open_data_csv(measures: Iterable[Measure] | None = None) -> bytes:
    """The CSV of `open_data_rows`, UTF-8 with a byte-order mark so that Excel reads the Japanese titles."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(open_data_rows(measures))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
