"""Every pytest-xdist worker collects the same tests: ids built from sets, the clock or the hash seed
would differ between workers, and xdist then aborts the run ("Different tests were collected")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

# Loaded at interpreter start (``sitecustomize``): the clock reads a day later, so anything that
# builds an id from the time (a gzip header, a timestamp) collects differently.
SHIFTED_CLOCK = """\
import time
_real = time.time
time.time = lambda: _real() + 86_400.0
"""


def _collect(seed: str, extra_path: Path | None) -> subprocess.Popen[str]:
    path = os.pathsep.join(p for p in (str(extra_path or ""), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": path}
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _ids(process: subprocess.Popen[str]) -> list[str]:
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out[-2000:]
    return [line for line in out.splitlines() if "::" in line]


def _whole_suite(config: pytest.Config) -> bool:
    """This session collected what a bare ``pytest`` collects, in its order: no paths, no -k, -m or
    --deselect, none of the cache's filters or reorderings (--lf, --ff, --nf, --sw)."""
    filters = ("keyword", "markexpr", "deselect", "lf", "failedfirst", "newfirst", "stepwise")
    return config.args_source is pytest.Config.ArgsSource.TESTPATHS and not any(
        config.getoption(name, None) for name in filters
    )


def test_two_collections_with_other_hash_seeds_and_clocks_agree(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    (tmp_path / "sitecustomize.py").write_text(SHIFTED_CLOCK, "utf-8")
    # Under `make test` this session's own collection is the first one (its hash seed is random,
    # or PYTHONHASHSEED; the child's differs); one child collection then suffices.
    ours = os.environ.get("PYTHONHASHSEED")
    if _whole_suite(request.config):
        ids = [item.nodeid for item in request.session.items]
        other = _ids(_collect("2" if ours == "1" else "1", tmp_path))
    else:
        first, second = _collect("1", None), _collect("2", tmp_path)
        ids, other = _ids(first), _ids(second)
    assert len(ids) > 500
    changed = sorted(set(ids).symmetric_difference(other))
    assert not changed, f"collected differently: {changed[:5]}"
    assert ids == other, "same tests, other order"
