"""Forms of the staff pages of co-benefit projects and their evaluations.

The project forms follow the network's (a plain form per record, the version in a hidden field). The structured
evaluation form is built from the engine's method catalogue (`method_catalogue()`): a plan (years, GWP set,
landfill convention and how many activities of which method on each side), then one `ActivityForm` per
activity whose fields are the method's parameters — a quantity as value, unit (the default unit pre-selected),
data quality and source, with the default factor shown beside it; left empty, the default applies, and a value
given overrides it for that activity. `request_from_forms` assembles the engine's request and
`place_engine_errors` puts each of the engine's `FieldError`s back at the field it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cleanasia.core.models import Visibility
from cleanasia.core.permissions import is_secretariat, visible
from cleanasia.directory.models import Country
from cleanasia.engines.cobenefits import FactorSet, FieldError, default_factors, method_catalogue
from cleanasia.measures.models import Measure
from cleanasia.network.models import KnowHowPackage, WorkingGroup

from . import policies as policy
from .models import ProjectStatus, Sector

GWP_SETS = ("SAR", "AR4", "AR5", "AR6")
FOD_CONVENTIONS = (
    ("ipcc2006", _("IPCC 2006 first-order decay")),
    ("cdm_tool04", _("CDM methodological tool 04")),
)
GRADES = (("measured", _("measured")), ("design", _("design value")), ("default", _("default factor")))
SIDES = ("baseline", "project")
MAX_PER_METHOD = 10
# The value each item of a keyed list carries besides its key (controls: fgd = 0.95 → efficiency 0.95).
KEYED_VALUE = {"controls": "efficiency", "generation_mix": "share", "treatment": "share"}
# Units offered beside the catalogue's own (the engine converts any unit of the right kind).
MORE_UNITS = {"1": ["%"], "t": ["kt"], "MWh": ["GWh", "kWh"], "TJ": ["GJ"], "kg": ["t"], "m³": ["ML"]}
FIELD_SEPARATOR = "__"


def _country_label(country: Country) -> str:
    return f"{country.name or country.code} ({country.code})"


# --- projects ------------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ProjectStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, _country_label(c)) for c in Country.objects.order_by("name_en")
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ProjectForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Small letters, digits and hyphens."))
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    package = forms.ModelChoiceField(
        label=_("Technology or know-how package"), queryset=KnowHowPackage.objects.none(), required=False
    )
    working_group = forms.ModelChoiceField(
        label=_("Working group"), queryset=WorkingGroup.objects.none(), required=False
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures the project advances"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.PLANNED)
    visibility = forms.ChoiceField(
        label=_("Who may see the project"), choices=Visibility.choices, initial=Visibility.SECRETARIAT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]
        countries = Country.objects.order_by("name_en")
        if not is_secretariat(user):
            countries = countries.filter(code__in=policy.focal_countries(user))
        self.fields["country"].queryset = countries
        self.fields["country"].label_from_instance = _country_label
        self.fields["package"].queryset = visible(KnowHowPackage.objects.all(), user).order_by("code")
        self.fields["working_group"].queryset = visible(WorkingGroup.objects.all(), user).order_by("code")
        self.fields["measures"].queryset = visible(Measure.objects.all(), user).order_by("code")

    @staticmethod
    def initial_for(project: Any, measure_ids: Sequence[int]) -> dict[str, Any]:
        names = ("code", "title_ja", "title_en", "country", "sector", "package", "working_group", "status")
        initial: dict[str, Any] = {name: getattr(project, name) for name in names}
        initial["visibility"] = project.visibility
        initial["measures"] = list(Measure.objects.filter(pk__in=measure_ids))
        initial["version"] = project.version
        return initial


class ProjectDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecomputeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


# --- the structured evaluation form ------------------------------------------------------------


def catalogue() -> dict[str, dict[str, Any]]:
    return {method["name"]: method for method in method_catalogue()}


def method_title(method: Mapping[str, Any]) -> str:
    return method["title_ja"] if (get_language() or "en").startswith("ja") else method["title_en"]


def count_name(side: str, method: str) -> str:
    return f"{side}{FIELD_SEPARATOR}{method}"


class EvaluationPlanForm(forms.Form):
    """The settings of the evaluation and how many activities of each method on each side (step 1); in step 2
    the counts travel as hidden fields and the settings stay editable."""

    label = forms.CharField(label=_("Label"), required=False, max_length=300)
    start = forms.IntegerField(label=_("First year"), min_value=1900, max_value=2200)
    end = forms.IntegerField(label=_("Last year"), min_value=1900, max_value=2200)
    gwp = forms.ChoiceField(
        label=_("GWP set"), choices=[(s, s) for s in GWP_SETS], initial="AR5", help_text=_("AR5 is the default.")
    )
    fod_convention = forms.ChoiceField(label=_("Landfill decay convention"), choices=FOD_CONVENTIONS)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, hide_counts: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.methods = catalogue()
        for side in SIDES:
            for name, method in self.methods.items():
                field = forms.IntegerField(
                    label=method_title(method),
                    min_value=0,
                    max_value=MAX_PER_METHOD,
                    initial=0,
                    required=False,
                )
                if hide_counts:
                    field.widget = forms.HiddenInput()
                self.fields[count_name(side, name)] = field

    def count_fields(self, side: str) -> list[forms.BoundField]:
        return [self[count_name(side, name)] for name in self.methods]

    @property
    def baseline_count_fields(self) -> list[forms.BoundField]:
        return self.count_fields("baseline")

    @property
    def project_count_fields(self) -> list[forms.BoundField]:
        return self.count_fields("project")

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("label", "start", "end", "gwp", "fod_convention", "note")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", _("The last year comes before the first."))
        if not any(data.get(count_name(side, name)) for side in SIDES for name in self.methods):
            raise forms.ValidationError(_("Add at least one activity to the baseline or the project."))
        return data

    def plan(self) -> list[tuple[str, str, int]]:
        """(side, method, position on the side) for each activity, in the order of the request."""
        rows: list[tuple[str, str, int]] = []
        for side in SIDES:
            index = 0
            for name in self.methods:
                for _n in range(self.cleaned_data.get(count_name(side, name)) or 0):
                    rows.append((side, name, index))
                    index += 1
        return rows


def unit_choices(unit: str) -> list[tuple[str, str]]:
    """The catalogue's units of a parameter ("t | TJ | m³"), the first being the default, and a few alike."""
    units: list[str] = []
    for part in unit.split("|"):
        part = part.strip()
        if part and part not in units:
            units.append(part)
        for more in MORE_UNITS.get(part, []):
            if more not in units:
                units.append(more)
    return [(u, "–" if u == "1" else u) for u in units]


