"""Open an account with one role, from the command line (the first administrator, scripted set-ups)."""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cleanasia.accounts import services
from cleanasia.accounts.models import Role
from cleanasia.core.context import request_context

PASSWORD_ENV = "CLEANASIA_NEW_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Create an account holding one role. The password is read from the environment variable "
        f"{PASSWORD_ENV}, or asked for when run in a terminal; without either, the account has no "
        "password and its holder sets one with 'Forgot your password?'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail address (the sign-in name)")
        parser.add_argument("--role", required=True, choices=Role.values, help="Role to give")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code, for country-bound roles (e.g. VN)")
        parser.add_argument("--name", default="", help="Full name")
        parser.add_argument("--language", default="ja", choices=["ja", "en"], help="Preferred language")

    def _password(self) -> str | None:
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env
        if not sys.stdin.isatty():
            return None
        first = getpass.getpass("Password (empty: none, set it later by e-mail): ")
        if not first:
            return None
        if getpass.getpass("Password again: ") != first:
            raise CommandError("The two passwords differ.")
        return first

    def handle(self, *args, **options):
        password = self._password()
        try:
            with request_context(), transaction.atomic():
                user = services.user_create(
                    actor=None,
                    email=options["email"],
                    full_name=options["name"],
                    password=password,
                    preferred_language=options["language"],
                )
                services.role_assign(actor=None, user=user, role=options["role"], country=options["country"])
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        note = "" if password else " (no password yet: use 'Forgot your password?' on the sign-in page)"
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} with the role {options['role']}{note}."))
