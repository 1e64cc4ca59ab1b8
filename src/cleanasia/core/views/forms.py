"""What every form and list page does: a service's ValidationError shown at the fields, the other person's
change shown when a stale edit is refused, a list paged with its filters kept in the page links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from cleanasia.core.concurrency import StaleEditError

from .history import display_value


def add_service_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None, strip_prefix: str = ""
) -> None:
    """A service's ValidationError on the form: by field where the form has it, else at the top.

    `aliases` maps a service's field name to the form's (e.g. "organisation_name" → "organisation");
    `strip_prefix` drops a nesting prefix of the service's names (e.g. "person_data.").
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = name.removeprefix(strip_prefix) if strip_prefix else name
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def stale_context(form: forms.Form, exc: StaleEditError, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """What the other person changed and the current values (of `fields`, default every field of the form but
    the version), for the form page of a refused edit."""
    current = exc.instance
    model_fields = {f.name: f for f in type(current)._meta.concrete_fields}
    theirs = [
        {
            "label": form.fields[c.field].label if c.field in form.fields else c.label,
            "value": display_value(model_fields.get(c.field), c.new),
        }
        for c in exc.changes
        if c.field in model_fields
    ]
    shown = fields if fields is not None else tuple(name for name in form.fields if name != "version")
    now = [
        {"label": form.fields[name].label, "value": display_value(model_fields[name], getattr(current, name))}
        for name in shown
        if name in form.fields and name in model_fields
    ]
    return {"by": exc.by, "changes": theirs, "current": now}


def paginate(request: HttpRequest, rows: Any, page_size: int = 50) -> tuple[Page, str]:
    """The requested page of `rows` and the query string without `page` (filters stay in the page links)."""
    page = Paginator(rows, page_size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def changed_fields(form: forms.Form) -> dict[str, Any]:
    """The fields the user changed (all but the version), as a service's `changes`."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
