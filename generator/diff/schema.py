"""Recursive comparison of two JSON schemas for one operation and one direction.

"request" asks: will the server still accept what an old client sends? "response" asks: will an
old client still understand what the server returns? Tightening hurts requests, loosening hurts
responses; each check below picks its severity for both directions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..build.admit import resolve_pointer
from .changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, Change

MAX_DEPTH = 12  # schemas nest ~6 deep here; the bound stops runaway recursion on odd specs
_TIGHTER_IF_HIGHER = ("minLength", "minimum", "minItems", "minProperties")
_TIGHTER_IF_LOWER = ("maxLength", "maximum", "maxItems", "maxProperties")
_OPAQUE = ("pattern", "format", "multipleOf", "exclusiveMinimum", "exclusiveMaximum", "uniqueItems")


@dataclass
class Collector:
    """The two documents being compared and the changes found so far."""

    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    def add(
        self,
        severity: str,
        kind: str,
        operation: str,
        location: str,
        message: str,
        before: object = "",
        after: object = "",
    ) -> None:
        self.changes.append(
            Change(
                "wire", severity, kind, operation, location, message, _show(before), _show(after)
            )
        )


def _show(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(_show(v) for v in value))
    return repr(value)


def deref(data: dict[str, Any], node: Any, limit: int = 20) -> Any:
    """Follow local $refs (bounded: a ref chain can loop); a dangling one reads as empty."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and limit > 0:
        try:
            node = resolve_pointer(data, node["$ref"])
        except KeyError:
            return {}
        limit -= 1
    return node


