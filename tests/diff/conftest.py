"""Fixtures for the diff tests live in diff_support (a plain module name, so it never shadows tests/conftest)."""

from diff_support import _reuse_builds, report_for, spec_data, variants

__all__ = ["_reuse_builds", "report_for", "spec_data", "variants"]
