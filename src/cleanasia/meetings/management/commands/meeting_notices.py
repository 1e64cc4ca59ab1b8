"""Send the meetings module's e-mail notices: invitations, registration confirmations and reminders.

Safe to run from cron (e.g. hourly): a notice already sent is never sent again.
"""

from django.core.management.base import BaseCommand

from cleanasia.core.context import request_context
from cleanasia.meetings.services.notices import notices_send


class Command(BaseCommand):
    help = (
        "E-mail invitations not yet sent, confirmations of approved registrations and the reminders due "
        "(before a meeting starts, before its registration deadline, before an action item is due). "
        "Never sends the same notice twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send and record nothing")

    def handle(self, *args, **options):
        with request_context():
            summary = notices_send(dry_run=options["dry_run"])
        prefix = "Would send" if summary["dry_run"] else "Sent"
        self.stdout.write(f"{prefix} {summary['sent']} notice(s); {summary['skipped']} already sent before.")
        for kind, count in sorted(summary["by_kind"].items()):
            self.stdout.write(f"  {kind}: {count}")
        for email in summary["recipients"]:
            self.stdout.write(f"  to {email}")
