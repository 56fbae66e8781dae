"""The Markdown report a reviewer reads in a minute, and the CHANGELOG entry.

Order: the verdict; what breaks for code using the client (old call -> new call); wire changes by
severity (non-breaking ones folded away); every Python API change (folded away); accepted changes.
The report stays under ``MAX_CHARS`` (a pull-request comment holds 65,536): a section that would
not fit is cut with a count of what was left out and a pointer to ``--format json``.

Every string that comes from a spec goes through ``build.markdown`` (``md_cell``/``md_cell_code``),
so a description or enum value cannot add markup, links or HTML to the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..build.markdown import md_cell, md_cell_code, md_code, md_inline
from .changes import BREAKING, LEVELS, NON_BREAKING, POTENTIALLY_BREAKING, SEVERITIES, Change
from .gate import Acceptance, Gate
from .specs import Report, SideInfo

MAX_CHARS = 60_000
CHANGELOG_LIMIT = 40  # lines per entry; the full report is one `make diff` away
_SLACK = 500  # characters kept free below MAX_CHARS
_LEVEL_TITLE = {"wire": "Wire (HTTP)", "python": "Python API"}
_TITLE = {
    BREAKING: "Breaking",
    POTENTIALLY_BREAKING: "Potentially breaking",
    NON_BREAKING: "Non-breaking",
}
_OPS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class _Table:
    """A report section: a table under a heading (or folded into ``<details>``), with a share of
    the size budget; a share a short section does not use passes on to the next ones."""

    title: str
    header: tuple[str, str]
    rows: list[str]
    weight: float
    folded: bool = False
    heading: str = ""


def to_markdown(report: Report, gate: Gate, stale: list[Acceptance] | None = None) -> str:
    """The pull-request report."""
    lines = [
        f"## API diff: {md_code(report.old.label)} → {md_code(report.new.label)}",
        "",
        _verdict(report, gate),
        "",
        f"- old: {_describe(report.old)}",
        f"- new: {_describe(report.new)}",
        "",
    ]
    if not report.changes:
        return "\n".join(lines)
    lines += _summary(report)
    footer = []
    if stale:
        names = ", ".join(md_code(a.fingerprint[:12]) for a in stale)
        footer += [f"Allow-list entries that matched nothing (remove them): {names}", ""]
    footer += ["Fingerprints, pointers and every affected operation: `--format json`.", ""]
    budget = MAX_CHARS - _SLACK - sum(len(line) + 1 for line in lines + footer)
    tables = _tables(report)
    weights = sum(t.weight for t in tables)
    for table in tables:
        share = int(budget * table.weight / weights) if weights else budget
        rendered = _render(table, share)
        lines += rendered
        budget -= sum(len(line) + 1 for line in rendered)
        weights -= table.weight
    return "\n".join(lines + footer).rstrip("\n") + "\n"


def _tables(report: Report) -> list[_Table]:
    tables = []
    breaks = _breaks(report)
    if breaks:
        title = f"### What breaks for code using the client ({len(breaks)})"
        header = ("| Old call | New call | Why |", "|---|---|---|")
        tables.append(_Table(title, header, [_break_row(c) for c in breaks], 0.35))
    wire_header = ("| Change | Where | Before → after | Operations |", "|---|---|---|---|")
    first = True
    for severity, weight in ((BREAKING, 0.2), (POTENTIALLY_BREAKING, 0.1), (NON_BREAKING, 0.1)):
        rows = [
            _wire_row(c)
            for c in report.by_level("wire")
            if c.severity == severity and not c.accepted
        ]
        if rows:
            title = f"{_TITLE[severity]} ({len(rows)})"
            heading = "### Wire changes" if first else ""
            folded = severity == NON_BREAKING
            tables.append(
                _Table(
                    title if folded else f"#### {title}", wire_header, rows, weight, folded, heading
                )
            )
            first = False
    python = [_python_row(c) for c in report.by_level("python") if not c.accepted]
    if python:
        header = ("| Severity | Change | Where | Before → after |", "|---|---|---|---|")
        tables.append(
            _Table(
                f"Python API changes ({len(python)})", header, python, 0.15, True, "### Python API"
            )
        )
    accepted = [_accepted_row(c) for c in report.changes if c.accepted]
    if accepted:
        header = ("| Severity | Level | Where | Reason | Fingerprint |", "|---|---|---|---|---|")
        tables.append(_Table(f"### Accepted ({len(accepted)})", header, accepted, 0.1))
    return tables


def _render(table: _Table, budget: int) -> list[str]:
    """The table's lines within ``budget`` characters; rows past it are counted, not shown."""
    lines = [table.heading, ""] if table.heading else []
    lines += (
        [f"<details><summary>{table.title}</summary>", ""] if table.folded else [table.title, ""]
    )
    lines += list(table.header)
    room = budget - sum(len(line) + 1 for line in lines) - 200
    kept = 0
    for row in table.rows:
        if len(row) + 1 > room:
            break
        lines.append(row)
        room -= len(row) + 1
        kept += 1
    if kept < len(table.rows):
        left = len(table.rows) - kept
        lines += [
            "",
            f"… {left} more rows left out to keep this report short; see `--format json`.",
        ]
    return lines + (["", "</details>", ""] if table.folded else [""])


