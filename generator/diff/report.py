"""Render a diff Report: Markdown for a pull request, JSON for machines, a CHANGELOG entry."""

from __future__ import annotations

import json
from collections import Counter
from itertools import groupby

from .changes import BREAKING, LEVELS, NON_BREAKING, POTENTIALLY_BREAKING, SEVERITIES, Change
from .specs import Report, Side

_LEVEL_TITLE = {"wire": "Wire (HTTP)", "python": "Python API"}
_GENERAL = "Spec-wide, models and package"
CHANGELOG_LIMIT = 40  # lines per entry; the full report is one `make diff` away


def to_json(report: Report) -> str:
    """Stable JSON: sorted keys, changes in report order, a fingerprint per change."""
    operations = {}
    for label in sorted({c.operation for c in report.changes if c.operation}):
        before, after = report.signatures.get(label, ("", ""))
        old_name, new_name = report.names.get(label, ("", ""))
        operations[label] = {
            "python_before": before,
            "python_after": after,
            "method_before": old_name,
            "method_after": new_name,
        }
    document = {
        "old": _side_json(report.old),
        "new": _side_json(report.new),
        "summary": {level: _counts(report, level) for level in LEVELS},
        "changes": [c.as_json() for c in report.changes],
        "operations": operations,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _side_json(side: Side) -> dict[str, str]:
    return {
        "label": side.label,
        "sha256": side.sha256,
        "version": side.version,
        "build": side.build,
    }


def _counts(report: Report, level: str) -> dict[str, int]:
    counter = Counter(c.severity for c in report.changes if c.level == level)
    return {severity: counter[severity] for severity in SEVERITIES}


def to_markdown(report: Report) -> str:
    """Summary table first, then one section per operation with before/after signatures."""
    lines = [
        f"## API diff: `{report.old.label}` → `{report.new.label}`",
        "",
        f"- old: {_describe(report.old)}",
        f"- new: {_describe(report.new)}",
        "",
    ]
    if not report.changes:
        return "\n".join(lines + ["No changes.", ""])
    lines += _summary(report)
    for operation, group in groupby(report.changes, key=lambda c: c.operation):
        changes = list(group)
        lines += [
            "",
            f"### {_heading(report, operation)}",
            "",
            "| Severity | Level | Where | Change | Before → after |",
            "|---|---|---|---|---|",
        ]
        lines += [_row(c) for c in changes]
        before, after = report.signatures.get(operation, ("", ""))
        if before != after:  # wire-only changes keep the signature: no need to print it
            lines += [
                "",
                "Python before:",
                "",
                "```python",
                before or "(none)",
                "```",
                "",
                "Python after:",
                "",
                "```python",
                after or "(none)",
                "```",
            ]
    return "\n".join(lines) + "\n"


def _describe(side: Side) -> str:
    build = f", {side.build}" if side.build else ""
    return f"version {side.version}{build}, sha256 `{side.sha256[:12]}`"


def _summary(report: Report) -> list[str]:
    lines = ["| | Breaking | Potentially breaking | Non-breaking |", "|---|---:|---:|---:|"]
    for level in LEVELS:
        counts = _counts(report, level)
        lines.append(
            f"| {_LEVEL_TITLE[level]} | " + " | ".join(str(counts[s]) for s in SEVERITIES) + " |"
        )
    source_only = sum(1 for c in report.changes if c.source_only)
    if source_only:
        lines += [
            "",
            f"{source_only} Python break(s) are source-only: the wire is compatible, "
            "but code calling the client must be edited (renames).",
        ]
    return lines


def _heading(report: Report, operation: str) -> str:
    if not operation:
        return _GENERAL
    old, new = report.names.get(operation, ("", ""))
    if old and new and old != new:
        return f"`{operation}` · `{old}` → `{new}`"
    return f"`{operation}` · `{new or old}`" if new or old else f"`{operation}`"


def _row(change: Change) -> str:
    severity = f"**{change.severity}**" if change.severity == BREAKING else change.severity
    if change.source_only:
        severity += " (source-only)"
    moved = (
        f"{change.before or '—'} → {change.after or '—'}" if change.before or change.after else ""
    )
    cells = [severity, change.level, change.location or "operation", change.message, moved]
    return "| " + " | ".join(_cell(text) for text in cells) + " |"


def _cell(text: str) -> str:
    """Table-safe: pipes in annotations (``str | None``) would split the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def changelog_entry(report: Report, heading: str) -> str:
    """A short Markdown section: counts, then the changes most likely to matter, worst first."""
    total = {s: sum(1 for c in report.changes if c.severity == s) for s in SEVERITIES}
    lines = [
        heading,
        "",
        f"Spec sha256 `{report.new.sha256[:12]}`; compared with "
        f"{report.old.version} ({report.old.build or report.old.sha256[:12]}): "
        f"{total[BREAKING]} breaking, {total[POTENTIALLY_BREAKING]} potentially breaking, "
        f"{total[NON_BREAKING]} non-breaking.",
        "",
    ]
    ordered = sorted(report.changes, key=lambda c: (SEVERITIES.index(c.severity), c.sort_key()))
    for change in ordered[:CHANGELOG_LIMIT]:
        where = f"{change.operation} {change.location}".strip()
        lines.append(f"- {change.severity}, {change.level}: {where}: {change.message}")
    if len(ordered) > CHANGELOG_LIMIT:
        lines.append(f"- … and {len(ordered) - CHANGELOG_LIMIT} more (run `make diff`)")
    if not report.changes:
        lines.append("- no wire or Python API changes")
    return "\n".join(lines) + "\n"
