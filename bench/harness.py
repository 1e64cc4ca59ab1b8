"""Benchmark harness: serve the platform with gunicorn on a private database and time pages.

Figures are reported as absolute latencies AND as ratios to a baseline endpoint
(`/healthz`, one trivial query) measured in the same run, because the machines
are shared and noisy: the ratio is what a benchmark should be judged on.
Traffic only ever goes to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cleanasia(*args: str, env: dict[str, str]) -> str:
    """Run a `cleanasia` command against the benchmark database; return its output."""
    done = subprocess.run(
        [str(BIN / "cleanasia"), *args], env=env, check=True, capture_output=True, text=True, cwd=REPO
    )
    return done.stdout


@contextlib.contextmanager
def served(env: dict[str, str], workers: int = 2) -> Iterator[int]:
    """gunicorn with `workers` sync workers on a free loopback port, stopped on exit."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "cleanasia.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        [*command, "--log-level", "error"],
        env=env,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Timing:
    name: str
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def time_path(
    port: int, path: str, *, requests: int = 200, concurrency: int = 4, headers: dict[str, str] | None = None
) -> Timing:
    """Latency of `requests` GETs of `path` over `concurrency` keep-alive connections (bounded)."""
    samples: list[float] = []
    lock = threading.Lock()
    per_thread = max(1, requests // concurrency)

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_thread):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            with lock:
                samples.append(elapsed)

    # Warm up each worker process's caches before timing.
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(10):
        warm.request("GET", path, headers=headers or {})
        warm.getresponse().read()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Timing(path, samples)


def report(title: str, rows: list[Timing], baseline: Timing, out: Path | None = None) -> str:
    lines = [
        f"## {title}",
        "",
        f"baseline {baseline.name}: p50 {baseline.p50:.1f} ms, p95 {baseline.p95:.1f} ms",
        "",
        "| path | p50 ms | p95 ms | p95 / baseline p95 |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t.name} | {t.p50:.1f} | {t.p95:.1f} | {t.p95 / baseline.p95:.1f}× |" for t in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    return text


def bench_env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{db_path}"),
        CLEANASIA_PROFILE="base",
        CLEANASIA_DATA_DIR=str(db_path.parent),
        CLEANASIA_LOG_LEVEL="WARNING",
        # The benchmark is one client hammering on purpose: lift the API throttle.
        CLEANASIA_API_ANON_RATE="1000000/min",
        CLEANASIA_API_USER_RATE="1000000/min",
        **extra,
    )
    return env
