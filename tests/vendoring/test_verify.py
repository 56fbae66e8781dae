"""Verify a vendored copy: ``python -m generator verify`` and the copy's own stdlib-only ``_verify.py``."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from vendor_support import (
    SPEC,
    Run,
    cli_fixture,  # noqa: F401 - fixtures
    copy_fixture,  # noqa: F401
    fresh_python_fixture,  # noqa: F401
    other_repo_fixture,  # noqa: F401
    reuse_builds_fixture,  # noqa: F401
)


def standalone(folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The copy's _verify.py as a plain script, isolated (-I: no PYTHONPATH, cwd or user site)."""
    return subprocess.run(
        [sys.executable, "-I", str(folder / "_verify.py"), *map(str, args)],
        cwd=folder.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _tamper(folder: Path) -> None:
    errors = folder / "errors.py"
    errors.write_bytes(errors.read_bytes().replace(b"class ", b"class  ", 1))
    (folder / "docs" / "extra.md").write_text("mine\n")
    (folder / "py.typed").unlink()


def test_fresh_copy_verifies(cli: Callable[..., Run], copy: Path) -> None:
    """vendor, verify and _verify.py count the same files: those MANIFEST.json lists."""
    listed = len(json.loads((copy / "MANIFEST.json").read_text())["files"])
    assert len([p for p in copy.rglob("*") if p.is_file()]) == listed + 1
    again = cli("vendor", copy.parent, "--package", copy.name)
    assert again.code == 0 and f"vendored {listed} files and MANIFEST.json into " in again.out
    result = cli("verify", copy)
    assert result.code == 0 and result.err == ""
    assert (
        f"matches its manifest: the {listed} files MANIFEST.json lists, nothing added" in result.out
    )
    script = standalone(copy)
    assert script.returncode == 0 and script.stderr == "", script.stdout + script.stderr
    assert f"ok, the {listed} files MANIFEST.json lists match, nothing added" in script.stdout


def _crafted_bytecode(copy: Path) -> Path:
    """A ``__pycache__`` entry for the untouched errors.py that Python loads instead of it: the
    header carries errors.py's own mtime and size, the code adds ``PWNED``."""
    source = copy / "errors.py"
    code = compile(source.read_text() + "\nPWNED = True\n", str(source), "exec")
    stat = source.stat()
    pyc = Path(importlib.util.cache_from_source(str(source)))
    pyc.parent.mkdir(exist_ok=True)
    pyc.write_bytes(
        importlib._bootstrap_external._code_to_timestamp_pyc(  # type: ignore[attr-defined]
            code, int(stat.st_mtime), stat.st_size
        )
    )
    return pyc


def test_bytecode_the_manifest_does_not_list_is_flagged(
    cli: Callable[..., Run], copy: Path
) -> None:
    _crafted_bytecode(copy)
    probe = "import acme.norce_order.errors as e; print(getattr(e, 'PWNED', False))"
    ran = subprocess.run(
        [sys.executable, "-B", "-c", probe],
        cwd=copy.parents[1],
        env={**os.environ, "PYTHONPATH": str(copy.parents[1])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.stdout.strip() == "True", ran.stderr  # the attack is real: the .pyc ran
    added = "added: 1 bytecode file under __pycache__ (not in the manifest; a crafted one runs "
    for lines, code in (
        (cli("verify", copy).err.splitlines(), cli("verify", copy).code),
        (standalone(copy).stderr.splitlines(), standalone(copy).returncode),
    ):
        assert code == 1
        assert [line.strip() for line in lines[1:]] == [
            added + "instead of its .py): delete them, or run Python with -B, and verify again"
        ]


def test_bytecode_from_an_import_is_one_line_and_other_files_are_named(
    cli: Callable[..., Run], copy: Path
) -> None:
    """Importing the copy writes a .pyc per module: one summary line, not one line each."""
    ran = subprocess.run(
        [sys.executable, "-c", "import acme.norce_order.models, acme.norce_order._async_client"],
        cwd=copy.parents[1],
        env={**os.environ, "PYTHONPATH": str(copy.parents[1]), "PYTHONDONTWRITEBYTECODE": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    count = len(list(copy.rglob("__pycache__/*.pyc")))
    assert count > 5
    (copy / "notes.txt").write_text("mine\n")
    for lines, code in (
        (cli("verify", copy).err.splitlines(), cli("verify", copy).code),
        (standalone(copy).stderr.splitlines(), standalone(copy).returncode),
    ):
        assert code == 1
        found = [line.strip() for line in lines[1:]]
        assert found[0] == "added: notes.txt"
        assert found[1].startswith(f"added: {count} bytecode files under __pycache__ ")
        assert len(found) == 2


@pytest.mark.parametrize("name", ["sitecustomize.py", "evil.pth", "extra.pyc", ".mypy_cache/x"])
def test_every_unlisted_file_is_flagged(cli: Callable[..., Run], copy: Path, name: str) -> None:
    (copy / name).parent.mkdir(exist_ok=True)
    (copy / name).write_text("import os\n")
    assert f"added: {name}" in cli("verify", copy).err
    script = standalone(copy)
    assert script.returncode == 1 and f"added: {name}" in script.stderr


def test_edited_added_and_deleted_files_are_named(cli: Callable[..., Run], copy: Path) -> None:
    _tamper(copy)
    expected = ["edited: errors.py", "added: docs/extra.md", "deleted: py.typed"]
    result = cli("verify", copy)
    assert result.code == 1
    assert [line.strip() for line in result.err.splitlines()[1:]] == expected
    script = standalone(copy)
    assert script.returncode == 1
    assert [line.strip() for line in script.stderr.splitlines()[1:]] == expected


def test_not_a_vendored_copy_exits_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    result = cli("verify", tmp_path / "pkg")
    assert result.code == 2 and "no MANIFEST.json" in result.err
    (tmp_path / "pkg" / "MANIFEST.json").write_text('{"files": {}}')
    assert cli("verify", tmp_path / "pkg").code == 2
    script = Path(__file__).resolve().parents[2] / "templates" / "runtime" / "_verify.py"
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(tmp_path / "pkg")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "not a norce-codegen manifest" in run.stderr
    usage = subprocess.run(
        [sys.executable, "-I", str(script), "--bogus"], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2


def test_spec_checks(cli: Callable[..., Run], copy: Path, tmp_path: Path) -> None:
    sha = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert standalone(copy, "--spec", SPEC).returncode == 0
    assert standalone(copy, "--sha256", sha).returncode == 0
    assert cli("verify", copy, "--spec", SPEC).code == 0
    newer = tmp_path / "newer.yaml"
    newer.write_bytes(
        SPEC.read_bytes().replace(b"Build 2026-01-12 08:21:29", b"Build 2026-03-01 00:00:00")
    )
    script = standalone(copy, "--spec", newer)
    assert script.returncode == 1 and "the copy is older than the given spec" in script.stderr
    wrong = standalone(copy, "--sha256", "0" * 64)
    assert wrong.returncode == 1 and "the copy is different from the given spec" in wrong.stderr
    for bad in ("abc", "0" * 63, "g" * 64):
        usage = standalone(copy, "--sha256", bad)
        assert usage.returncode == 2 and "invalid sha256 (64 hex digits) value" in usage.stderr
    result = cli("verify", copy, "--spec", newer)
    assert result.code == 1
    assert "spec: copy generated from sha256" in result.err
    assert "stale: README.md would change" in result.err  # the build line is in the README


def test_missing_spec_file_is_a_usage_error(copy: Path, tmp_path: Path) -> None:
    script = standalone(copy, "--spec", tmp_path / "absent.yaml")
    assert script.returncode == 2 and "cannot read" in script.stderr and script.stdout == ""
