"""The `cleanasia` console command: Django's management commands and the platform's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanasia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cleanasia", *sys.argv[1:]])


if __name__ == "__main__":
    main()
