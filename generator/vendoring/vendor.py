"""Vendoring: the generated package written into another repo's source tree, and checked there.

``vendor(dest, ...)`` writes ``dest/<package>/`` and nothing else in ``dest`` (write_tree stages
in a sibling ``.<package>.new-*`` folder and swaps it in, so a failure keeps the old copy). A
rename regenerates with the ``package`` setting overridden: the package uses relative imports,
and the few places its name appears as text (README, docs, docstrings) follow the setting. The
import path those texts show is derived from ``dest``: ``acme.norce_order`` when ``dest`` is the
package ``acme`` (a folder with ``__init__.py``), else the bare package name.
"""

from __future__ import annotations

import json
import keyword
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.manifest import MANIFEST, ManifestError, compare, read_manifest
from ..build.pipeline import Result, build
from ..build.write import WriteError, write_tree

# Import names of the client's run-time dependencies (httpx, pydantic and theirs): a package
# named like one of them, or like a stdlib module, would shadow it where DEST is on sys.path.
RUNTIME_DEPENDENCIES = frozenset(
    {
        "annotated_types",
        "anyio",
        "certifi",
        "h11",
        "httpcore",
        "httpx",
        "idna",
        "pydantic",
        "pydantic_core",
        "sniffio",
        "typing_extensions",
        "typing_inspection",
    }
)


class VendorError(ValueError):
    """A vendor/verify argument is unusable (package name, folder kind); nothing was written."""


@dataclass(frozen=True, slots=True)
class Vendored:
    """What ``vendor`` wrote."""

    folder: Path
    result: Result
    files: int  # the files MANIFEST.json lists (the manifest itself not counted)


def package_name(name: str) -> str:
    """``name`` if it can be a Python package folder that shadows nothing it imports."""
    if not _is_identifier(name):
        raise VendorError(
            f"--package {name!r} is not a valid Python package name "
            "(ASCII letters, digits and _, not starting with a digit, not a keyword)"
        )
    if name in sys.stdlib_module_names or name.lower() in RUNTIME_DEPENDENCIES:
        kind = "standard library module" if name in sys.stdlib_module_names else "dependency"
        raise VendorError(
            f"--package {name!r} is the name of a {kind} of the client; a package of that "
            "name would shadow it: choose another name"
        )
    return name


def import_path(dest: Path, name: str) -> str:
    """The dotted path ``dest/name`` is imported by: the packages enclosing it, then ``name``.

    Walks up from ``dest`` while the folder is a regular package (``__init__.py``) with an
    importable name; ``dest`` outside any package gives ``name`` alone.
    """
    parts = [name]
    folder = dest.resolve()
    while (folder / "__init__.py").is_file() and _is_identifier(folder.name):
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def _is_identifier(name: str) -> bool:
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name)


def strip_package(files: Mapping[str, bytes], package: str) -> dict[str, bytes]:
    """The files under ``package/`` with that prefix removed (changelog etc. stay behind)."""
    prefix = f"{package}/"
    return {
        path.removeprefix(prefix): data for path, data in files.items() if path.startswith(prefix)
    }


def vendor(
    dest: Path,
    spec: Path,
    settings: Mapping[str, Any],
    package: str | None = None,
    force: bool = False,
) -> Vendored:
    """Generate from ``spec`` and write the package as ``dest/<package>``, replacing it atomically.

    Raises:
        VendorError: bad package name, or ``dest`` is not an existing folder.
        WriteError: the package folder exists and is not a clean copy of ours (without ``force``),
            is a file or symlink, or cannot be written. The old copy is then left as it was.
        SpecError: the spec is invalid.
    """
    name = package_name(package if package is not None else str(settings["package"]))
    if not dest.is_dir():
        raise VendorError(
            f"{dest} is not an existing folder (DEST is the parent of the package "
            f"folder, e.g. src/acme for src/acme/{name})"
        )
    folder = dest / name
    _check_replaceable(folder, force)
    result = build(spec, _copy_settings(settings, folder, name))
    files = strip_package(result.files, name)
    write_tree(folder, files)
    return Vendored(folder, result, sum(1 for path in files if path != MANIFEST))


def _check_replaceable(folder: Path, force: bool) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise WriteError(f"refusing to replace {folder}: it is not a folder")
    if not folder.exists():
        return
    try:
        # Bytecode and caches are derived data: replacing them loses nothing.
        changes = compare(folder, read_manifest(folder)).without_caches().lines()
    except ManifestError as exc:
        if force:
            return
        raise WriteError(
            f"refusing to replace {folder}: {exc}; it was not written by "
            "`vendor`, pass --force to replace it and everything in it"
        ) from None
    if changes and not force:
        raise WriteError(
            f"refusing to replace {folder}: it was changed after vendoring "
            f"({'; '.join(changes)}); pass --force to discard those changes"
        )


@dataclass(frozen=True, slots=True)
class Verified:
    """What ``verify`` found: one line per problem, and how many files the manifest lists."""

    problems: list[str]
    listed: int


def verify(folder: Path, spec: Path | None, settings: Mapping[str, Any]) -> Verified:
    """Problems with a vendored copy: local edits, and with ``spec`` what regenerating would change.

    Raises:
        ManifestError: ``folder`` has no readable manifest (not a vendored copy).
        SpecError: ``spec`` is invalid.
    """
    record = read_manifest(folder)
    problems = compare(folder, record).lines()
    listed = len(record["files"])
    if spec is None:
        return Verified(problems, listed)
    try:
        name = package_name(str(record.get("package")))
    except VendorError as exc:
        raise ManifestError(f"{folder / MANIFEST}: {exc}") from None
    result = build(spec, _copy_settings(settings, folder, name))
    if record.get("spec_sha256") != result.doc.sha256:
        problems.append(
            f"spec: copy generated from sha256 {str(record.get('spec_sha256'))[:12]} "
            f"({record.get('spec_build') or 'no build'}), {spec} is sha256 "
            f"{result.doc.sha256[:12]} ({result.api.build or 'no build'})"
        )
    fresh = _fresh_hashes(strip_package(result.files, name))
    problems += _stale(record["files"], fresh)
    return Verified(problems, listed)


def _copy_settings(settings: Mapping[str, Any], folder: Path, name: str) -> dict[str, Any]:
    """The project settings for a copy at ``folder``: its package name and import path."""
    return {**settings, "package": name, "import-path": import_path(folder.parent, name)}


def _fresh_hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    """The per-file hashes of a freshly built package (from its own MANIFEST.json)."""
    hashes: dict[str, str] = json.loads(files[MANIFEST])["files"]
    return hashes


def _stale(vendored: Mapping[str, str], fresh: Mapping[str, str]) -> list[str]:
    lines = [
        f"stale: {p} would change"
        for p in sorted(vendored.keys() & fresh.keys())
        if vendored[p] != fresh[p]
    ]
    lines += [f"stale: {p} would be added" for p in sorted(fresh.keys() - vendored.keys())]
    lines += [f"stale: {p} would be removed" for p in sorted(vendored.keys() - fresh.keys())]
    return lines


__all__ = [
    "RUNTIME_DEPENDENCIES",
    "VendorError",
    "Vendored",
    "Verified",
    "import_path",
    "package_name",
    "strip_package",
    "vendor",
    "verify",
]
