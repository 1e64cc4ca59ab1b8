"""Meetings module under load: the meeting page, the status of action items (page and PDF) and search, as the
secretariat (the meeting page also as Viet Nam's focal point), against /healthz of the same run.

Usage: .venv/bin/python bench/meetings.py [--scale 20] [--requests 200]
(BENCH_DATABASE_URL=postgres://... to run on PostgreSQL instead of a fresh SQLite file; pointing it at a
database seeded at the same scale skips the seeding.)

`--scale 20` seeds 20 years of the demonstration series: 400 meetings, 20,000 action items and 100,000
updates (meetings/demo.py), besides the other modules' demonstration data at that scale. The meeting
timed is the demonstration meeting with the most updates given for it. Pages are fetched as the
demonstration secretariat account, with a session made directly in the session store (signed in, second
factor verified), so no sign-in form is involved. URL names are resolved inside the platform; a page whose
name does not exist yet is skipped with a note. The meeting page and search are timed over `--requests`
requests on 4 connections (p50/p95 against /healthz); the status of action items and its PDF, which are
heavier and fetched rarely, over a few sequential requests (the first one cold), in seconds.
Prints the seeding time and the tables, and appends them to bench/results/latest.md.
"""

import argparse
import dataclasses
import http.client
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from harness import bench_env, cleanasia, report, served, time_path

# Run inside `cleanasia shell -c`: prints the session cookie and one line per page (its path, or MISSING).
SESSION_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from cleanasia.accounts.models import User
from cleanasia.meetings.models import Meeting
for label, email in (("secretariat", "secretariat@demo.cleanasia.invalid"),
                     ("focal-point", "focal-point-vn@demo.cleanasia.invalid")):
    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    if device is not None:
        store["otp_device_id"] = device.persistent_id
    store.create()
    print("SESSION", label, settings.SESSION_COOKIE_NAME, store.session_key)
meeting = Meeting.objects.filter(is_demo=True).annotate(n=Count("element_updates")).order_by("-n", "pk").first()
print("MEETING", meeting.pk, meeting.n)
translation.activate("ja")
for name in ("meetings:meeting-detail", "meetings:action-status", "meetings:action-status-pdf", "meetings:search"):
    try:
        print("PAGE", name, reverse(name) if name.endswith(":search") else reverse(name, args=[meeting.pk]))
    except NoReverseMatch:
        print("MISSING", name)
"""

SEARCHES = ["環境大臣", "air pollution"]


def time_few(port: int, path: str, headers: dict[str, str], count: int) -> list[float]:
    """Seconds of `count` sequential GETs of `path` (the first one cold)."""
    samples = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        samples.append(time.perf_counter() - start)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
    print(f"{path}: {len(body):,} bytes")
    return samples


def few_table(rows: list[tuple[str, list[float]]]) -> str:
    lines = [
        "Heavier pages, sequential requests (seconds):",
        "",
        "| path | first (cold) s | median of the rest s | max s |",
        "|---|---|---|---|",
    ]
    for path, samples in rows:
        rest = samples[1:] or samples
        lines.append(f"| {path} | {samples[0]:.2f} | {statistics.median(rest):.2f} | {max(samples):.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--few", type=int, default=4, help="Requests of the status of action items and its PDF.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp) / "bench.sqlite3", CLEANASIA_STATIC_ROOT=str(Path(tmp) / "static"))
        # --run-syncdb: the meetings app may not have its migrations yet; harmless once it has.
        cleanasia("migrate", "--noinput", "--run-syncdb", env=env)
        cleanasia("load_reference", env=env)
        started = time.perf_counter()
        seeded = cleanasia("seed_demo", "--scale", str(args.scale), env=env)
        seconds = time.perf_counter() - started
        print(f"seed_demo --scale {args.scale}: {seconds:.0f} s")
        print("\n".join(line for line in seeded.splitlines() if "generated" in line or "already" in line))
        cleanasia("collectstatic", "--noinput", env=env)
        out = cleanasia("shell", "-c", SESSION_SNIPPET, env=env)
        pages: dict[str, str] = {}
        sessions: dict[str, dict[str, str]] = {}
        updates = "?"
        for line in out.splitlines():
            kind, *rest = line.split() or [""]
            if kind == "SESSION":
                sessions[rest[0]] = {"Cookie": f"{rest[1]}={rest[2]}"}
            elif kind == "MEETING":
                updates = rest[1]
            elif kind == "PAGE":
                pages[rest[0]] = rest[1]
            elif kind == "MISSING":
                print(f"note: {rest[0]} does not exist yet; its row is skipped")
        headers = sessions["secretariat"]
        with served(env) as port:
            baseline = time_path(port, "/healthz", requests=args.requests)
            rows = []
            if "meetings:meeting-detail" in pages:
                rows.append(time_path(port, pages["meetings:meeting-detail"], requests=args.requests, headers=headers))
                # The same page as Viet Nam's focal point: permission filters on every part.
                focal = time_path(
                    port, pages["meetings:meeting-detail"], requests=args.requests, headers=sessions["focal-point"]
                )
                rows.append(dataclasses.replace(focal, name=f"{focal.name} (as a focal point)"))
            if "meetings:search" in pages:
                for query in SEARCHES:
                    path = f"{pages['meetings:search']}?q={quote(query)}"
                    rows.append(time_path(port, path, requests=args.requests, headers=headers))
            few = [
                (pages[name], time_few(port, pages[name], headers, args.few))
                for name in ("meetings:action-status", "meetings:action-status-pdf")
                if name in pages
            ]
    out_file = Path(__file__).parent / "results" / "latest.md"
    report(
        f"Meetings module as the secretariat (and a focal point where said), demo scale {args.scale} "
        f"({20 * args.scale:,} meetings, "
        f"{1000 * args.scale:,} action items, {5000 * args.scale:,} updates; the meeting timed has {updates} "
        f"updates; seed_demo {seconds:.0f} s, seconds when BENCH_DATABASE_URL names a database seeded already), "
        f"{args.requests} requests × 4 connections, gunicorn 2 workers",
        rows,
        baseline,
        out_file,
    )
    if few:
        text = few_table(few)
        print(text)
        with out_file.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
