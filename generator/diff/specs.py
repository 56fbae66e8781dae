"""Diff two spec versions at the wire level and at the generated Python API, into one Report.

OLD and NEW are files or git revisions (``REV:path``, or a bare ``REV`` meaning the project's
spec at that revision). Both are validated and generated exactly as ``generate`` would, so the
Python half compares the code users would actually get.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.pipeline import Result, build
from ..diagnostics import Diagnostic, SpecError
from ..settings import PROJECT_ROOT
from .changes import BREAKING, Change, at_or_above
from .python_api import Signatures, diff_python
from .wire import diff_wire

GIT_TIMEOUT = 30  # seconds; `git show` of one blob is instant unless something is badly wrong


@dataclass(frozen=True, slots=True)
class Side:
    """What the report says about one input."""

    label: str  # as the user named it, never a temp path: JSON output must be byte-stable
    sha256: str
    version: str
    build: str


@dataclass(frozen=True, slots=True)
class Report:
    """Every change, sorted, with the sync-client signature of each operation before and after."""

    old: Side
    new: Side
    changes: tuple[Change, ...]
    signatures: Signatures
    names: dict[str, tuple[str, str]]  # operation label -> (old python name, new python name)

    def failing(self, threshold: str | None) -> list[Change]:
        """Changes at or above ``threshold`` ("breaking" / "potentially-breaking"); none if None."""
        if threshold is None:
            return []
        return [c for c in self.changes if at_or_above(c.severity, threshold)]


def diff_specs(old: str, new: str, settings: Mapping[str, Any]) -> Report:
    """Read, validate and generate both sides; raise SpecError naming the side that is broken."""
    with tempfile.TemporaryDirectory(prefix="norce-diff-") as tmp:
        results: list[Result] = []
        problems: list[Diagnostic] = []
        for side, arg in (("OLD", old), ("NEW", new)):
            try:
                path = read_input(arg, side, settings, Path(tmp) / side)
                results.append(build(path, settings))
            except SpecError as exc:
                # Name the side and the input as given, not the temp copy read from git.
                problems += [
                    Diagnostic(f"[{side}] {arg}", d.pointer, d.message) for d in exc.diagnostics
                ]
        if problems:
            raise SpecError(problems)
        return compare(results[0], results[1], old, new)


def read_input(arg: str, side: str, settings: Mapping[str, Any], workdir: Path) -> Path:
    """A file as is, or ``REV:path`` / ``REV`` from git written to ``workdir``."""
    path = Path(arg)
    if path.is_file():
        return path
    rev, colon, relpath = arg.partition(":")
    if not colon:
        relpath = str(settings["spec"])
    try:
        shown = subprocess.run(
            ["git", "show", f"{rev}:{relpath}"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpecError([Diagnostic(arg, "#", f"cannot run git: {exc}")]) from None
    if shown.returncode != 0:
        reason = " ".join(shown.stderr.decode("utf-8", "replace").split()) or "git show failed"
        raise SpecError(
            [
                Diagnostic(
                    arg,
                    "#",
                    f"not a file, and not readable from git as " f"{rev}:{relpath} ({reason})",
                )
            ]
        )
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / Path(relpath).name
    copy.write_bytes(shown.stdout)
    return copy


def compare(old: Result, new: Result, old_label: str, new_label: str) -> Report:
    """The Report for two generations; identical specs short-cut to "no changes"."""
    changes: list[Change] = []
    signatures: Signatures = {}
    if old.doc.sha256 != new.doc.sha256:
        changes = diff_wire(old.doc.data, new.doc.data)
        with tempfile.TemporaryDirectory(prefix="norce-diff-") as tmp:
            python, signatures = diff_python(old, new, Path(tmp))
        changes += python
    changes = _mark_source_only(changes)
    names: dict[str, tuple[str, str]] = {}
    for index, result in enumerate((old, new)):
        for op in result.api.operations:
            label = f"{op.method.upper()} {op.path}"
            pair = list(names.get(label, ("", "")))
            pair[index] = op.python_name
            names[label] = (pair[0], pair[1])
    return Report(
        _side(old, old_label),
        _side(new, new_label),
        tuple(sorted(changes, key=Change.sort_key)),
        signatures,
        names,
    )


def _mark_source_only(changes: list[Change]) -> list[Change]:
    """Flag Python breaks the wire does not explain: a rename forces code edits but no server change."""
    wire_broken = {c.operation for c in changes if c.level == "wire" and c.severity == BREAKING}
    any_wire_break = bool(wire_broken)
    marked = []
    for change in changes:
        if change.level == "python" and change.severity == BREAKING:
            explained = change.operation in wire_broken if change.operation else any_wire_break
            change = dataclasses.replace(change, source_only=not explained)
        marked.append(change)
    return marked


def _side(result: Result, label: str) -> Side:
    return Side(label, result.doc.sha256, result.api.version, result.api.build)
