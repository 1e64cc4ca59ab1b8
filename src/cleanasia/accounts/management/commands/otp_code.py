"""Print the current one-time code of a demonstration account, so newcomers need no authenticator app."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from cleanasia.accounts import otp
from cleanasia.accounts.models import User


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of a DEMONSTRATION account (refused for real accounts). "
        "Type it on the verification page within the seconds shown."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail address of the demonstration account")

    def handle(self, *args, **options):
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        if not user.is_demo:
            raise CommandError(
                f"Refused: {user.email} is not a demonstration account. "
                "Codes of real accounts come only from their holder's authenticator app."
            )
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{user.email} has no authenticator set up. Load the demonstration data first.")
        self.stdout.write(otp.current_code(device))
        self.stderr.write(f"Valid for about {otp.seconds_left(device)} more seconds; each code can be used once.")
