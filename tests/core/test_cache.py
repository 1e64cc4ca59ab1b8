"""Cached aggregates: computed once per data generation, stale the moment the data under them changes."""

import pytest
from django.db import transaction

from cleanasia.core import cache
from cleanasia.core.models import CacheGeneration
from cleanasia.directory.models import Country

pytestmark = pytest.mark.django_db


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_an_aggregate_is_computed_once_until_its_area_changes():
    compute, calls = counting({"total": 1})
    assert cache.cached_aggregate("test-area", ["a"], compute) == {"total": 1}
    assert cache.cached_aggregate("test-area", ["a"], compute) == {"total": 1}
    assert len(calls) == 1
    cache.bump("test-area")
    cache.cached_aggregate("test-area", ["a"], compute)
    assert len(calls) == 2


def test_key_parts_keep_aggregates_apart():
    first, _ = counting("first")
    second, _ = counting("second")
    assert cache.cached_aggregate("test-area", ["ja"], first) == "first"
    assert cache.cached_aggregate("test-area", ["en"], second) == "second"


def bump_cache_and_roll_back():
    with transaction.atomic():
        cache.bump("test-area")
        inside, _ = counting("seen inside the rolled-back transaction")
        cache.cached_aggregate("test-area", ["k"], inside)
        raise RuntimeError("rolled back")


def test_a_bump_that_is_rolled_back_does_not_revive_an_old_copy():
    cache.bump("test-area")
    with pytest.raises(RuntimeError):
        bump_cache_and_roll_back()
    cache.bump("test-area")  # the counter reaches the rolled-back value again
    fresh, calls = counting("fresh")
    assert cache.cached_aggregate("test-area", ["k"], fresh) == "fresh"
    assert calls == [1]


def test_a_watched_model_raises_the_generation_on_save_and_delete():
    cache.watch("test-watch", [Country])
    before = cache.generation("test-watch")
    country = Country.objects.create(code="ZZ", alpha3="ZZZ", numeric="999", name_en="Testland", name_ja="テスト国")
    after_save = cache.generation("test-watch")
    assert after_save != before
    country.delete()
    assert cache.generation("test-watch") != after_save


def test_deferred_bumps_raise_each_area_once_at_the_end():
    cache.watch("test-watch", [Country])
    before = CacheGeneration.objects.filter(namespace="test-watch").values_list("generation", flat=True).first() or 0
    with cache.bumps_deferred():
        for code, alpha3 in (("ZX", "ZXX"), ("ZY", "ZYY")):
            Country.objects.create(code=code, alpha3=alpha3, numeric="998", name_en=code, name_ja=code)
        assert (
            CacheGeneration.objects.filter(namespace="test-watch").values_list("generation", flat=True).first() or 0
        ) == before
    assert CacheGeneration.objects.get(namespace="test-watch").generation == before + 1
