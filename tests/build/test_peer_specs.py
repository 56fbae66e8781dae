"""Real third-party specs (the benchmark peers) generate, import and pass ``mypy --strict``.

Nobody here wrote them: they exercise what the Norce spec does not (``date`` fields that make DCG
rename its import to ``date_aliased``, many formats, 69 operations), so an over-tight admission or
allow-list rule shows up here before a user meets it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import ROOT, generate_and_import, mypy_strict

from generator.settings import load_settings

PEERS = sorted((ROOT / "bench" / "specs").glob("*.yaml"))


@pytest.mark.parametrize("spec", PEERS, ids=[p.stem for p in PEERS])
def test_peer_spec_generates_and_type_checks(spec: Path, tmp_path: Path) -> None:
    package = generate_and_import(spec, load_settings(), tmp_path)
    assert package.operations.__all__, "no operations generated"
    checked = subprocess.run(
        mypy_strict("-p", str(load_settings()["package"])),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]
