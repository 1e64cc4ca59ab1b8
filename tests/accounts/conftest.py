"""Helpers for the account tests: reading codes off an authenticator as its holder would."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from tests.factories import PASSWORD, UserFactory


def app_code(device, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with this device's key shows now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    """A six-digit code that no nearby time step of the device produces."""
    near = {app_code(device, steps_ahead=k) for k in (-2, -1, 0, 1, 2)}
    candidate = 0
    while f"{candidate:06d}" in near:
        candidate += 1
    return f"{candidate:06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})


@pytest.fixture
def member(db):
    """An account with a password and no role, reading the platform in English (its e-mails too)."""
    return UserFactory(email="member@example.org", preferred_language="en")
