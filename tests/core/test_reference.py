"""`cleanasia load_reference`: one command loads every app's reference data, idempotently."""

import io

import pytest
from django.core.management import call_command

from cleanasia.core.management.commands.load_reference import reference_loaders
from cleanasia.directory.models import Country, CountryGroup
from cleanasia.framework.models import FrameworkNode

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    return out.getvalue()


def test_apps_are_loaded_in_installed_apps_order_directory_before_framework():
    labels = [label for label, _load in reference_loaders()]
    assert labels.index("directory") < labels.index("framework")


def test_the_first_run_loads_and_the_second_reports_that_nothing_changed():
    first = run()
    assert "Reference data loaded" in first
    counts = (Country.objects.count(), CountryGroup.objects.count(), FrameworkNode.objects.count())
    second = run()
    assert "Reference data already up to date: nothing changed" in second
    assert (Country.objects.count(), CountryGroup.objects.count(), FrameworkNode.objects.count()) == counts
    for line in second.splitlines():
        if "in data:" in line:
            assert " 0 created" in line, line
            assert " 0 updated" in line, line


def test_loaded_records_are_real_data_not_demonstration_data():
    run()
    assert not CountryGroup.objects.filter(is_demo=True).exists()
    assert not FrameworkNode.objects.filter(is_demo=True).exists()
