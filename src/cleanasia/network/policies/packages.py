"""Who sees and changes know-how packages, their case studies and the register of country needs; the action
codes of their services.

- KnowHowPackage: by its visibility level (the catalogue is public where the secretariat says so); the
  secretariat is the only one to create or change. Nothing is deleted.
- PackageCase: seen with its package; changed by the secretariat.
- CountryNeed: the secretariat and the focal points of the need's country, whatever the level; others
  only as its visibility level allows (public only when it says public). Focal points submit needs for
  their own country and edit them until the secretariat has matched or closed them; only the
  secretariat changes a need's status.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cleanasia.core.audit import register_action
from cleanasia.core.permissions import (
    ADD,
    CHANGE,
    SecretariatWritesPolicy,
    is_secretariat,
    register_policy,
    visibility_filter,
)

from ..models import CountryNeed, KnowHowPackage, NeedStatus, PackageCase
from .common import focal_countries

# Actions beyond the generic ones.
SET_STATUS = "set_status"

# A need stays its country's to edit until the secretariat has matched or closed it.
EDITABLE_BY_COUNTRY = (NeedStatus.SUBMITTED, NeedStatus.ACKNOWLEDGED)

# Action codes written by services/packages.py.
PACKAGE_CREATED = "network.package.created"
PACKAGE_UPDATED = "network.package.updated"
CASE_ADDED = "network.package_case.added"
CASE_UPDATED = "network.package_case.updated"
NEED_SUBMITTED = "network.need.submitted"
NEED_UPDATED = "network.need.updated"
NEED_STATUS_SET = "network.need.status_set"

for _code, _label in (
    (PACKAGE_CREATED, _("Know-how package created")),
    (PACKAGE_UPDATED, _("Know-how package changed")),
    (CASE_ADDED, _("Case study added")),
    (CASE_UPDATED, _("Case study changed")),
    (NEED_SUBMITTED, _("Country need submitted")),
    (NEED_UPDATED, _("Country need changed")),
    (NEED_STATUS_SET, _("Status of the country need changed")),
):
    register_action(_code, _label)


def may_submit_for(user: Any, country_code: str) -> bool:
    """Whether `user` may register a need of that country: its focal points and the secretariat."""
    return is_secretariat(user) or country_code in focal_countries(user)


def package_filter(user: Any, prefix: str = "") -> Q | None:
    """The Q limiting packages (or rows under a package, through `prefix`) to what `user` sees; None: all."""
    condition = visibility_filter(user, KnowHowPackage)
    if condition is None or not prefix:
        return condition
    return Q(**{f"{prefix}__in": KnowHowPackage.objects.filter(condition).values("pk")})


def need_filter(user: Any) -> Q | None:
    """The Q limiting needs to what `user` sees; None: all (the secretariat)."""
    condition = visibility_filter(user, CountryNeed)
    if condition is None:
        return None
    countries = focal_countries(user)
    if countries:
        condition |= Q(country_id__in=countries)
    return condition


class CountryNeedPolicy(SecretariatWritesPolicy):
    """Needs: their country's focal points submit and edit (until matched or closed); the secretariat decides."""

    def __init__(self) -> None:
        super().__init__(need_filter)

    def can(self, user: Any, action: str, obj: models.Model | None = None) -> bool:
        if action in (ADD, CHANGE) and not is_secretariat(user):
            countries = focal_countries(user)
            if obj is None:
                return bool(countries)
            return isinstance(obj, CountryNeed) and obj.country_id in countries and obj.status in EDITABLE_BY_COUNTRY
        return super().can(user, action, obj)


register_policy(KnowHowPackage, SecretariatWritesPolicy(package_filter))
register_policy(PackageCase, SecretariatWritesPolicy(lambda user: package_filter(user, "package")))
register_policy(CountryNeed, CountryNeedPolicy())
