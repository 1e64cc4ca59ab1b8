"""The edit form of a framework node: bilingual title and description, position, and the version it started from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import FrameworkNode


class FrameworkNodeForm(forms.Form):
    """Edits the translatable fields of a node; `version` makes a concurrent edit detectable."""

    EDITABLE = ("title_ja", "title_en", "description_ja", "description_en", "position")

    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300)
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=300,
        required=False,
        help_text=_("Left empty, readers of the English pages see the Japanese title, marked as untranslated."),
    )
    description_ja = forms.CharField(
        label=_("Description (Japanese)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    position = forms.IntegerField(
        label=pgettext_lazy("display order", "Position"),
        min_value=0,
        help_text=_("Order among its siblings: smaller numbers come first."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, node: FrameworkNode) -> dict[str, Any]:
        initial = {name: getattr(node, name) or "" for name in cls.EDITABLE}
        initial["position"] = node.position
        initial["version"] = node.version
        return initial

    def changes_for(self, node: FrameworkNode) -> dict[str, Any]:
        """The edited fields whose value differs from the node as loaded."""
        return {
            name: self.cleaned_data[name]
            for name in self.EDITABLE
            if self.cleaned_data[name] != (getattr(node, name) if name == "position" else getattr(node, name) or "")
        }
