"""Demonstration accounts: one per role, sharing the published password `cleanasia-demo`.

They are marked `is_demo` and use addresses under `demo.cleanasia.invalid` (a
reserved domain: no mail can ever reach it). Secretariat and administrator
accounts need a second factor; theirs is a confirmed authenticator with a
fixed, published key:

    key = SHA-1("cleanasia-demo-totp:" + email), as 40 hex digits

so that `cleanasia otp_code EMAIL` (or any authenticator app given the base32
key printed at the end of `seed_demo`) yields the current code. A known key is
worthless as a secret: `accounts.services` refuses it for real accounts.
"""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any, TextIO

from django.utils import timezone

from cleanasia.core.demo import DemoDataError, register

from . import services
from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "cleanasia-demo"  # noqa: S105 (published on purpose: demonstration accounts only)
DEMO_DOMAIN = "demo.cleanasia.invalid"

# (local part, role, country, full name)
DEMO_ACCOUNTS: list[tuple[str, str | None, str | None, str]] = [
    ("secretariat", Role.SECRETARIAT, None, "Demo Secretariat Officer"),
    ("admin", Role.ADMIN, None, "Demo Administrator"),
    ("focal-point-vn", Role.FOCAL_POINT, "VN", "Demo Focal Point, Viet Nam"),
    ("focal-point-th", Role.FOCAL_POINT, "TH", "Demo Focal Point, Thailand"),
    ("wg-member", Role.WG_MEMBER, None, "Demo Working-Group Member"),
    ("expert", Role.EXPERT, None, "Demo Registered Expert"),
    ("registered", None, None, "Demo Registered User"),
]
SECOND_FACTOR_ROLES = {Role.SECRETARIAT, Role.ADMIN}


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def demo_totp_key(email: str) -> str:
    """The published TOTP key (hex) of a demonstration account."""
    return hashlib.sha1(f"cleanasia-demo-totp:{email}".encode(), usedforsecurity=False).hexdigest()


def demo_totp_key_base32(email: str) -> str:
    """The same key as an authenticator app wants it."""
    return base64.b32encode(bytes.fromhex(demo_totp_key(email))).decode()


def generate(rng: random.Random, scale: int, stdout: TextIO) -> dict[str, Any]:
    """Create the demonstration accounts (the same set at every scale: one per role)."""
    from cleanasia.directory.models import Country

    needed = {country for _l, _r, country, _n in DEMO_ACCOUNTS if country}
    if Country.objects.filter(code__in=needed).count() != len(needed):
        raise DemoDataError("Countries are missing: run `cleanasia load_reference` first.")
    accounts = devices = 0
    for local, role, country, full_name in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = services.user_create(actor=None, email=email, full_name=full_name, preferred_language="ja", is_demo=True)
        # The shared demonstration password is deliberately simple and published, so the password rules
        # (which rightly refuse it: it resembles the address) are not applied to demonstration accounts.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        accounts += 1
        if role is not None:
            services.role_assign(actor=None, user=user, role=role, country=country)
        if role in SECOND_FACTOR_ROLES:
            services.totp_device_create_for_demo(user=user, key_hex=demo_totp_key(email))
            devices += 1
    return {"accounts": accounts, "authenticators": devices}


def print_sign_ins(stdout: TextIO) -> None:
    """The table of demonstration sign-ins, printed at the end of every `seed_demo`."""
    users = list(User.objects.filter(is_demo=True, email__endswith=f"@{DEMO_DOMAIN}").order_by("email"))
    if not users:
        return
    today = timezone.localdate()
    roles: dict[int, list[str]] = {}
    for assignment in RoleAssignment.objects.active_on(today).filter(user__in=users).order_by("role"):
        label = str(assignment.get_role_display())
        roles.setdefault(assignment.user_id, []).append(
            f"{label} ({assignment.country_id})" if assignment.country_id else label
        )
    order = {demo_email(local): i for i, (local, *_rest) in enumerate(DEMO_ACCOUNTS)}
    users.sort(key=lambda u: order.get(u.email, len(order)))
    width = max(len(u.email) for u in users)
    stdout.write(f"\nDemonstration sign-ins (password for every account: {DEMO_PASSWORD}):\n")
    for user in users:
        role = ", ".join(roles.get(user.pk, [])) or "registered, no role"
        stdout.write(f"  {user.email:<{width}}  {role}\n")
        if user.requires_second_factor:
            stdout.write(
                f"  {'':<{width}}  second factor: run `.venv/bin/cleanasia otp_code {user.email}` "
                f"(or authenticator key {demo_totp_key_base32(user.email)})\n"
            )


register("accounts", generate, models=[User], epilogue=print_sign_ins)
