"""Progress module under load: the secretariat dashboard and a measure page, against /healthz of the same run.

Usage: .venv/bin/python bench/measures.py [--scale 50] [--requests 200]
(BENCH_DATABASE_URL=postgres://... to run on PostgreSQL instead of a fresh SQLite file; pointing it at a
database seeded at the same scale skips the 3-minute seeding.)

`--scale 50` seeds 2,000 measures (1,500 measures and 500 activities), 10,000
indicators and 10 fiscal years of quarterly actuals (420,000, FY2016–FY2026 Q2).
The pages are fetched as the demonstration secretariat account: a session is
created directly in the session store (signed in, second factor verified with
the account's demonstration authenticator), so no sign-in form is involved.
Prints the seeding time and the table, and appends the table to bench/results/latest.md.
"""

import argparse
import tempfile
import time
from pathlib import Path

from harness import bench_env, cleanasia, report, served, time_path

# Run inside `cleanasia shell -c`: prints "cookie-name session-key measure-id".
SESSION_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from cleanasia.accounts.models import User
from cleanasia.measures.models import Measure
user = User.objects.get(email="secretariat@demo.cleanasia.invalid")
device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store["_auth_user_id"] = str(user.pk)
store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
store["_auth_user_hash"] = user.get_session_auth_hash()
store["otp_device_id"] = device.persistent_id
store.create()
measure = Measure.objects.filter(is_demo=True, kind="measure").order_by("code").first()
print(settings.SESSION_COOKIE_NAME, store.session_key, measure.pk)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp) / "bench.sqlite3", CLEANASIA_STATIC_ROOT=str(Path(tmp) / "static"))
        cleanasia("migrate", "--noinput", env=env)
        cleanasia("load_reference", env=env)
        started = time.perf_counter()
        seeded = cleanasia("seed_demo", "--scale", str(args.scale), env=env)
        seconds = time.perf_counter() - started
        print(f"seed_demo --scale {args.scale}: {seconds:.0f} s")
        print("\n".join(line for line in seeded.splitlines() if "generated" in line))
        cleanasia("collectstatic", "--noinput", env=env)
        out = cleanasia("shell", "-c", SESSION_SNIPPET, env=env).split()
        cookie_name, session_key, measure_pk = out[-3:]
        headers = {"Cookie": f"{cookie_name}={session_key}"}
        paths = [
            "/ja/staff/measures/dashboard/",
            f"/ja/staff/measures/{measure_pk}/",
            "/api/v1/measures/?page_size=50",
            "/api/v1/indicators/?page_size=50",
        ]
        with served(env) as port:
            baseline = time_path(port, "/healthz", requests=args.requests)
            rows = [time_path(port, path, requests=args.requests, headers=headers) for path in paths]
    report(
        f"Progress module as the secretariat, demo scale {args.scale} ({40 * args.scale:,} measures, "
        f"{200 * args.scale:,} indicators, {8400 * args.scale:,} actuals; seed_demo {seconds:.0f} s, "
        "seconds when BENCH_DATABASE_URL names a database seeded already), "
        f"{args.requests} requests × 4 connections, gunicorn 2 workers",
        rows,
        baseline,
        Path(__file__).parent / "results" / "latest.md",
    )


if __name__ == "__main__":
    main()
