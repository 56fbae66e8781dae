"""One fact, one row: raw findings and per-object differences folded into the rows a reviewer reads.

Wire: a fact met in requests and responses is one row with both directions (the worse severity); a
fact inside a shared schema is one row listing every operation that reaches it; the same edit to
many operations (an optional header added to 33 of them) is one row with the operations; values
added to one enum are one row.

Python: the client's twins (async client, raw-response wrappers, ``operations`` functions) repeat
every method, so a change they share is one row on the sync client naming the twins; the same
argument change on many methods is one row; members added to one enum are one row.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from .changes import Change
from .nodes import SCHEMA_PREFIX, show
from .paths import param
from .rules import rule
from .schema import Finding, Owner, Walk, owner_label, schema_owner

_LISTS = frozenset({"enum-value-added", "enum-value-removed", "server-added", "server-removed"})


def merge_findings(walk: Walk) -> list[Change]:
    """Wire findings -> rows: directions merged per fact, identical per-operation facts folded."""
    facts: dict[tuple[str, Owner, str, str, str], list[Finding]] = defaultdict(list)
    for finding in _gather_values(walk.findings):
        key = (finding.kind, finding.owner, finding.location, finding.before, finding.after)
        facts[key].append(finding)
    per_op: dict[tuple[str, str, str, str, tuple[str, ...]], list[tuple[str, list[Finding]]]]
    per_op = defaultdict(list)
    changes: list[Change] = []
    for (kind, owner, location, before, after), found in facts.items():
        directions = tuple(sorted({f.direction for f in found if f.direction}))
        if owner[0] == "op":
            per_op[(kind, location, before, after, directions)].append((owner[1], found))
        else:
            operations = walk.operations_of(owner, _breaking_directions(kind, directions))
            changes.append(
                _wire_row(kind, owner_label(owner), location, found, directions, operations)
            )
    for (kind, location, _, _, directions), group in per_op.items():
        operations = tuple(sorted(label for label, _ in group))
        found = [f for _, fs in group for f in fs]
        subject = operations[0] if len(operations) == 1 else ""
        changes.append(_wire_row(kind, subject, location, found, directions, operations))
    for old_name, new_name in sorted(walk.renames.items()):
        changes.append(
            Change(
                "wire",
                "schema-renamed",
                rule("wire", "schema-renamed").severity(()),
                f"schema {new_name}",
                "",
                f"schema {old_name} is now {new_name}; the wire is unchanged",
                old_name,
                new_name,
                walk.operations_of(schema_owner(old_name, new_name)),
                pointer=SCHEMA_PREFIX + new_name,
                pointer_side="new",
            )
        )
    return changes


def _breaking_directions(kind: str, directions: tuple[str, ...]) -> tuple[str, ...]:
    """The directions that give a row its (worst) severity, when the other one is milder."""
    classified = rule("wire", kind)
    if len(directions) < 2 or not classified.directional:
        return ()
    worst = classified.severity(directions)
    return tuple(d for d in directions if classified.severity((d,)) == worst)


def _gather_values(findings: list[Finding]) -> list[Finding]:
    """Values added to (or removed from) one enum or server list in one direction: one finding."""
    groups: dict[tuple[str, str, Owner, str], list[Finding]] = defaultdict(list)
    out: list[Finding] = []
    for finding in findings:
        if finding.kind in _LISTS:
            groups[(finding.kind, finding.direction, finding.owner, finding.location)].append(
                finding
            )
        else:
            out.append(finding)
    for (kind, _, _, _), group in groups.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        noun = "values" if kind.startswith("enum") else "servers"
        verb = "added" if kind.endswith("added") else "removed"
        out.append(
            dataclasses.replace(
                group[0],
                message=f"{len(group)} {noun} {verb}",
                before=show(sorted({f.before for f in group if f.before})),
                after=show(sorted({f.after for f in group if f.after})),
            )
        )
    return out


def _wire_row(
    kind: str,
    subject: str,
    location: str,
    found: list[Finding],
    directions: tuple[str, ...],
    operations: tuple[str, ...],
) -> Change:
    first, classified = found[0], rule("wire", kind)
    message = first.message
    if len(directions) == 2:
        message += " (in requests and responses)"
    elif directions and classified.directional:
        message += f" (in {directions[0]}s)"
    return Change(
        "wire",
        kind,
        classified.severity(directions),
        subject,
        location,
        message,
        first.before,
        first.after,
        operations,
        directions,
        first.pointer,
        first.pointer_side,
    )


# --- Python --------------------------------------------------------------------------------------


def fold_python(changes: list[Change], twins: set[str], client: str) -> list[Change]:
    """Twins folded into the client's row, repeated argument changes and enum members gathered."""
    return _gather_members(_fold_methods(_fold_twins(changes, twins, client), client))