class SchemaDiff:
    """Compares schemas for one operation and one direction ("request" or "response")."""

    def __init__(self, out: Collector, label: str, direction: str) -> None:
        self.out, self.label, self.direction = out, label, direction

    def emit(
        self,
        request_sev: str,
        response_sev: str,
        what: str,
        where: str,
        message: str,
        before: object = "",
        after: object = "",
    ) -> None:
        severity = request_sev if self.direction == "request" else response_sev
        self.out.add(
            severity, f"{self.direction}-{what}", self.label, where, message, before, after
        )

    def compare(
        self,
        a_raw: Any,
        b_raw: Any,
        where: str,
        depth: int = 0,
        stack: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        if a_raw is None or b_raw is None or depth > MAX_DEPTH:
            return
        refs = (_ref_name(a_raw), _ref_name(b_raw))
        if (
            refs != ("", "") and refs in stack
        ):  # a cycle: this pair is already being compared above us
            return
        stack = stack | {refs}
        a, b = _flatten(self.out.old, a_raw), _flatten(self.out.new, b_raw)
        if not self._scalars(a, b, where):
            return
        self._properties(a, b, where, depth, stack)
        if isinstance(a.get("items"), dict) and isinstance(b.get("items"), dict):
            self.compare(a["items"], b["items"], where + "[]", depth + 1, stack)
        extra_a, extra_b = a.get("additionalProperties"), b.get("additionalProperties")
        if isinstance(extra_a, dict) and isinstance(extra_b, dict):
            self.compare(extra_a, extra_b, where + "{*}", depth + 1, stack)
        elif extra_a is not None and extra_b is not None and bool(extra_a) != bool(extra_b):
            self.emit(
                BREAKING if not extra_b else NON_BREAKING,
                POTENTIALLY_BREAKING,
                "additional-properties-changed",
                where,
                "additionalProperties changed",
                before=bool(extra_a),
                after=bool(extra_b),
            )
        for combinator in ("oneOf", "anyOf"):
            self._variants(combinator, a.get(combinator), b.get(combinator), where, depth, stack)

    def _scalars(self, a: dict[str, Any], b: dict[str, Any], where: str) -> bool:
        """Compare type, nullability, enum, constraints; False when the type changed (stop there)."""
        ta, tb = _types(a), _types(b)
        if ta and tb and ta != tb:
            self.emit(
                BREAKING, BREAKING, "type-changed", where, "type changed", before=ta, after=tb
            )
            return False
        na, nb = _nullable(a), _nullable(b)
        if na != nb:
            self.emit(
                NON_BREAKING if nb else BREAKING,
                POTENTIALLY_BREAKING if nb else NON_BREAKING,
                "nullable-changed",
                where,
                "may now be null" if nb else "may no longer be null",
                before=na,
                after=nb,
            )
        ea, eb = a.get("enum"), b.get("enum")
        if isinstance(ea, list) and isinstance(eb, list):
            gone, new = [v for v in ea if v not in eb], [v for v in eb if v not in ea]
            for value in gone:
                self.emit(
                    BREAKING,
                    NON_BREAKING,
                    "enum-value-removed",
                    where,
                    f"enum value {value!r} removed",
                    before=str(value),
                )
            for value in new:
                self.emit(
                    NON_BREAKING,
                    POTENTIALLY_BREAKING,
                    "enum-value-added",
                    where,
                    f"enum value {value!r} added",
                    after=str(value),
                )
        elif isinstance(ea, list) != isinstance(eb, list):
            closed = isinstance(eb, list)
            self.emit(
                BREAKING if closed else NON_BREAKING,
                NON_BREAKING if closed else POTENTIALLY_BREAKING,
                "enum-added" if closed else "enum-removed",
                where,
                "values now restricted to an enum" if closed else "enum restriction lifted",
            )
        self._constraints(a, b, where)
        for flag in ("readOnly", "writeOnly"):
            if bool(a.get(flag)) != bool(b.get(flag)):
                self.emit(
                    POTENTIALLY_BREAKING,
                    POTENTIALLY_BREAKING,
                    f"{flag.lower()}-changed",
                    where,
                    f"{flag} changed",
                    before=bool(a.get(flag)),
                    after=bool(b.get(flag)),
                )
        return True

    def _constraints(self, a: dict[str, Any], b: dict[str, Any], where: str) -> None:
        for key in _TIGHTER_IF_HIGHER + _TIGHTER_IF_LOWER:
            va, vb = a.get(key), b.get(key)
            if va == vb or not _number_or_none(va) or not _number_or_none(vb):
                continue
            if va is None or vb is None:
                tighter = vb is not None
            else:
                tighter = vb > va if key in _TIGHTER_IF_HIGHER else vb < va
            self.emit(
                BREAKING if tighter else NON_BREAKING,
                NON_BREAKING if tighter else POTENTIALLY_BREAKING,
                "constraint-tightened" if tighter else "constraint-relaxed",
                where,
                f"{key} {'tightened' if tighter else 'relaxed'}",
                before=f"{key}={va}",
                after=f"{key}={vb}",
            )
        for key in _OPAQUE:  # no order to reason about: flag and let a human judge
            if a.get(key) != b.get(key):
                self.emit(
                    POTENTIALLY_BREAKING,
                    POTENTIALLY_BREAKING,
                    f"{key.lower()}-changed",
                    where,
                    f"{key} changed",
                    before=f"{key}={a.get(key)}",
                    after=f"{key}={b.get(key)}",
                )

    def _properties(
        self,
        a: dict[str, Any],
        b: dict[str, Any],
        where: str,
        depth: int,
        stack: frozenset[tuple[str, str]],
    ) -> None:
        pa, pb = a.get("properties") or {}, b.get("properties") or {}
        ra, rb = set(a.get("required") or []), set(b.get("required") or [])
        for name in sorted(pa.keys() - pb.keys()):
            self.emit(
                POTENTIALLY_BREAKING,
                POTENTIALLY_BREAKING,
                "property-removed",
                f"{where}.{name}",
                "property removed"
                + (
                    "; the server may reject or drop it"
                    if self.direction == "request"
                    else "; code reading it gets nothing"
                ),
                before=name,
            )
        for name in sorted(pb.keys() - pa.keys()):
            required = name in rb
            self.emit(
                BREAKING if required else NON_BREAKING,
                NON_BREAKING,
                (
                    "property-added-required"
                    if required and self.direction == "request"
                    else "property-added"
                ),
                f"{where}.{name}",
                "new required property" if required else "new optional property",
                after=name,
            )
        for name in sorted(pa.keys() & pb.keys()):
            if (name in ra) != (name in rb):
                now = name in rb
                self.emit(
                    BREAKING if now else NON_BREAKING,
                    NON_BREAKING if now else POTENTIALLY_BREAKING,
                    "property-now-required" if now else "property-now-optional",
                    f"{where}.{name}",
                    "now required" if now else "now optional (may be missing)",
                    before="required" if not now else "optional",
                    after="required" if now else "optional",
                )
            self.compare(pa[name], pb[name], f"{where}.{name}", depth + 1, stack)

    def _variants(
        self,
        combinator: str,
        a: Any,
        b: Any,
        where: str,
        depth: int,
        stack: frozenset[tuple[str, str]],
    ) -> None:
        if not isinstance(a, list) or not isinstance(b, list):
            return
        if len(a) == len(b):
            for index, (va, vb) in enumerate(zip(a, b, strict=True)):
                self.compare(va, vb, f"{where}<{combinator}[{index}]>", depth + 1, stack)
            return
        more = len(b) > len(a)
        self.emit(
            NON_BREAKING if more else BREAKING,
            POTENTIALLY_BREAKING if more else NON_BREAKING,
            f"{combinator.lower()}-variants-changed",
            where,
            f"{combinator} alternatives changed",
            before=str(len(a)),
            after=str(len(b)),
        )


def _ref_name(node: Any) -> str:
    """The component a schema stands for, also through an `allOf: [$ref]` wrapper (cycle detection)."""
    if not isinstance(node, dict):
        return ""
    members = node.get("allOf")
    if isinstance(members, list) and len(members) == 1:
        node = members[0]
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref if isinstance(ref, str) else ""


def _flatten(data: dict[str, Any], node: Any, depth: int = 0) -> dict[str, Any]:
    """Resolve $ref and merge allOf members, so `allOf: [$ref: X]` wrappers compare like X."""
    node = deref(data, node)
    if not isinstance(node, dict):
        return {}
    merged = {k: v for k, v in node.items() if k != "allOf"}
    members = node.get("allOf") or []
    for member in members if depth < MAX_DEPTH else []:
        part = _flatten(data, member, depth + 1)
        merged["properties"] = {
            **(part.get("properties") or {}),
            **(merged.get("properties") or {}),
        }
        merged["required"] = sorted(
            set(merged.get("required") or []) | set(part.get("required") or [])
        )
        for key, value in part.items():
            merged.setdefault(key, value)
        if not merged["properties"]:
            del merged["properties"]
        if not merged["required"]:
            del merged["required"]
    return merged


def _types(node: dict[str, Any]) -> str:
    value = node.get("type")
    types = [value] if isinstance(value, str) else [t for t in value or [] if isinstance(t, str)]
    return ",".join(sorted(t for t in types if t != "null"))


def _nullable(node: dict[str, Any]) -> bool:
    value = node.get("type")
    return bool(node.get("nullable")) or (isinstance(value, list) and "null" in value)


def _number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
