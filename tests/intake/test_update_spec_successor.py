"""update-spec refuses a spec of another API or an older build (unless told to), and writes the spec
and its lock with the umask's modes. Sources are local files: the checks do not depend on transport.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
REAL = SPEC.read_bytes()
BUILD = b"Build 2026-01-12 08:21:29"
TITLE = b"title: Norce Checkout - Order Management API"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of spec/ (spec + lock); returns the spec path inside it."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec" / SPEC.name


def _candidate(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "candidate.yaml"
    path.write_bytes(data)
    return path


def _snapshot(spec: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(spec.parent.iterdir())}


@pytest.mark.parametrize(
    ("old", "new", "flag", "pointer"),
    [
        (TITLE, b"title: Norce Checkout - Payment API", "--allow-other-api", "#/info/title"),
        (BUILD, b"Build 2025-12-31 23:59:59", "--allow-older-build", "#/info/description"),
    ],
    ids=["other-api", "older-build"],
)
def test_refused_without_the_flag_and_accepted_with_it(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: bytes,
    new: bytes,
    flag: str,
    pointer: str,
) -> None:
    assert REAL.count(old) == 1
    candidate = _candidate(tmp_path, REAL.replace(old, new))
    before = _snapshot(project)
    code = main(["update-spec", str(candidate), "--spec", str(project)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {candidate}{pointer}: " in err and flag in err and "Traceback" not in err
    assert _snapshot(project) == before
    assert main(["update-spec", str(candidate), "--spec", str(project), flag]) == 0
    assert project.read_bytes() == candidate.read_bytes()


@pytest.mark.parametrize("kept", ["README.md", "package.json"])
def test_a_file_that_is_not_a_spec_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kept: str
) -> None:
    """`update-spec NEW --spec README.md` (a careless flag) must not overwrite the README."""
    target = tmp_path / kept
    text = "# My project\n\nNotes: here.\n" if kept == "README.md" else '{"name": "acme"}\n'
    target.write_text(text)
    candidate = _candidate(tmp_path, REAL)
    code = main(["update-spec", str(candidate), "--spec", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {target}: is not an OpenAPI description" in err and "Traceback" not in err
    assert target.read_text() == text and not (tmp_path / "spec.lock").exists()
    assert main(["update-spec", str(candidate), "--spec", str(target), "--allow-other-api"]) == 0
    assert target.read_bytes() == REAL


def test_a_second_spec_in_the_folder_leaves_the_first_ones_lock_alone(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`update-spec NEW --spec spec/other.yaml`: spec.lock is the project spec's; overwriting it
    would make `check` fail for a spec nobody touched."""
    before = _snapshot(project)
    other = project.parent / "other.yaml"
    candidate = _candidate(tmp_path, REAL.replace(BUILD, b"Build 2026-02-01 10:00:00"))
    code = main(["update-spec", str(candidate), "--spec", str(other)])
    err = capsys.readouterr().err
    assert code == 3, err
    assert f"is the lock of {project} (one spec per folder)" in err and "Traceback" not in err
    assert _snapshot(project) == before
    project.unlink()  # the project's own spec deleted: update-spec restores it beside its lock
    assert main(["update-spec", str(candidate), "--spec", str(project)]) == 0


def test_a_spec_without_a_build_line_says_so(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = _candidate(tmp_path, REAL.replace(BUILD + b"\n", b""))
    assert main(["update-spec", str(candidate), "--spec", str(project)]) == 0
    out = capsys.readouterr().out
    assert "info.version '0.1' (no Build line in info.description) (33 operations)" in out, out


def test_a_broken_spec_with_its_lock_is_repaired(project: Path, tmp_path: Path) -> None:
    project.write_text("openapi: 3.0.3\ninfo: [unclosed\n")
    candidate = _candidate(tmp_path, REAL.replace(BUILD, b"Build 2026-02-01 10:00:00"))
    assert main(["update-spec", str(candidate), "--spec", str(project)]) == 0
    assert project.read_bytes() == candidate.read_bytes()


def test_a_newer_build_of_the_same_api_is_accepted(project: Path, tmp_path: Path) -> None:
    candidate = _candidate(tmp_path, REAL.replace(BUILD, b"Build 2026-02-01 10:00:00"))
    assert main(["update-spec", str(candidate), "--spec", str(project)]) == 0
    assert project.read_bytes() == candidate.read_bytes()


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["022", "027"])
def test_spec_and_lock_get_the_umask_modes(project: Path, tmp_path: Path, umask: int) -> None:
    candidate = _candidate(tmp_path, REAL.replace(BUILD, b"Build 2026-02-01 10:00:00"))
    old = os.umask(umask)
    try:
        assert main(["update-spec", str(candidate), "--spec", str(project)]) == 0
    finally:
        os.umask(old)
    for path in (project, project.parent / "spec.lock"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path
