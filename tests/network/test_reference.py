"""`cleanasia load_reference` loads the network's seven fields and keeps the secretariat's edits."""

import io

import pytest
from django.core.management import call_command

from cleanasia.network.models import Field
from cleanasia.network.reference import read_fields
from cleanasia.network.services import groups as services

pytestmark = pytest.mark.django_db


def test_the_fields_are_loaded_once_and_edits_are_kept():
    call_command("load_reference", stdout=io.StringIO())
    codes = [spec["code"] for spec in read_fields()]
    assert list(Field.objects.order_by("position", "code").values_list("code", flat=True)) == codes
    assert not Field.objects.filter(is_demo=True).exists()
    air = Field.objects.get(code="air")
    services.field_update(actor=None, field=air, expected_version=air.version, changes={"name_en": "Air"})
    call_command("load_reference", stdout=io.StringIO())
    assert Field.objects.count() == len(codes), "nothing doubled"
    assert Field.objects.get(code="air").name_en == "Air", "the secretariat's edit is kept"
