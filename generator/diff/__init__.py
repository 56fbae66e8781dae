"""Spec diff: wire-level and Python-API changes between two builds, reports, and the CHANGELOG.

May import `generator.build` (both sides are built with it); `build` never imports this package.
Importing the package itself is cheap: griffe loads only with `python_api`.
"""
