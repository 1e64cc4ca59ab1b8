"""Filter forms of the directory pages (GET, so that a result has a URL that can be shared)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CountryGroup


class GroupMembersForm(forms.Form):
    """Which countries were members of a group on a given day."""

    group = forms.ModelChoiceField(
        label=_("Group"), queryset=CountryGroup.objects.none(), to_field_name="code", empty_label=_("All countries")
    )
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups if groups is not None else CountryGroup.objects.order_by("code")
        self.fields["group"].required = False

    def day(self):
        return (self.cleaned_data.get("on") if self.is_bound and self.is_valid() else None) or timezone.localdate()


class SearchForm(forms.Form):
    """A free-text search; each list names what it searches in the label."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["q"].label = label
