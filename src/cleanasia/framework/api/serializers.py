"""Representations of framework nodes in the API, and the body of an edit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cleanasia.framework.models import FrameworkNode, NodeKind


class FrameworkNodeSerializer(serializers.ModelSerializer):
    children = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("Ids of the child nodes, in order.")
    )
    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back with an edit; an edit from an older version is refused (409).")
    )

    class Meta:
        model = FrameworkNode
        fields = [
            "id",
            "code",
            "kind",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "parent",
            "position",
            "children",
            "version",
        ]


class FrameworkTreeNodeSerializer(serializers.ModelSerializer):
    """A node with its descendants nested, for drawing the framework in one request."""

    children = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkNode
        fields = [
            "id",
            "code",
            "kind",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "position",
            "version",
            "children",
        ]

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/FrameworkTreeNode"}})
    def get_children(self, node: FrameworkNode) -> list[dict]:
        kids = self.context["children_of"].get(node.pk, [])
        return FrameworkTreeNodeSerializer(kids, many=True, context=self.context).data


class FrameworkNodeUpdateSerializer(serializers.Serializer):
    """The body of PATCH: the version the client read and the fields to change."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version of the node the edit starts from (as read from the API).")
    )
    title_ja = serializers.CharField(max_length=300, required=False, allow_blank=False)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description_ja = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, required=False)
    kind = serializers.ChoiceField(choices=NodeKind.choices, required=False)

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            # Silently ignoring them would let a client believe it changed the code or parent.
            raise serializers.ValidationError(
                {name: [_("This field cannot be changed through the API.")] for name in unknown}
            )
        if len(attrs) == 1:
            raise serializers.ValidationError(_("Nothing to change: send at least one field besides the version."))
        return attrs
