"""generated/CHANGELOG.md: one entry per spec build, newest first, carried across regenerations.

``write_tree`` replaces the output folder as a whole, so the log and what it needs are part of
the files written. To diff a new build against the previous one we keep a copy of the spec the
newest entry describes (``.spec/last-build.yaml``, ~120 kB). Reading it back from git history
instead would fail in shallow clones, tarballs and on specs never committed; one file is simpler.
The copy is replaced only when an entry is added, so a local edit that keeps the build string
is diffed against the last published build, not against itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..build.interpret import build_line
from ..build.load import parse_spec_bytes
from ..build.markdown import md_inline
from ..build.pipeline import Result
from ..build.stamp import header, strip_header
from ..diagnostics import SpecError

CHANGELOG = "CHANGELOG.md"
SPEC_COPY = ".spec/last-build.yaml"
TITLE = (
    "# Changelog\n\n<!-- Maintained by `make generate`: an entry is added when the spec's build "
    "or version changes. Entries are summaries; run `make diff BASE=<ref>` for details. -->\n"
)


def with_changelog(result: Result, out: Path, settings: Mapping[str, Any]) -> dict[str, bytes]:
    """``result.files`` plus the CHANGELOG and spec copy: carried over, or with a new entry on top."""
    files = dict(result.files)
    log_path, copy_path = out / CHANGELOG, out / SPEC_COPY
    log = strip_header(log_path.read_bytes()).decode("utf-8") if log_path.is_file() else ""
    previous = strip_header(copy_path.read_bytes()) if copy_path.is_file() else None
    current = (result.api.version, result.api.build or result.doc.sha256)
    stamp_md, stamp_yaml = header("<!--"), header()
    # Same bytes, same identity: skip parsing the copy (most generations are of an unchanged build).
    unchanged = previous == result.doc.raw or (
        previous is not None and _identity(previous, str(copy_path)) == current
    )
    if previous is not None and log and unchanged:
        files[CHANGELOG] = (stamp_md + log).encode("utf-8")
        files[SPEC_COPY] = stamp_yaml.encode("utf-8") + previous
        return files
    build_line = md_inline(result.api.build) or f"sha256 {result.doc.sha256[:12]}"
    heading = f"## {md_inline(result.api.version)} — {build_line}"
    date = md_inline(result.api.build.removeprefix("Build ").split(" ")[0])
    heading += f" ({date})" if date else ""
    entry = _entry(result, previous, copy_path, heading, settings)
    files[CHANGELOG] = (stamp_md + TITLE + "\n" + entry + _older_entries(log)).encode("utf-8")
    files[SPEC_COPY] = stamp_yaml.encode("utf-8") + result.doc.raw
    return files


def _identity(raw: bytes, path: str) -> tuple[str, str] | None:
    """(version, build line) of a stored spec, as build_ir reads them; None if unreadable."""
    try:
        info = parse_spec_bytes(raw, path).get("info") or {}
    except SpecError:
        return None
    build = build_line(str(info.get("description") or ""))
    return str(info.get("version", "")), build or hashlib.sha256(raw).hexdigest()


def _entry(
    result: Result,
    previous: bytes | None,
    copy_path: Path,
    heading: str,
    settings: Mapping[str, Any],
) -> str:
    if previous is None:
        return f"{heading}\n\nFirst generated from spec sha256 `{result.doc.sha256[:12]}`.\n"
    # The diff machinery (griffe and all) loads only here, when the build changed.
    from .inputs import Input
    from .nodes import DiffLimitError
    from .report import changelog_entry
    from .sides import side_from_result, side_of
    from .specs import compare

    previous_input = Input("previous build", copy_path, None, copy_path.name, str(copy_path))
    try:
        old = side_of(previous_input, settings)
        report = compare(old, side_from_result(result), "previous build", "this build")
    except (SpecError, DiffLimitError) as exc:
        # A stored spec the current generator rejects must not block generation: say so instead.
        reason = exc.diagnostics[0].message if isinstance(exc, SpecError) else str(exc)
        return f"{heading}\n\nPrevious spec could not be compared: {md_inline(reason)}\n"
    return changelog_entry(report, heading)


def _older_entries(log: str) -> str:
    """Everything from the first entry heading on; the title block is rewritten each time."""
    start = log.find("\n## ")
    return "\n" + log[start + 1 :] if start >= 0 else ""
