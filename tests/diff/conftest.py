"""Fixtures for the diff tests live in diff_support (a plain module name, so it never shadows tests/conftest)."""

from diff_support import norce_variant, spec_data, variants

__all__ = ["norce_variant", "spec_data", "variants"]
