"""Paths and constants shared by the top-level tests; puts generated/ on sys.path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
GENERATED = ROOT / "generated"
SEEDS = Path(__file__).resolve().parent / "seeds"
API_KEY = "test-secret-key-7f3a"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


def run_generator(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in a subprocess from the project root, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
