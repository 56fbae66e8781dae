"""Check a vendored copy of this package against its MANIFEST.json, with the standard library only.

Run it from the repo that vendors the package, e.g. in CI:

    python path/to/package/_verify.py [FOLDER] [--spec FILE | --sha256 HEX]
    python -B -m dotted.path.to.package._verify [...]   # same, but imports the package first

Prefer the script form: it needs no dependencies and still runs when an edit breaks the import.

FOLDER defaults to the folder this file is in. Every file edited, added or deleted since the copy
was generated is named (on stderr; "ok" goes to stdout). Bytecode counts as added, in one summary
line: a crafted ``__pycache__/*.pyc`` whose header matches an untouched ``.py`` runs instead of it
on import, so verify a copy without ``__pycache__`` folders (a fresh clone), or delete them first.
With ``--spec`` (or ``--sha256``) the copy must also have been generated from exactly that spec;
the report says whether the copy looks older or newer by the spec's "Build YYYY-MM-DD hh:mm:ss"
line.

Exit codes:
    0: the copy matches its manifest (and the spec, if given).
    1: a file was edited, added or deleted, or the copy comes from a different spec.
    2: usage error, or FOLDER has no readable MANIFEST.json (not a vendored copy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["EXIT_CHANGED", "EXIT_OK", "EXIT_USAGE", "check", "main"]

EXIT_OK, EXIT_CHANGED, EXIT_USAGE = 0, 1, 2
MANIFEST = "MANIFEST.json"
FORMAT = 1
_BUILD = re.compile(rb"Build (\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class NotACopy(Exception):
    """The folder has no readable norce-codegen MANIFEST.json."""


def read_manifest(folder: Path) -> dict[str, Any]:
    """Load and sanity-check the manifest; raise NotACopy if it is missing or foreign."""
    if folder.exists() and not folder.is_dir():
        raise NotACopy(f"{folder} is not a folder (name the vendored package folder)")
    try:
        record = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError) as exc:
        raise NotACopy(f"cannot read {folder / MANIFEST}: {exc}") from None
    if (
        not isinstance(record, dict)
        or record.get("generator") != "norce-codegen"
        or record.get("format") != FORMAT
        or not isinstance(record.get("files"), dict)
    ):
        raise NotACopy(f"{folder / MANIFEST} is not a norce-codegen manifest (format {FORMAT})")
    return record


def _present(folder: Path) -> dict[str, Path]:
    """Every file (and symlink) but the manifest: caches and bytecode too."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        relpath = path.relative_to(folder).as_posix()
        if relpath != MANIFEST and (path.is_file() or path.is_symlink()):
            found[relpath] = path
    return found


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _is_bytecode(relpath: str) -> bool:
    parts = relpath.split("/")
    return len(parts) > 1 and parts[-2] == "__pycache__" and parts[-1].endswith(".pyc")


def check(folder: Path, record: dict[str, Any]) -> list[str]:
    """One ``edited|added|deleted: path`` line per difference between folder and manifest; the
    bytecode files among the added ones are counted in one line."""
    expected: dict[str, Any] = record["files"]
    present = _present(folder)
    lines = [
        f"edited: {p}"
        for p in sorted(expected.keys() & present.keys())
        if _digest(present[p]) != expected[p]
    ]
    added = sorted(present.keys() - expected.keys())
    bytecode = [p for p in added if _is_bytecode(p)]
    lines += [f"added: {p}" for p in added if not _is_bytecode(p)]
    if bytecode:
        files = "file" if len(bytecode) == 1 else "files"
        lines.append(
            f"added: {len(bytecode)} bytecode {files} under __pycache__ (not in the manifest; a "
            "crafted one runs instead of its .py): delete them, or run Python with -B, and "
            "verify again"
        )
    lines += [f"deleted: {p}" for p in sorted(expected.keys() - present.keys())]
    return lines


def spec_problem(record: dict[str, Any], sha256: str, build: str | None) -> str | None:
    """Why the copy does not match a spec with this sha256 (and build date), or None."""
    copy_sha = str(record.get("spec_sha256", ""))
    if copy_sha == sha256.lower():
        return None
    copy_build = _BUILD.search(str(record.get("spec_build", "")).encode())
    age = "different"
    if build is not None and copy_build is not None:
        copy_date = copy_build.group(1).decode()
        if copy_date < build:
            age = "older"
        elif copy_date > build:
            age = "newer"
    return (
        f"spec: the copy is {age} {'from' if age == 'different' else 'than'} the given spec "
        f"(copy: sha256 {copy_sha[:12]} "
        f"{record.get('spec_build') or '(no build)'}; given: sha256 {sha256[:12]} "
        f"{'Build ' + build if build else '(no build)'}); re-vendor it"
    )


def _sha256(text: str) -> str:
    if not _SHA256.fullmatch(text):
        raise ValueError(text)
    return text


_sha256.__name__ = "sha256 (64 hex digits)"  # argparse: "invalid sha256 (64 hex digits) value"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Check a vendored norce-codegen package against its MANIFEST.json.",
        epilog="exit codes: 0 ok, 1 files edited/added/deleted or a different spec, "
        "2 usage error or not a vendored copy",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="the package folder; default: the folder this script is in",
    )
    spec = parser.add_mutually_exclusive_group()
    spec.add_argument("--spec", type=Path, help="spec file the copy must be generated from")
    spec.add_argument(
        "--sha256", type=_sha256, help="sha256 (64 hex digits) of the spec the copy must match"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check and print the result; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        record = read_manifest(args.folder)
        spec_bytes = args.spec.read_bytes() if args.spec is not None else None
    except NotACopy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot read {args.spec}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    problems = check(args.folder, record)
    if spec_bytes is not None:
        found = _BUILD.search(spec_bytes)
        build = found.group(1).decode() if found else None
        problem = spec_problem(record, hashlib.sha256(spec_bytes).hexdigest(), build)
        problems += [problem] if problem else []
    elif args.sha256 is not None:
        problem = spec_problem(record, args.sha256, None)
        problems += [problem] if problem else []
    package = record.get("package", "?")
    if problems:
        print(f"{args.folder}: vendored copy of {package} does not match:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_CHANGED
    print(
        f"{args.folder}: ok, the {len(record['files'])} files {MANIFEST} lists match, nothing "
        f"added (spec sha256 {str(record.get('spec_sha256', ''))[:12]})"
    )
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
