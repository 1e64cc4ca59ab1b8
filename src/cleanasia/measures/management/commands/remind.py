"""Remind owners of missing or returned progress reports and of milestones due soon or overdue.

Safe to run from cron (e.g. daily): a reminder already sent is never sent again.
"""

from django.core.management.base import BaseCommand

from cleanasia.core.context import request_context
from cleanasia.measures.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail measure owners whose progress report for an open period is missing or was returned, and owners "
        "of milestones due within 14 days or overdue. Never sends the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send and record nothing")

    def handle(self, *args, **options):
        with request_context():
            summary = reminders_send(dry_run=options["dry_run"])
        prefix = "Would send" if summary["dry_run"] else "Sent"
        self.stdout.write(
            f"{prefix} {summary['sent']} reminder(s) in {summary['emails']} e-mail(s); "
            f"{summary['skipped']} already sent before."
        )
        for kind, count in sorted(summary["by_kind"].items()):
            self.stdout.write(f"  {kind}: {count}")
        for email in summary["recipients"]:
            self.stdout.write(f"  to {email}")