def parse_number(text: str) -> float:
    return float(text.strip().replace(",", "").replace("_", ""))


def parse_lines(text: str) -> list[tuple[str, str]]:
    """Lines "key = value" (or a bare key); ValidationError naming the line."""
    rows: list[tuple[str, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        key, _sep, value = line.partition("=")
        if not key.strip() or not re.match(r"^[A-Za-z0-9_.-]+$", key.strip()):
            raise forms.ValidationError(
                _("Line %(number)d: write one entry per line as name = value.") % {"number": number}
            )
        rows.append((key.strip(), value.strip()))
    return rows


class QuantityValueField(forms.CharField):
    """A number, or (for a per-year parameter) one number per year separated by semicolons."""

    def __init__(self, *args: Any, per_year: bool, **kwargs: Any):
        self.per_year = per_year
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> float | list[float] | None:
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        parts = [p for p in text.split(";") if p.strip()] if self.per_year else [text]
        try:
            numbers = [parse_number(p) for p in parts]
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a number."), code="invalid") from exc
        return numbers if len(numbers) > 1 else numbers[0]


@dataclass(frozen=True)
class DefaultFactor:
    """What applies when a parameter is left empty: the library's factor, or the id pattern it depends on."""

    factor_id: str
    value: float | None = None
    unit: str = ""
    source: str = ""
    check: bool = False

    @property
    def resolved(self) -> bool:
        return self.value is not None


def default_factor(template: str, values: Mapping[str, Any], factors: FactorSet) -> DefaultFactor | None:
    """The default factor of a parameter once its pattern's placeholders are filled from the activity's choices
    (`combustion.ef_co2.{fuel}` with fuel natural_gas); unresolved when a choice is missing."""
    if not template:
        return None

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return str(value) if isinstance(value, str) and value else match.group(0)

    factor_id = re.sub(r"\{(\w+)\}", fill, template)
    if "{" in factor_id or "*" in factor_id or factor_id not in factors:
        return DefaultFactor(factor_id=template)
    factor = factors.get(factor_id)
    source = ", ".join(p for p in (factor.source.document, factor.source.table, factor.source.edition) if p)
    return DefaultFactor(factor_id, factor.value, factor.unit, source, factor.check)


@dataclass
class ParameterRow:
    """One parameter of an activity form, as the template prints it."""

    name: str
    kind: str
    description: str
    required: bool
    per_year: bool
    fields: list[forms.BoundField]
    default: DefaultFactor | None
    errors: list[str]


def _fuel_choices(factors: FactorSet) -> list[tuple[str, str]]:
    ja = (get_language() or "en").startswith("ja")
    fuels = factors.tables.get("combustion", {}).get("fuels", [])
    return [(f["id"], f"{f['title_ja'] if ja else f['title_en']} ({f['id']})") for f in fuels]


class ActivityForm(forms.Form):
    """The parameters of one activity of a method, from the engine's catalogue."""

    def __init__(self, *args: Any, method: Mapping[str, Any], side: str, index: int, factors: FactorSet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.method = method
        self.side = side
        self.index = index
        self.factors = factors
        for parameter in method["parameters"]:
            self._add(parameter)

    @property
    def path(self) -> str:
        return f"{self.side}.activities[{self.index}]"

    @property
    def title(self) -> str:
        return method_title(self.method)

    def _add(self, p: Mapping[str, Any]) -> None:
        name, kind = p["name"], p["kind"]
        label = p["name"]
        help_text = p.get("description", "")
        if kind == "quantity":
            self.fields[name] = QuantityValueField(
                label=label,
                required=False,
                per_year=p["per_year"],
                help_text=help_text,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 14}),
            )
            units = unit_choices(p["unit"] or "1")
            self.fields[f"{name}{FIELD_SEPARATOR}unit"] = forms.ChoiceField(
                label=_("Unit of %(name)s") % {"name": name}, choices=units, initial=units[0][0], required=False
            )
            self.fields[f"{name}{FIELD_SEPARATOR}grade"] = forms.ChoiceField(
                label=_("Data quality of %(name)s") % {"name": name},
                choices=[("", "—"), *GRADES],
                required=False,
            )
            self.fields[f"{name}{FIELD_SEPARATOR}source"] = forms.CharField(
                label=_("Source of %(name)s") % {"name": name}, required=False, max_length=300
            )
        elif kind == "choice":
            choices = list(p.get("choices") or [])
            options = [(c, c) for c in choices] if choices else []
            if name == "fuel":
                options = _fuel_choices(self.factors)
            if options:
                self.fields[name] = forms.ChoiceField(
                    label=label, choices=[("", "—"), *options], required=False, help_text=help_text
                )
            else:
                self.fields[name] = forms.CharField(label=label, required=False, max_length=100, help_text=help_text)
        elif kind == "flag":
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
                help_text=help_text,
            )
        else:  # a family: composition (by key) or a keyed list (controls, treatment, generation mix)
            example = {
                "composition": "food = 0.6",
                "controls": "fgd = 0.95",
                "treatment": "anaerobic_reactor = 1",
                "generation_mix": "coal = 0.6",
            }.get(name, "name = value")
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "code"}),
                help_text=_("%(description)s One per line, e.g. %(example)s.")
                % {"description": help_text, "example": example},
            )

    # --- reading -----------------------------------------------------------------------------

    def _choices_now(self) -> dict[str, Any]:
        """The activity's choices as typed (for the default factors shown), valid or not."""
        values: dict[str, Any] = {}
        for p in self.method["parameters"]:
            if p["kind"] == "choice":
                raw = self.data.get(self.add_prefix(p["name"])) if self.is_bound else self.initial.get(p["name"])
                if raw:
                    values[p["name"]] = str(raw)
        return values

    def _family(self, name: str, text: str) -> Any:
        rows = parse_lines(text)
        if name in KEYED_VALUE:
            key_field = {"controls": "type", "generation_mix": "fuel", "treatment": "system"}[name]
            items = []
            for key, value in rows:
                item: dict[str, Any] = {key_field: key}
                if value:
                    item[KEYED_VALUE[name]] = parse_number(value)
                items.append(item)
            return items
        return {key: parse_number(value) if value else 0 for key, value in rows}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for p in self.method["parameters"]:
            name = p["name"]
            if p["kind"] == "family" and data.get(name):
                try:
                    data[name] = self._family(name, data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
                except ValueError:
                    self.add_error(name, _("Write each value as a number."))
            if p["required"] and name in self.fields and data.get(name) in (None, "", [], {}):
                self.add_error(name, _("This parameter is required by the method."))
        return data

    def activity(self) -> dict[str, Any]:
        """The activity as the engine reads it; empty parameters are left out (their defaults apply)."""
        data = self.cleaned_data
        activity: dict[str, Any] = {"method": self.method["name"]}
        for p in self.method["parameters"]:
            name, kind = p["name"], p["kind"]
            value = data.get(name)
            if value in (None, "", [], {}):
                continue
            if kind == "quantity":
                quantity: dict[str, Any] = {"values" if isinstance(value, list) else "value": value}
                quantity["unit"] = data.get(f"{name}{FIELD_SEPARATOR}unit") or unit_choices(p["unit"] or "1")[0][0]
                if data.get(f"{name}{FIELD_SEPARATOR}grade"):
                    quantity["grade"] = data[f"{name}{FIELD_SEPARATOR}grade"]
                if data.get(f"{name}{FIELD_SEPARATOR}source"):
                    quantity["source"] = data[f"{name}{FIELD_SEPARATOR}source"]
                activity[name] = quantity
            elif kind == "flag":
                activity[name] = value == "yes"
            else:
                activity[name] = value
        return activity

    # --- showing -----------------------------------------------------------------------------

    def rows(self) -> list[ParameterRow]:
        """The parameters in the catalogue's order, each with its fields and default factor."""
        choices = self._choices_now()
        rows = []
        for p in self.method["parameters"]:
            name = p["name"]
            names = [name]
            if p["kind"] == "quantity":
                names += [f"{name}{FIELD_SEPARATOR}{part}" for part in ("unit", "grade", "source")]
            bound = [self[n] for n in names]
            errors = [str(e) for b in bound for e in b.errors]
            default = (
                default_factor(p.get("default_factor", ""), choices, self.factors) if p["kind"] != "family" else None
            )
            rows.append(
                ParameterRow(
                    name=name,
                    kind=p["kind"],
                    description=p.get("description", ""),
                    required=bool(p["required"]),
                    per_year=bool(p["per_year"]),
                    fields=bound,
                    default=default,
                    errors=errors,
                )
            )
        return rows

    def field_for_path(self, rest: str) -> str | None:
        """The form field an engine path inside this activity names (`fuel_quantity.value` → fuel_quantity)."""
        head = re.split(r"[.\[]", rest, maxsplit=1)[0]
        if head not in self.fields:
            return None
        tail = rest[len(head) :].lstrip(".")
        for part in ("unit", "grade", "source"):
            if tail == part and f"{head}{FIELD_SEPARATOR}{part}" in self.fields:
                return f"{head}{FIELD_SEPARATOR}{part}"
        return head


def activity_forms(
    plan: Iterable[tuple[str, str, int]], data: Any = None, factors: FactorSet | None = None
) -> list[ActivityForm]:
    methods = catalogue()
    factors = factors or default_factors()
    return [
        ActivityForm(data, method=methods[name], side=side, index=index, factors=factors, prefix=f"{side}-{index}")
        for side, name, index in plan
    ]


def request_from_forms(plan_form: EvaluationPlanForm, forms_: Sequence[ActivityForm]) -> dict[str, Any]:
    data = plan_form.cleaned_data
    request: dict[str, Any] = {
        "years": {"start": data["start"], "end": data["end"]},
        "gwp": data["gwp"],
        "fod_convention": data["fod_convention"],
        "baseline": {"activities": []},
        "project": {"activities": []},
    }
    if data.get("label"):
        request["label"] = data["label"]
    for form in forms_:
        request[form.side]["activities"].append(form.activity())
    return request


PLAN_PATHS = {"years": "start", "years.start": "start", "years.end": "end", "gwp": "gwp"}


def place_engine_errors(
    plan_form: EvaluationPlanForm,
    forms_: Sequence[ActivityForm],
    errors: Iterable[FieldError],
    describe: Any = None,
) -> None:
    """Each engine FieldError at the form field its path names; what names no field goes to the top."""
    by_path = {form.path: form for form in forms_}
    for error in errors:
        message = describe(error) if describe else error.message
        path = error.path or ""
        if path in PLAN_PATHS or path == "fod_convention":
            plan_form.add_error(PLAN_PATHS.get(path, path), message)
            continue
        match = re.match(r"^((?:baseline|project)\.activities\[\d+\])\.?(.*)$", path)
        form = by_path.get(match.group(1)) if match else None
        if form is None:
            plan_form.add_error(None, f"{path}: {message}" if path else message)
            continue
        field = form.field_for_path(match.group(2)) if match.group(2) else None
        if field is None:
            form.add_error(None, f"{match.group(2)}: {message}" if match.group(2) else message)
        else:
            form.add_error(field, message)
