"""``python -m generator vendor``: writes DEST/PACKAGE only, refuses foreign folders, swaps atomically."""

from __future__ import annotations

import hashlib
import json
import os
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
    snapshot,
)

from generator.build import requirements, write
from generator.build.manifest import MANIFEST
from generator.build.write import read_tree


def _outside(repo: Path, folder: Path) -> dict[str, tuple[bytes, int]]:
    return {k: v for k, v in snapshot(repo).items() if not (repo / k).is_relative_to(folder)}


def test_vendor_writes_only_the_package_folder(cli: Callable[..., Run], other_repo: Path) -> None:
    before = snapshot(other_repo)
    result = cli("vendor", other_repo / "src" / "acme", "--package", "norce_order")
    assert result.code == 0, result.err
    folder = other_repo / "src" / "acme" / "norce_order"
    assert _outside(other_repo, folder) == before
    assert sorted(p.name for p in (other_repo / "src" / "acme").iterdir()) == [
        "__init__.py",
        "norce_order",
        "unrelated.py",
    ]  # no staging/backup folders left behind
    files = read_tree(folder)
    assert {"__init__.py", "_client.py", "_verify.py", "py.typed", MANIFEST} <= files.keys()
    assert not any(
        p.startswith(("CHANGELOG", ".spec")) for p in files
    )  # project-only files stay home


def test_manifest_is_deterministic_and_covers_every_file(
    cli: Callable[..., Run], other_repo: Path
) -> None:
    assert cli("vendor", other_repo / "src" / "acme").code == 0
    folder = other_repo / "src" / "acme" / "norce_checkout_order"
    raw = (folder / MANIFEST).read_bytes()
    record = json.loads(raw)
    assert raw == (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()
    assert record["package"] == "norce_checkout_order"
    assert record["spec_build"] == "Build 2026-01-12 08:21:29"
    files = read_tree(folder)
    del files[MANIFEST]
    assert record["files"] == {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}
    assert record["spec_sha256"] == hashlib.sha256(SPEC.read_bytes()).hexdigest()
    assert set(record) == {
        "files",
        "format",
        "generator",
        "generator_version",
        "package",
        "spec_build",
        "spec_sha256",
    }  # nothing time-dependent


def test_rename_follows_the_package_setting(cli: Callable[..., Run], other_repo: Path) -> None:
    assert cli("vendor", other_repo / "src" / "acme", "--package", "norce_order").code == 0
    folder = other_repo / "src" / "acme" / "norce_order"
    readme = (folder / "README.md").read_text()
    # src/acme is a package (it has __init__.py), src is not: the copy is acme.norce_order.
    for text in (readme, (folder / "docs" / "index.md").read_text()):
        assert "from acme.norce_order import OrderClient" in text
    assert "from acme.norce_order import OrderClient" in (folder / "__init__.py").read_text()
    assert "python -B -m acme.norce_order._verify" in readme
    assert "vendor path/to/parent --package norce_order" in readme
    assert "norce-codegen 0.1.0" in readme and "Build 2026-01-12 08:21:29" in readme
    leftovers = [p for p, data in read_tree(folder).items() if b"norce_checkout_order" in data]
    assert leftovers == []
    # `make generate` writes the project's configured package, never a folder named after the copy
    assert "generated/norce_order" not in readme
    assert (
        "`make generate` (the project's own copy in\n`generated/`, under the package name" in readme
    )
    assert json.loads((folder / MANIFEST).read_bytes())["package"] == "norce_order"


def test_import_path_outside_a_package_is_the_bare_name(
    cli: Callable[..., Run], other_repo: Path
) -> None:
    assert cli("vendor", other_repo / "src", "--package", "norce_order").code == 0
    readme = (other_repo / "src" / "norce_order" / "README.md").read_text()
    assert "from norce_order import OrderClient" in readme
    assert "acme." not in readme


def test_readme_states_the_tested_requirements(copy: Path) -> None:
    readme = (copy / "README.md").read_text()
    assert f"Python >= {requirements.PYTHON}" in readme
    for name, version in requirements.MINIMUM_DEPENDENCIES.items():
        assert f"`{name}>={version}`" in readme


@pytest.mark.parametrize(
    "name", ["logging", "json", "typing", "httpx", "pydantic", "pydantic_core", "anyio"]
)
def test_package_names_that_shadow_an_import_are_refused(
    cli: Callable[..., Run], other_repo: Path, name: str
) -> None:
    before = snapshot(other_repo)
    result = cli("vendor", other_repo / "src", "--package", name)
    assert result.code == 2 and "would shadow it" in result.err, result.err
    assert snapshot(other_repo) == before


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["022", "027"])
def test_vendored_copy_gets_the_umask_modes(
    cli: Callable[..., Run], other_repo: Path, umask: int
) -> None:
    old = os.umask(umask)
    try:
        assert cli("vendor", other_repo / "src" / "acme").code == 0
    finally:
        os.umask(old)
    folder = other_repo / "src" / "acme" / "norce_checkout_order"
    dirs = {p.stat().st_mode & 0o777 for p in [folder, *folder.rglob("*")] if p.is_dir()}
    files = {p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()}
    assert dirs == {0o777 & ~umask} and files == {0o666 & ~umask}


