"""Query parameters of the framework endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cleanasia.framework.models import FrameworkNode, NodeKind


class FrameworkNodeFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=NodeKind.choices)
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Id of the parent node."))
    root = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("true: only the nodes at the top of the tree.")
    )

    class Meta:
        model = FrameworkNode
        fields = ["kind", "parent", "root"]
