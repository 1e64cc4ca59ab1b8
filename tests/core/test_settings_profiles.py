"""The production profile refuses to start without its secrets."""

import os
import subprocess
import sys

import pytest

PROBE = "import django; django.setup(); print('started')"


def run_with(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEANASIA_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "cleanasia.settings", "CLEANASIA_PROFILE": "production", **env_overrides})
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False)  # noqa: S603


GOOD = {
    "CLEANASIA_SECRET_KEY": "x" * 64,
    "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
    "CLEANASIA_ALLOWED_HOSTS": "cleanasia.example.org",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("CLEANASIA_SECRET_KEY", "CLEANASIA_SECRET_KEY"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("CLEANASIA_ALLOWED_HOSTS", "CLEANASIA_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_each_secret(missing, message):
    result = run_with({k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_the_embedded_development_key():
    result = run_with({**GOOD, "CLEANASIA_SECRET_KEY": "insecure-" + "x" * 60})
    assert result.returncode != 0


def test_production_starts_with_its_secrets():
    result = run_with(GOOD)
    assert result.stdout.strip() == "started", result.stderr
