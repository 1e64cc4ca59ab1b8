"""Placeholder: the measures services."""
