"""Second factor: checking codes against a person's devices, and drawing the set-up QR code.

Codes are checked through the devices' own `verify_token`, which applies
django-otp's throttling (after each wrong code the next check must wait 1, 2,
4, 8 ... seconds) and refuses a code that was already used.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: accepted by `device`, or refused (`retry_after` when throttled)."""

    accepted: bool
    device: Device | None = None
    retry_after: dt.datetime | None = None

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def check_code(device: Device, code: str) -> CodeCheck:
    """Check one code against one device.

    In a transaction of its own, so that the failure count django-otp records
    for a wrong code is committed even when the caller then reports an error.
    """
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            return CodeCheck(accepted=False, device=locked, retry_after=(info or {}).get("locked_until"))
        accepted = bool(locked.verify_token(code))
    return CodeCheck(accepted=accepted, device=locked)


def check_second_factor(user: Any, *, code: str = "", backup_code: str = "") -> CodeCheck:
    """Check an authenticator-app code, or else a backup code, against the user's confirmed devices."""
    model: type[Device] = TOTPDevice if code else StaticDevice
    token = code or backup_code
    refused = CodeCheck(accepted=False)
    for device in model.objects.devices_for_user(user, confirmed=True):
        result = check_code(device, token)
        if result.accepted:
            return result
        if result.throttled:
            refused = result
    return refused


def has_confirmed_device(user: Any) -> bool:
    """Whether the user has set up a second factor (an authenticator app or backup codes)."""
    return (
        TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        or StaticDevice.objects.devices_for_user(user, confirmed=True).exists()
    )


def backup_codes_left(user: Any) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (for demonstration accounts and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def seconds_left(device: TOTPDevice) -> int:
    """Seconds until the device's current code changes."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return int(device.step - (totp.time - device.t0) % device.step)


def base32_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it for manual entry, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up QR code as inline SVG, drawn here (segno): the secret never leaves the server."""
    qr = segno.make(device.config_url, error="m")
    scale, border = 5, 4
    width, height = qr.symbol_size(scale=scale, border=border)
    svg = qr.svg_inline(
        scale=scale, border=border, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )
    # A viewBox lets the code shrink with narrow screens instead of being cut off.
    return svg.replace("<svg ", f'<svg role="img" viewBox="0 0 {width} {height}" ', 1)
