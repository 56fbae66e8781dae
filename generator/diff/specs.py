"""Diff two spec versions at the wire level and at the generated Python API, into one Report.

OLD and NEW are files or git revisions (``inputs``). Both are validated and generated as
``generate`` would (``sides``), in parallel and in memory, then compared: ``wire`` on the parsed
specs, ``python_api`` on the generated packages' public surfaces.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..diagnostics import SpecError
from .changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, SEVERITIES, Change
from .inputs import Input, resolve
from .nodes import DiffLimitError
from .python_api import diff_python
from .sides import Side, build_sides
from .wire import diff_wire

_STACK = 20_000  # frames; schema nesting is bounded by schema.MAX_NESTING long before this


@dataclass(frozen=True, slots=True)
class SideInfo:
    """What the report says about one input."""

    label: str  # as the user named it, never a temp path: output must be byte-stable
    sha256: str
    version: str
    build: str


@dataclass(frozen=True, slots=True)
class Report:
    """Every change, one row per fact, sorted."""

    old: SideInfo
    new: SideInfo
    changes: tuple[Change, ...]

    def counts(self, level: str | None = None) -> dict[str, int]:
        """Changes per severity, at ``level`` or (None) at both."""
        return {
            s: sum(1 for c in self.changes if c.severity == s and level in (None, c.level))
            for s in SEVERITIES
        }

    def tally(self) -> str:
        """ "N breaking, N potentially breaking, N non-breaking", both levels together."""
        counts = self.counts()
        return (
            f"{counts[BREAKING]} breaking, {counts[POTENTIALLY_BREAKING]} potentially breaking, "
            f"{counts[NON_BREAKING]} non-breaking"
        )

    def by_level(self, level: str) -> list[Change]:
        return [c for c in self.changes if c.level == level]


def resolve_inputs(old: str, new: str, settings: Mapping[str, Any]) -> tuple[Input, Input]:
    """Both command-line arguments as Inputs; SpecError naming each one that is not readable."""
    inputs, problems = [], []
    for side, arg in (("OLD", old), ("NEW", new)):
        try:
            inputs.append(resolve(arg, side, settings))
        except SpecError as exc:
            problems += exc.diagnostics
    if problems:
        raise SpecError(problems)
    return inputs[0], inputs[1]


def diff_inputs(
    inputs: tuple[Input, Input], settings: Mapping[str, Any], cache: bool = True
) -> Report:
    """Validate and generate both sides, then compare; SpecError naming each broken side."""
    a, b = build_sides(inputs, settings, cache)
    return compare(a, b, inputs[0].label, inputs[1].label)


def compare(old: Side, new: Side, old_label: str, new_label: str) -> Report:
    """The Report for two sides; identical specs short-cut to no changes."""
    changes: list[Change] = []
    if old.sha256 != new.sha256:
        with _deep_stack():
            try:
                changes = diff_wire(old.data, new.data) + diff_python(old, new)
            except RecursionError:
                raise DiffLimitError("the specs nest too deeply to compare; no verdict") from None
        changes = _mark_source_only(changes)
    return Report(
        _info(old, old_label),
        _info(new, new_label),
        tuple(sorted(changes, key=Change.sort_key)),
    )


@contextmanager
def _deep_stack() -> Iterator[None]:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _STACK))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _mark_source_only(changes: list[Change]) -> list[Change]:
    """Flag Python breaks the wire does not explain: a rename forces code edits but no server change.

    A wire change that may break (breaking or potentially breaking: an optional property removed,
    say) explains one too; the report calls a source-only row's wire unchanged."""
    wire_broken = {op for c in changes if _wire_may_break(c) for op in c.operations}
    any_wire_break = any(_wire_may_break(c) for c in changes)
    marked = []
    for change in changes:
        if change.level == "python" and change.severity == BREAKING:
            if change.kind in ("method-renamed", "model-renamed"):
                explained = False
            elif change.operations:
                explained = bool(set(change.operations) & wire_broken)
            else:
                explained = any_wire_break
            change = dataclasses.replace(change, source_only=not explained)
        marked.append(change)
    return marked


def _wire_may_break(change: Change) -> bool:
    return change.level == "wire" and change.severity != NON_BREAKING


def _info(side: Side, label: str) -> SideInfo:
    return SideInfo(label, side.sha256, side.version, side.build)
