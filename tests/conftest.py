"""Shared fixtures: users for each role, a client signed in (and second-factor verified) as each."""

from pathlib import Path

import pytest
from django.test import Client

from cleanasia.accounts.models import Role

from .factories import user_with_role

# Every role the foundation knows, plus the anonymous public. Permission tests run over all.
ROLES = ["public", Role.EXPERT, Role.WG_MEMBER, Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN]


@pytest.fixture
def make_user(db):
    def make(role: str, **kwargs):
        if role == Role.FOCAL_POINT:
            kwargs.setdefault("country", "VN")
        return user_with_role(role, **kwargs)

    return make


def verified_client(user) -> Client:
    """A client signed in as `user`, with the second factor verified where the role needs it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    if user.requires_second_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(make_user):
    """client_for(role) -> (client, user); role "public" gives an anonymous client and None."""

    def make(role: str, **kwargs):
        if role == "public":
            return Client(), None
        user = make_user(role, **kwargs)
        return verified_client(user), user

    return make


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: cached aggregates and exports must come from that test's own data."""
    import shutil

    from django.conf import settings
    from django.core.cache import cache

    cache.clear()
    shutil.rmtree(Path(settings.DATA_DIR) / "cache", ignore_errors=True)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_unless_a_test_says_otherwise():
    """Tests speak English (reverse() gives /en/ URLs, messages are English) unless they ask for ja.

    Also stops the active language leaking from one test into the next, which
    made results depend on test order.
    """
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def demo_modules(monkeypatch):
    """demo_modules("accounts", "directory"): `seed_demo` generates (and resets) only these modules, in
    their usual order. The tests of one module's demonstration data need not wait for every other
    module's; the whole seeding is exercised by the network's demo test, which needs every module."""
    from cleanasia.core import demo

    def only(*names: str) -> None:
        registered = {module.name: module for module in demo.autodiscover()}
        unknown = set(names) - set(registered)
        assert not unknown, f"no demonstration module named {sorted(unknown)}"
        monkeypatch.setattr(demo, "_REGISTRY", {name: m for name, m in registered.items() if name in names})

    return only
