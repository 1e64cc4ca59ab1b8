"""Language switcher and hreflang alternates that keep the reader on the same page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_language_links(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    here = request.build_absolute_uri()
    rows = [(translate_url(here, code), code) for code, _name in settings.LANGUAGES]
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{1}" href="{0}">', rows)


@register.inclusion_tag("core/includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    options = [
        {"code": "ja", "label": "日本語", "current": current == "ja", "href": translate_url(path, "ja")},
        {"code": "en", "label": "English", "current": current == "en", "href": translate_url(path, "en")},
    ]
    return {"options": options, "next": path, "request": request}
