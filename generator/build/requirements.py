"""What the generated package needs at run time, stated in its README.

The minimums are the oldest releases it works with: tests/vendoring/test_minimum_versions.py runs
a vendored copy against a loopback server in a venv pinned at exactly these versions (pydantic
2.5 fails to resolve the models' forward references; httpx 0.19 lacks ``build_request(timeout=)``).
"""

from __future__ import annotations

PYTHON = "3.11"  # enum.StrEnum, typing.Self
MINIMUM_DEPENDENCIES = {"httpx": "0.20.0", "pydantic": "2.6.0"}

__all__ = ["MINIMUM_DEPENDENCIES", "PYTHON"]