def test_revendoring_discards_bytecode_but_not_other_additions(
    cli: Callable[..., Run], copy: Path
) -> None:
    dest = copy.parent
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "errors.cpython-311.pyc").write_bytes(b"\0")
    assert cli("vendor", dest, "--package", "norce_order").code == 0, "caches are derived data"
    assert not (copy / "__pycache__").exists()
    (copy / "extra.pyc").write_bytes(b"\0")  # sourceless bytecode is importable: not a cache
    refused = cli("vendor", dest, "--package", "norce_order")
    assert refused.code == 3 and "added: extra.pyc" in refused.err


@pytest.mark.parametrize("name", ["../escape", "class", "norce-order", "1abc", "", "ñame"])
def test_invalid_package_name_is_a_usage_error(
    cli: Callable[..., Run], other_repo: Path, name: str
) -> None:
    before = snapshot(other_repo)
    result = cli("vendor", other_repo / "src" / "acme", "--package", name)
    assert result.code == 2 and "not a valid Python package name" in result.err
    assert snapshot(other_repo) == before


def test_missing_dest_is_a_usage_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    result = cli("vendor", tmp_path / "nope")
    assert result.code == 2 and "not an existing folder" in result.err
    assert not (tmp_path / "nope").exists()


def test_refuses_a_folder_without_manifest_unless_forced(
    cli: Callable[..., Run], other_repo: Path
) -> None:
    folder = other_repo / "src" / "acme" / "norce_order"
    folder.mkdir()
    (folder / "handwritten.py").write_text("KEEP = True\n")
    before = snapshot(other_repo)
    refused = cli("vendor", other_repo / "src" / "acme", "--package", "norce_order")
    assert refused.code == 3
    assert "no MANIFEST.json" in refused.err and "--force" in refused.err
    assert snapshot(other_repo) == before
    forced = cli("vendor", other_repo / "src" / "acme", "--package", "norce_order", "--force")
    assert forced.code == 0, forced.err
    assert not (folder / "handwritten.py").exists() and (folder / MANIFEST).is_file()
    assert _outside(other_repo, folder) == {
        k: v for k, v in before.items() if not k.startswith("src/acme/norce_order/")
    }


def test_refuses_an_edited_copy_unless_forced(cli: Callable[..., Run], other_repo: Path) -> None:
    dest = other_repo / "src" / "acme"
    assert cli("vendor", dest).code == 0
    edited = dest / "norce_checkout_order" / "errors.py"
    edited.write_text(edited.read_text() + "# local patch\n")
    refused = cli("vendor", dest)
    assert refused.code == 3 and "edited: errors.py" in refused.err
    assert edited.read_text().endswith("# local patch\n")
    assert cli("vendor", dest, "--force").code == 0
    assert not edited.read_text().endswith("# local patch\n")


def test_never_replaces_a_file_or_symlink(cli: Callable[..., Run], other_repo: Path) -> None:
    dest = other_repo / "src" / "acme"
    (dest / "norce_checkout_order").write_text("a file\n")
    os.symlink(other_repo, dest / "linked")
    for name in ("norce_checkout_order", "linked"):
        result = cli("vendor", dest, "--package", name, "--force")
        assert result.code == 3 and "not a folder" in result.err
    assert (dest / "norce_checkout_order").read_text() == "a file\n"
    assert (dest / "linked").is_symlink()


def test_revendoring_is_idempotent(cli: Callable[..., Run], other_repo: Path) -> None:
    dest = other_repo / "src" / "acme"
    assert cli("vendor", dest).code == 0
    first = read_tree(dest / "norce_checkout_order")
    assert cli("vendor", dest).code == 0
    assert read_tree(dest / "norce_checkout_order") == first


def test_failed_write_midway_keeps_the_old_copy(
    cli: Callable[..., Run], other_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = other_repo / "src" / "acme"
    assert cli("vendor", dest).code == 0
    before = snapshot(other_repo)
    real_write_bytes = Path.write_bytes
    written: list[Path] = []

    def failing_write_bytes(self: Path, data: bytes) -> int:
        if len(written) == 10:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    result = cli("vendor", dest, "--force")
    monkeypatch.undo()
    assert result.code == 3 and "No space left on device" in result.err
    assert len(written) == 10 and all(".norce_checkout_order.new-" in str(p) for p in written)
    assert snapshot(other_repo) == before
    assert sorted(p.name for p in dest.iterdir()) == [
        "__init__.py",
        "norce_checkout_order",
        "unrelated.py",
    ]


def test_failed_swap_keeps_the_old_copy(
    cli: Callable[..., Run], other_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = other_repo / "src" / "acme"
    assert cli("vendor", dest).code == 0
    before = snapshot(other_repo)
    real_rename = os.rename

    def failing_rename(src: str | Path, dst: str | Path) -> None:
        if ".new-" in Path(src).name:  # the old copy is already moved aside at this point
            raise OSError(5, "Input/output error")
        real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", failing_rename)
    result = cli("vendor", dest)
    monkeypatch.undo()
    assert result.code == 3
    assert snapshot(other_repo) == before
    assert sorted(p.name for p in dest.iterdir()) == [
        "__init__.py",
        "norce_checkout_order",
        "unrelated.py",
    ]
