"""The framework is public to read; the secretariat edits it."""

from cleanasia.core.permissions import ReferenceDataPolicy, register_policy

from .models import FrameworkNode

register_policy(FrameworkNode, ReferenceDataPolicy())
