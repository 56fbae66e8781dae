"""Every spec in tests/hostile/ is either refused with a pointed error or generates inert code.

Each file starts with ``# attack: ...`` and ``# expect: safe|refused``; the expectation is part of the
corpus so a change in behaviour (a refusal turning into output, or the reverse) fails loudly.
Refusals run ``generate`` in a subprocess whose timeout (120 s) is the hang guard: several files
would take hours or exhaust memory if their refusal regressed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import run_generator

from generator.build.astcheck import check_source, runtime_allowance
from generator.build.pipeline import build
from generator.build.write import write_tree
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
MARKER = "PWNED"  # payloads run `touch PWNED` in the working directory
_EXPECT = re.compile(r"^# expect: (safe|refused)$", re.MULTILINE)


def _expectation(path: Path) -> str:
    match = _EXPECT.search(path.read_text("utf-8", "replace")[:400])
    assert match, f"{path.name} lacks an '# expect:' line"
    return match.group(1)


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module", autouse=True)
def repo_untouched() -> object:
    """The corpus must not change spec/ or drop a marker anywhere in the repo."""
    before = _tree_digest(ROOT / "spec")
    yield None
    assert _tree_digest(ROOT / "spec") == before
    assert not list(ROOT.glob(f"**/{MARKER}"))


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 25
    assert {_expectation(p) for p in CORPUS} == {"safe", "refused"}


@pytest.mark.parametrize("spec", CORPUS, ids=[p.stem for p in CORPUS])
def test_hostile_spec(spec: Path, tmp_path: Path) -> None:
    if _expectation(spec) == "refused":
        _assert_refused(spec, tmp_path)
    else:
        _assert_safe(spec, tmp_path)


def _assert_refused(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_generator("generate", "--spec", str(spec), "--out", str(out))
    err = run.stderr
    assert run.returncode == 2, err
    assert "Traceback" not in err
    assert not out.exists()
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert lines, err
    for line in lines:  # "error: <file>#/json/pointer: message", or "error: <file>: message"
        assert line.startswith((f"error: {spec}#/", f"error: {spec}: ")), line
        assert re.match(r"error: [^#]+(#/[^:]*)?: \S", line), line


def _assert_safe(spec: Path, tmp_path: Path) -> None:
    result = build(spec, load_settings())
    for relpath, data in result.files.items():
        assert ".." not in relpath.split("/") and not relpath.startswith("/")
        if relpath.endswith(".py"):
            source = data.decode("utf-8")
            assert (
                check_source(source, strict=False, allowed=runtime_allowance(relpath)) == []
            ), relpath
            compile(source, relpath, "exec", dont_inherit=True)
    out = tmp_path / "out"
    write_tree(out, result.files)
    run = tmp_path / "cwd"
    run.mkdir()
    package = load_settings()["package"]
    # Import everything generated; a payload that ran would leave the marker in cwd.
    code = (
        f"import {package}, {package}.models as m, {package}.operations, {package}._client;"
        "print(len([n for n in dir(m) if not n.startswith('_')]))"
    )
    env = {**os.environ, "PYTHONPATH": str(out), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-W", "error::SyntaxWarning", "-c", code],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (run / MARKER).exists() and not (tmp_path / MARKER).exists()
    assert not list(run.iterdir())
