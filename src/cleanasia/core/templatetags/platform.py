"""Template helpers: bilingual fields with a fallback marker, fiscal years, permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cleanasia.core import permissions
from cleanasia.core.fiscal import fiscal_year, fiscal_year_label

register = template.Library()

_LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def _lang() -> str:
    return (get_language() or "ja")[:2]


@register.simple_tag
def tr(obj: Any, field: str) -> str:
    """A bilingual field in the page's language; if missing, the other language, marked.

    The marker says which language is shown and carries `lang` so screen readers
    pronounce it correctly.
    """
    lang = _lang()
    own = getattr(obj, f"{field}_{lang}", None)
    if own:
        return own
    other = "en" if lang == "ja" else "ja"
    value = getattr(obj, f"{field}_{other}", None) or ""
    if not value:
        return ""
    return format_html(
        '<span lang="{}">{}</span> <span class="fallback-marker" title="{}">{}</span>',
        other,
        value,
        _("Not yet translated; shown in the original language."),
        _("(%(language)s)") % {"language": _LANGUAGE_NAMES[other]},
    )


@register.filter
def fiscal_year_of(day: dt.date | None) -> str:
    if day is None:
        return ""
    return fiscal_year_label(fiscal_year(day), _lang())


@register.filter
def fy_label(year: int | None) -> str:
    return "" if year is None else fiscal_year_label(int(year), _lang())


@register.simple_tag(takes_context=True)
def can(context: dict, action: str, obj: Any) -> bool:
    """{% can "change" node as may_edit %}: the model's permission policy, never a role test."""
    return permissions.can(context["request"].user, action, obj)


@register.inclusion_tag("core/includes/demo_badge.html")
def demo_badge(obj: Any) -> dict:
    return {"show": bool(getattr(obj, "is_demo", False))}


@register.inclusion_tag("core/includes/workspace_nav.html", takes_context=True)
def workspace_nav(context: dict) -> dict:
    """The workspace menu from the modules' registered sections, with aria-current for the page."""
    from cleanasia.core.navigation import sections_for

    request = context["request"]
    here = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for section in sections_for(request.user):
        current = "page" if here == section.url_name else ("true" if here in section.related_url_names else "")
        items.append({"label": section.label, "url": section.url, "current": current})
    return {"items": items, "overview_current": here == "core:staff-home", "user": request.user}
