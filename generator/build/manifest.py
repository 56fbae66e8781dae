"""MANIFEST.json: what a generated package is made of, so a copy of it can be checked anywhere.

The manifest lives inside the package folder, so it travels with every vendored copy. Paths are
relative to that folder (a rename changes no key). It is deterministic: sorted keys, no
timestamps, one sha256 per file. ``templates/runtime/_verify.py`` reads the same format without
the generator; keep the two in step (``FORMAT`` is bumped on any incompatible change).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__

MANIFEST = "MANIFEST.json"
FORMAT = 1
# Folders Python and mypy write at run time. They are never in the manifest, so they show up as
# added: a crafted ``__pycache__/x.cpython-311.pyc`` whose header matches an untouched ``x.py`` runs
# instead of it on import, so no copy with bytecode in it can be vouched for. Replacing a copy may
# discard them (they are derived data, nothing is lost).
CACHE_PARTS = frozenset({"__pycache__", ".mypy_cache"})


class ManifestError(Exception):
    """The folder has no readable manifest of ours: it is not a generated or vendored copy."""


@dataclass(frozen=True, slots=True)
class Changes:
    """How a package folder differs from its manifest (package-relative POSIX paths)."""

    edited: tuple[str, ...]
    added: tuple[str, ...]
    deleted: tuple[str, ...]

    def lines(self) -> list[str]:
        """One ``kind: path`` line per change, in a fixed order; bytecode in one summary line."""
        bytecode = [p for p in self.added if is_bytecode(p)]
        return (
            [f"edited: {p}" for p in self.edited]
            + [f"added: {p}" for p in self.added if not is_bytecode(p)]
            + ([bytecode_line(len(bytecode))] if bytecode else [])
            + [f"deleted: {p}" for p in self.deleted]
        )

    def without_caches(self) -> Changes:
        """The changes a user made: everything except added run-time caches."""
        added = tuple(path for path in self.added if not is_cache(path))
        return Changes(self.edited, added, self.deleted)


def is_cache(relpath: str) -> bool:
    """Whether a relative POSIX path lies in a folder Python or mypy writes on its own."""
    return not CACHE_PARTS.isdisjoint(relpath.split("/"))


def is_bytecode(relpath: str) -> bool:
    """A ``.pyc`` file in a ``__pycache__`` folder (what importing the package writes)."""
    parts = relpath.split("/")
    return len(parts) > 1 and parts[-2] == "__pycache__" and parts[-1].endswith(".pyc")


def bytecode_line(count: int) -> str:
    """The one line that stands for every bytecode file (``_verify.py`` words it the same)."""
    files = "file" if count == 1 else "files"
    return (
        f"added: {count} bytecode {files} under __pycache__ (not in the manifest; a crafted one "
        "runs instead of its .py): delete them, or run Python with -B, and verify again"
    )


def manifest_bytes(
    files: Mapping[str, bytes], package: str, spec_sha256: str, spec_build: str
) -> bytes:
    """The manifest for ``files`` ({package-relative path: bytes}, the manifest itself excluded)."""
    record = {
        "format": FORMAT,
        "generator": "norce-codegen",
        "generator_version": __version__,
        "package": package,
        "spec_sha256": spec_sha256,
        "spec_build": spec_build,
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
    }
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")


def with_manifest(
    files: Mapping[str, bytes], package: str, spec_sha256: str, spec_build: str
) -> dict[str, bytes]:
    """``files`` (paths start with ``package/``) plus ``package/MANIFEST.json`` covering them."""
    prefix = f"{package}/"
    inside = {
        path.removeprefix(prefix): data for path, data in files.items() if path.startswith(prefix)
    }
    result = dict(files)
    result[prefix + MANIFEST] = manifest_bytes(inside, package, spec_sha256, spec_build)
    return result


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest in ``folder``; ManifestError if missing, unreadable or not ours."""
    if folder.exists() and not folder.is_dir():
        raise ManifestError(f"{folder} is not a folder (name the vendored package folder)")
    try:
        record = json.loads((folder / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise ManifestError(f"{folder} has no {MANIFEST}: not a generated copy") from None
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read {folder / MANIFEST}: {exc}") from None
    files = record.get("files") if isinstance(record, dict) else None
    if (
        not isinstance(record, dict)
        or record.get("generator") != "norce-codegen"
        or record.get("format") != FORMAT
        or not isinstance(files, dict)
        or not all(isinstance(v, str) for v in files.values())
    ):
        raise ManifestError(
            f"{folder / MANIFEST} is not a norce-codegen manifest " f"(format {FORMAT})"
        )
    return record


def package_files(folder: Path) -> dict[str, Path]:
    """Every file (and symlink) in the package folder except the manifest, caches included."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        relpath = path.relative_to(folder).as_posix()
        if relpath != MANIFEST and (path.is_file() or path.is_symlink()):
            found[relpath] = path
    return found


def compare(folder: Path, record: Mapping[str, Any]) -> Changes:
    """Files edited, added or deleted in ``folder`` since ``record`` was written."""
    expected: dict[str, str] = dict(record["files"])
    present = package_files(folder)
    edited = tuple(
        p for p in sorted(expected.keys() & present.keys()) if _digest(present[p]) != expected[p]
    )
    added = tuple(sorted(present.keys() - expected.keys()))
    deleted = tuple(sorted(expected.keys() - present.keys()))
    return Changes(edited, added, deleted)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


__all__ = [
    "CACHE_PARTS",
    "MANIFEST",
    "Changes",
    "ManifestError",
    "bytecode_line",
    "compare",
    "is_cache",
    "is_bytecode",
    "manifest_bytes",
    "package_files",
    "read_manifest",
    "with_manifest",
]
