"""Blank the personal data of participants of meetings past their series' retention period.

Safe to run from cron (e.g. monthly): participants already purged are left alone.
"""

from django.core.management.base import BaseCommand

from cleanasia.core.context import request_context
from cleanasia.meetings.services.delegations import participants_purge


class Command(BaseCommand):
    help = (
        "For meetings whose end plus the series' retention period is past, blank participants' names, title, "
        "contact and needs, delete their history rows and keep role, country and delegation for anonymous counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing")

    def handle(self, *args, **options):
        with request_context():
            summary = participants_purge(dry_run=options["dry_run"])
        prefix = "Would purge" if summary["dry_run"] else "Purged"
        self.stdout.write(
            f"{prefix} the personal data of {summary['participants']} participant(s) of {summary['meetings']} "
            f"meeting(s); {summary['history_rows']} history row(s) {'would be ' if summary['dry_run'] else ''}deleted."
        )
        for label in summary["meeting_labels"]:
            self.stdout.write(f"  {label}")
