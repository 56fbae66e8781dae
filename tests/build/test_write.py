"""``generate --out``: never deletes what it did not write; folders and files get the umask's modes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import GENERATED, run_generator

from generator.build.write import read_tree, write_file

PACKAGE = "norce_checkout_order"


def _generated_copy(tmp_path: Path) -> Path:
    """A folder `generate` wrote, without re-running it: the project's generated/ copied."""
    out = tmp_path / "out"
    for relpath, data in read_tree(GENERATED).items():
        (out / relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / relpath).write_bytes(data)
    return out


def test_a_folder_that_is_not_ours_is_refused_and_kept(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n")
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert "carries no MANIFEST.json" in result.stderr and "Traceback" not in result.stderr
    assert read_tree(out) == {"notes.txt": b"my notes\n"}


def test_a_file_in_place_of_the_folder_is_refused_and_kept(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    out.write_text("not a folder\n")
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3 and "it is not a folder" in result.stderr
    assert out.read_text() == "not a folder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["generated"]


def _too_deep_to_walk(folder: Path) -> None:
    """Nested folders whose full path is longer than PATH_MAX: walking into them by path fails
    with ENAMETOOLONG (as an unreadable corner of a home folder or of ``/`` fails), for root too."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(24):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def test_a_careless_out_is_refused_in_one_line_without_walking_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("# mine\n")
    _too_deep_to_walk(home)
    for command, code, message in [
        ("generate", 3, "carries no MANIFEST.json"),
        ("check", 2, f"error: {home} is not a folder generate wrote"),
    ]:
        result = run_generator(command, "--out", str(home))
        assert result.returncode == code, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (home / ".bashrc").read_text() == "# mine\n"
    assert sorted(p.name for p in home.iterdir()) == [".bashrc", "d" * 200]


def test_our_folder_with_a_corner_that_cannot_be_read_is_refused_and_kept(tmp_path: Path) -> None:
    out = _generated_copy(tmp_path)
    _too_deep_to_walk(out / PACKAGE)
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert f"refusing to replace {out}: cannot read all of it" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_generator("check", "--out", str(out))
    assert result.returncode == 2 and f"error: cannot read {out}: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (out / PACKAGE / ("d" * 200)).is_dir()


def test_a_package_folder_as_out_is_refused_and_kept(tmp_path: Path) -> None:
    """`generate --out generated/norce_checkout_order` (or a vendored copy) would replace the
    package with a folder holding CHANGELOG.md and the package nested in itself."""
    out = _generated_copy(tmp_path) / PACKAGE
    before = read_tree(out)
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert (
        f"refusing to replace {out}: it is a package folder (it has MANIFEST.json)" in result.stderr
    )
    assert read_tree(out) == before


def test_a_file_added_to_our_folder_is_refused_and_kept(tmp_path: Path) -> None:
    out = _generated_copy(tmp_path)
    (out / "notes.txt").write_text("my notes\n")
    (out / PACKAGE / "local.py").write_text("X = 1\n")
    before = read_tree(out)
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3
    assert "did not write (norce_checkout_order/local.py, notes.txt)" in result.stderr
    assert read_tree(out) == before


def test_our_folder_with_caches_and_edits_is_regenerated(tmp_path: Path) -> None:
    out = _generated_copy(tmp_path)
    (out / PACKAGE / "__pycache__").mkdir()
    (out / PACKAGE / "__pycache__" / "errors.cpython-311.pyc").write_bytes(b"\0")
    (out / ".mypy_cache").mkdir()
    (out / ".mypy_cache" / "x.json").write_text("{}")
    (out / PACKAGE / "errors.py").write_text("edited by hand\n")
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert read_tree(out / PACKAGE) == read_tree(GENERATED / PACKAGE)


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["022", "027"])
def test_output_gets_the_umask_modes(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "out"
    old = os.umask(umask)
    try:
        assert run_generator("generate", "--out", str(out)).returncode == 0
        write_file(tmp_path / "one.txt", b"x")
    finally:
        os.umask(old)
    dirs = {p.stat().st_mode & 0o777 for p in [out, *out.rglob("*")] if p.is_dir()}
    files = {
        p.stat().st_mode & 0o777 for p in [*out.rglob("*"), tmp_path / "one.txt"] if p.is_file()
    }
    assert dirs == {0o777 & ~umask}
    assert files == {0o666 & ~umask}
