"""Fixtures for the vendoring tests live in vendor_support (a plain module name that never shadows another)."""

from vendor_support import (
    cli_fixture,
    copy_fixture,
    fresh_python_fixture,
    other_repo_fixture,
    reuse_builds_fixture,
)

__all__ = [
    "cli_fixture",
    "copy_fixture",
    "fresh_python_fixture",
    "other_repo_fixture",
    "reuse_builds_fixture",
]
