"""Placeholder: the measures permission policies."""
