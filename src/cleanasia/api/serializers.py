"""Serializers of the API layer itself (authentication) and what every module's request bodies share: the
version an edit carries, unknown fields refused by name, records named in a body looked up as the user sees
them."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cleanasia.core.permissions import visible

VERSION_HELP = _("Send it back with an edit; an edit from an older version is refused (409).")


class RejectUnknownFieldsMixin:
    """Fields a body may not set are refused by name rather than silently ignored."""

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be set through the API.")] for name in unknown}
            )
        return attrs


class VersionedEditSerializer(serializers.Serializer):
    """An edit body (a base to put first): it sends only what changes, and the version it starts from."""

    version = serializers.IntegerField(min_value=1, help_text=_("The version the edit starts from."))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty


def visible_or_400(queryset: QuerySet, user: Any, field: str, value: Any, lookup: str = "pk") -> Any:
    """A record named in a body (its key, or the record a serializer field already fetched), if the user may
    see it; else a 400 naming the field (as if it did not exist)."""
    if lookup == "pk" and hasattr(value, "pk"):
        value = value.pk
    found = visible(queryset, user).filter(**{lookup: value}).first()
    if found is None:
        raise serializers.ValidationError({field: [_("No such record.")]})
    return found


def pop_version(changes: dict[str, Any]) -> int:
    """The version an edit was read at, taken out of the body's changes (a 400 on `version` without it)."""
    version = changes.pop("version", None)
    if version is None:
        raise serializers.ValidationError({"version": [_("Send the version you read.")]})
    return version


class TokenObtainSerializer(serializers.Serializer):
    """E-mail address and password in; the user's token out."""

    email = serializers.EmailField(label=_("e-mail address"), write_only=True)
    password = serializers.CharField(
        label=_("password"), write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    token = serializers.CharField(label=_("token"), read_only=True)
