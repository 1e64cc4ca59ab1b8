"""Fixtures of the directory tests: the real reference data, loaded as `cleanasia load_reference` does."""

import io

import pytest
from django.core.management import call_command


def load_reference() -> str:
    """Run `cleanasia load_reference` and return what it printed."""
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


@pytest.fixture
def reference(db) -> str:
    return load_reference()