def _verdict(report: Report, gate: Gate) -> str:
    if not report.changes:
        return "**Verdict: ✅ no changes** at the wire or in the Python API."
    failing = [c for c in report.changes if gate.fails(c)]
    tally = report.tally()
    accepted = sum(1 for c in report.changes if c.accepted)
    tally += f"; {accepted} accepted" if accepted else ""
    if not gate.thresholds:
        return f"**Verdict: {tally}** (no gate: `--fail-on` not set)."
    if failing:
        return f"**Verdict: ❌ fails the gate** ({gate.describe()}): {len(failing)} change(s) at or above it; {tally}."
    return f"**Verdict: ✅ passes the gate** ({gate.describe()}); {tally}."


def _describe(side: SideInfo) -> str:
    build = f", {md_inline(side.build)}" if side.build else ""
    return f"version {md_inline(side.version)}{build}, sha256 `{side.sha256[:12]}`"


def _summary(report: Report) -> list[str]:
    lines = ["| | Breaking | Potentially breaking | Non-breaking |", "|---|---:|---:|---:|"]
    for level in LEVELS:
        counts = report.counts(level)
        lines.append(
            f"| {_LEVEL_TITLE[level]} | " + " | ".join(str(counts[s]) for s in SEVERITIES) + " |"
        )
    source_only = sum(1 for c in report.changes if c.source_only)
    if source_only:
        lines += [
            "",
            f"{source_only} Python break(s) are source-only: the wire is compatible, but code "
            "using the client must be edited (renames).",
        ]
    return lines + [""]


def _breaks(report: Report) -> list[Change]:
    return [c for c in report.by_level("python") if c.severity == BREAKING and not c.accepted]


def _break_row(change: Change) -> str:
    before = md_cell_code(change.call_before or change.subject)
    after = md_cell_code(change.call_after) if change.call_after else "no replacement"
    why = change.message + (" (source-only: the wire is unchanged)" if change.source_only else "")
    return f"| {before} | {after} | {md_cell(why)} |"


def _wire_row(change: Change) -> str:
    return (
        f"| {md_cell(change.message)} | {md_cell_code(change.where) if change.where else '—'} "
        f"| {_moved(change)} | {_operations(change)} |"
    )


def _python_row(change: Change) -> str:
    message = change.message + (f"; {'; '.join(change.extra)}" if change.extra else "")
    return f"| {change.severity} | {md_cell(message)} | {md_cell_code(change.subject)} | {_moved(change)} |"


def _accepted_row(change: Change) -> str:
    return (
        f"| {change.severity} | {change.level} | {md_cell_code(change.where or change.kind)} "
        f"| {md_cell(change.accepted)} | `{change.fingerprint[:12]}` |"
    )


def _moved(change: Change) -> str:
    if not change.before and not change.after:
        return ""
    before = md_cell_code(change.before) if change.before else "—"
    after = md_cell_code(change.after) if change.after else "—"
    return f"{before} → {after}"


def _operations(change: Change) -> str:
    ops = change.operations
    if not ops or (len(ops) == 1 and ops[0] == change.subject):
        return ""
    shown = ", ".join(md_cell_code(op) for op in ops[:_OPS_SHOWN])
    more = f" and {len(ops) - _OPS_SHOWN} more" if len(ops) > _OPS_SHOWN else ""
    return f"{len(ops)}: {shown}{more}"


def changelog_entry(report: Report, heading: str) -> str:
    """A short Markdown section: counts, what breaks, then the other changes worst first."""
    lines = [
        heading,
        "",
        f"Spec sha256 `{report.new.sha256[:12]}`; compared with "
        f"{md_inline(report.old.version)} ({md_inline(report.old.build or report.old.sha256[:12])}): "
        f"{report.tally()}.",
        "",
    ]
    entries: list[tuple[Change, Callable[[Change], str]]] = [
        (c, _changelog_break) for c in _breaks(report)
    ]
    entries += [
        (c, _changelog_line)
        for c in sorted(report.changes, key=lambda c: (SEVERITIES.index(c.severity), c.sort_key()))
        if not (c.level == "python" and c.severity == BREAKING)
    ]
    for change, render in entries[:CHANGELOG_LIMIT]:
        lines.append(render(change))
    if len(entries) > CHANGELOG_LIMIT:
        lines.append(f"- … and {len(entries) - CHANGELOG_LIMIT} more (run `make diff`)")
    if not report.changes:
        lines.append("- no wire or Python API changes")
    return "\n".join(lines) + "\n"


def _changelog_break(change: Change) -> str:
    after = md_code(change.call_after) if change.call_after else "no replacement"
    return f"- breaking, python: {md_code(change.call_before or change.subject)} → {after}: {md_inline(change.message)}"


def _changelog_line(change: Change) -> str:
    where = md_code(change.where) if change.where else ""
    ops = f" ({len(change.operations)} operations)" if len(change.operations) > 1 else ""
    return f"- {change.severity}, {change.level}: {where}{ops}: {md_inline(change.message)}"
