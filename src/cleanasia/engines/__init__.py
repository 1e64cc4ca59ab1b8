"""Pure calculation engines.

Nothing under this package may import Django (enforced by the import-linter
contract in pyproject.toml): engines must be usable from scripts, notebooks and
benchmarks without a configured project.
"""
