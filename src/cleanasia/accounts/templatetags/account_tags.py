"""Small template helpers of the account pages."""

import datetime as dt
import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(value: dt.timedelta | None) -> int:
    """A waiting time in whole minutes, rounded up (a lockout of 14.5 minutes reads "15")."""
    if not value:
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))
