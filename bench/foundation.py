"""Foundation pages under load, against the /healthz baseline of the same run.

Usage: .venv/bin/python bench/foundation.py [--scale 20] [--requests 400]
(BENCH_DATABASE_URL=postgres://... to run on PostgreSQL instead of a fresh SQLite file.)
Appends its table to bench/results/latest.md.
"""

import argparse
import tempfile
from pathlib import Path

from harness import bench_env, cleanasia, report, served, time_path

PATHS = [
    "/ja/",
    "/en/framework/",
    "/api/v1/countries/?page_size=50",
    "/api/v1/organisations/?page_size=50",
    "/api/v1/people/?page_size=50",
    "/api/v1/framework-nodes/tree/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp) / "bench.sqlite3", CLEANASIA_STATIC_ROOT=str(Path(tmp) / "static"))
        cleanasia("migrate", "--noinput", env=env)
        cleanasia("load_reference", env=env)
        cleanasia("seed_demo", "--scale", str(args.scale), env=env)
        cleanasia("collectstatic", "--noinput", env=env)
        with served(env) as port:
            baseline = time_path(port, "/healthz", requests=args.requests)
            rows = [time_path(port, path, requests=args.requests) for path in PATHS]
    report(
        f"Foundation pages, demo scale {args.scale}, {args.requests} requests × 4 connections, gunicorn 2 workers",
        rows,
        baseline,
        Path(__file__).parent / "results" / "latest.md",
    )


if __name__ == "__main__":
    main()