def _fold_twins(changes: list[Change], twins: set[str], client: str) -> list[Change]:
    """A change repeated by the twins is one row on the client, naming the twins it stands for."""

    def on_client(path: str) -> str | None:
        for twin in twins:
            if path.startswith((twin + ".", twin + "(")):
                return client + path[len(twin) :]
        return None

    kept: dict[tuple[str, str], Change] = {}
    folded: dict[tuple[str, str], set[str]] = defaultdict(set)
    out: list[Change] = []
    for change in changes:
        translated = on_client(change.subject)
        if translated is None and not change.subject.startswith((client + ".", client + "(")):
            out.append(change)
            continue
        key = (change.kind.replace("function-", "method-"), translated or change.subject)
        if translated is None:
            kept[key] = change
        else:
            folded[key].add(_owner_name(change.subject))
            kept.setdefault(key, change)
    for key, change in kept.items():
        also = sorted(folded[key] - {_owner_name(change.subject)})
        out.append(
            dataclasses.replace(change, extra=(f"also in {', '.join(also)}",)) if also else change
        )
    return out


def _fold_methods(changes: list[Change], client: str) -> list[Change]:
    """The same argument change on many client methods (a header added everywhere) is one row."""
    groups: dict[tuple[str, str, str, str], list[Change]] = defaultdict(list)
    out: list[Change] = []
    for change in changes:
        found = param(change.subject)
        owner, name = found or ("", "")
        if found and owner.startswith(client + ".") and not owner.endswith(".__init__"):
            groups[(change.kind, name, change.before, change.after)].append(change)
        else:
            out.append(change)
    for (_, name, _, _), group in groups.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        first = group[0]
        out.append(
            dataclasses.replace(
                first,
                subject=f"{client}.*({name})",
                message=f"{first.message} ({len(group)} methods)",
                operations=tuple(sorted({op for c in group for op in c.operations})),
            )
        )
    return out


def _gather_members(changes: list[Change]) -> list[Change]:
    """Members added to (or removed from) one enum: one row."""
    groups: dict[tuple[str, str], list[Change]] = defaultdict(list)
    out: list[Change] = []
    for change in changes:
        if change.kind in ("enum-member-added", "enum-member-removed"):
            groups[(change.kind, change.subject.rpartition(".")[0])].append(change)
        else:
            out.append(change)
    for (kind, owner), group in groups.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        names = ", ".join(sorted(c.subject.rpartition(".")[2] for c in group))
        verb = "added" if kind.endswith("added") else "removed"
        out.append(
            dataclasses.replace(
                group[0],
                subject=owner,
                message=f"{len(group)} enum members {verb}",
                before=", ".join(sorted(c.before for c in group if c.before)),
                after=", ".join(sorted(c.after for c in group if c.after)),
                call_before="; ".join(c.call_before for c in group if c.call_before),
                call_after="",
                extra=(f"members: {names}",),
            )
        )
    return out


def _owner_name(path: str) -> str:
    return path.split("(", 1)[0].split(".", 1)[0]
