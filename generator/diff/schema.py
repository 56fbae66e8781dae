"""Compare two JSON schemas in one direction, once per shared schema, with no depth cut-off.

"request" asks: will the server still accept what an old client sends? "response" asks: will an old
client still understand what the server returns? ``rules`` holds the severity for both; this module
only finds the facts and records which direction met them.

A ``$ref`` to a component on both sides (the same schema, or a proven rename) is compared once per
direction, and the facts inside it are reported against the schema ("schema Address .email"), not
against every operation that reaches it; ``Walk.users`` remembers who reaches whom, so each fact can
list its operations. That memo is also the cycle guard: a schema already being compared is not
entered again. Nothing stops early. ``MAX_NESTING`` only exists so a hostile spec cannot exhaust the
stack, and reaching it raises ``DiffLimitError``: the diff then fails (exit 2), it never passes.

readOnly properties are not part of a request and writeOnly ones not part of a response (OpenAPI
3.0, Schema Object): in each direction a property is compared only where it is in play, so a change
to ``Hook.id`` (readOnly) is a response fact and never a request one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import json_pointer
from . import nodes
from .changes import REQUEST, RESPONSE
from .nodes import SCHEMA_PREFIX, DiffLimitError, show

MAX_NESTING = (
    250  # schema levels on one path; real specs use < 30; past this the diff fails (exit 2)
)
_TIGHTER_IF_HIGHER = ("minLength", "minimum", "minItems", "minProperties")
_TIGHTER_IF_LOWER = ("maxLength", "maximum", "maxItems", "maxProperties")
_OPAQUE = ("multipleOf", "exclusiveMinimum", "exclusiveMaximum", "uniqueItems")

Owner = tuple[str, str]  # ("op", "GET /x"), ("schema", "Old\0New") or ("spec", "servers")


@dataclass(frozen=True, slots=True)
class Finding:
    """One raw fact, before facts met in several directions or operations are merged."""

    kind: str
    direction: str  # REQUEST, RESPONSE, or "" when direction does not apply
    owner: Owner
    location: str  # inside the owner: "request body.customer", ".email" (for a schema)
    message: str
    before: str = ""
    after: str = ""
    pointer: str = ""
    pointer_side: str = "new"


@dataclass(frozen=True, slots=True)
class Spot:
    """Where in both documents a comparison is: the report's location and the two JSON pointers."""

    where: str
    old: str
    new: str

    def child(self, label: str, *parts: object) -> Spot:
        suffix = json_pointer(parts)[1:]
        return Spot(self.where + label, self.old + suffix, self.new + suffix)


@dataclass
class Walk:
    """The two documents, the proven schema renames, and what the comparison found."""

    old: dict[str, Any]
    new: dict[str, Any]
    renames: dict[str, str]  # old schema name -> new schema name
    findings: list[Finding] = field(default_factory=list)
    # schema owner -> (who reaches it, in which direction)
    users: dict[Owner, set[tuple[Owner, str]]] = field(default_factory=dict)
    _done: set[tuple[Owner, str]] = field(default_factory=set)

    def found(
        self,
        kind: str,
        owner: Owner,
        where: str,
        message: str,
        *,
        before: object = "",
        after: object = "",
        direction: str = "",
        pointer: str = "",
        side: str = "new",
    ) -> None:
        self.findings.append(
            Finding(
                kind, direction, owner, where, message, show(before), show(after), pointer, side
            )
        )

    def operations_of(self, owner: Owner, first: Iterable[str] = ()) -> tuple[str, ...]:
        """Every operation that reaches ``owner``, through any chain of schemas.

        Operations that reach it in one of the directions ``first`` are listed first (the ones a
        change breaks: a reviewer reads the POST that now fails before the GETs that still work).
        """
        if owner[0] == "op":
            return (owner[1],)
        start = [(owner, d) for d in (REQUEST, RESPONSE, "")]
        seen, stack, found = set(start), list(start), set()
        while stack:
            target, direction = stack.pop()
            for user in self.users.get(target, ()):
                if user[1] != direction:
                    continue
                if user[0][0] == "op":
                    found.add((user[0][1], direction))
                elif user not in seen:
                    seen.add(user)
                    stack.append(user)
        leading = {label for label, direction in found if direction in first}
        rest = {label for label, _ in found} - leading
        return (*sorted(leading), *sorted(rest))

    def schema(self, owner: Owner, direction: str, depth: int) -> None:
        """Compare a component pair once per direction; later users only record their use."""
        if (owner, direction) in self._done:
            return
        self._done.add((owner, direction))
        old_name, new_name = owner[1].split("\0")
        spot = Spot(
            "", SCHEMA_PREFIX + nodes.escape(old_name), SCHEMA_PREFIX + nodes.escape(new_name)
        )
        a, b = nodes.at(self.old, spot.old), nodes.at(self.new, spot.new)
        Pair(self, owner, direction).compare(a, b, spot, depth)


def schema_owner(old_name: str, new_name: str) -> Owner:
    return ("schema", f"{old_name}\0{new_name}")


def owner_label(owner: Owner) -> str:
    """How a report names the owner: the operation, or ``schema New`` (``schema Old → New``)."""
    if owner[0] != "schema":
        return owner[1]
    old_name, new_name = owner[1].split("\0")
    return f"schema {new_name}" if old_name == new_name else f"schema {old_name} → {new_name}"


class Pair:
    """Compares schemas for one owner and one direction."""

    def __init__(self, walk: Walk, owner: Owner, direction: str) -> None:
        self.walk, self.owner, self.direction = walk, owner, direction

    def emit(
        self,
        kind: str,
        spot: Spot,
        message: str,
        before: object = "",
        after: object = "",
        side: str = "new",
    ) -> None:
        pointer = spot.old if side == "old" else spot.new
        self.walk.found(
            kind,
            self.owner,
            spot.where,
            message,
            before=before,
            after=after,
            direction=self.direction,
            pointer=pointer,
            side=side,
        )

    def compare(self, a_raw: Any, b_raw: Any, spot: Spot, depth: int = 0) -> None:
        """Compare ``a_raw`` (OLD) with ``b_raw`` (NEW) at ``spot``."""
        if depth > MAX_NESTING:
            raise DiffLimitError(
                f"schemas nest more than {MAX_NESTING} levels at {spot.new or spot.old}; "
                "the diff cannot give a verdict"
            )
        if a_raw is None or b_raw is None:
            return
        ref_a, ref_b = nodes.component_of(a_raw), nodes.component_of(b_raw)
        if ref_a and ref_b and self.walk.renames.get(ref_a, ref_a) == ref_b:
            self._wrapper(a_raw, b_raw, spot)
            target = schema_owner(ref_a, ref_b)
            self.walk.users.setdefault(target, set()).add((self.owner, self.direction))
            self.walk.schema(target, self.direction, depth + 1)
            return
        a, old_ptr = nodes.flatten(self.walk.old, a_raw, spot.old, depth, MAX_NESTING)
        b, new_ptr = nodes.flatten(self.walk.new, b_raw, spot.new, depth, MAX_NESTING)
        spot = Spot(spot.where, old_ptr, new_ptr)
        if not self._scalars(a, b, spot):
            return  # the type changed: what is inside no longer lines up
        self._properties(a, b, spot, depth)
        if isinstance(a.get("items"), dict) and isinstance(b.get("items"), dict):
            self.compare(a["items"], b["items"], spot.child("[]", "items"), depth + 1)
        self._additional(a, b, spot, depth)
        for combinator in ("oneOf", "anyOf"):
            self._variants(combinator, a.get(combinator), b.get(combinator), spot, depth)

    def _wrapper(self, a: dict[str, Any], b: dict[str, Any], spot: Spot) -> None:
        """Flags a ``$ref`` wrapper carries itself (``allOf: [$ref], nullable: true``)."""
        self._nullable(nodes.nullable(a), nodes.nullable(b), spot)
        if a.get("default") != b.get("default"):
            self.emit(
                "default-changed", spot, "default changed", a.get("default"), b.get("default")
            )

    def _scalars(self, a: dict[str, Any], b: dict[str, Any], spot: Spot) -> bool:
        """Type, nullability, enum, constraints; False when the type changed (stop there)."""
        ta, tb = nodes.types(a), nodes.types(b)
        if ta and tb and ta != tb:
            kind = {
                ("integer", "number"): "type-generalized",
                ("number", "integer"): "type-specialized",
            }.get((ta, tb), "type-changed")
            self.emit(kind, spot, f"type {ta} → {tb}", ta, tb)
            return False
        self._nullable(nodes.nullable(a), nodes.nullable(b), spot)
        self._enum(a.get("enum"), b.get("enum"), spot)
        self._constraints(a, b, spot)
        if a.get("default") != b.get("default"):
            self.emit(
                "default-changed", spot, "default changed", a.get("default"), b.get("default")
            )
        if a.get("format") != b.get("format"):
            before, after = a.get("format") or "", b.get("format") or ""
            self.emit("format-changed", spot, "format changed", before, after)
        return True

    def _nullable(self, na: bool, nb: bool, spot: Spot) -> None:
        if na != nb:
            message = "may now be null" if nb else "may no longer be null"
            self.emit("nullable-added" if nb else "nullable-removed", spot, message, na, nb)

    def _enum(self, ea: Any, eb: Any, spot: Spot) -> None:
        if isinstance(ea, list) and isinstance(eb, list):
            for value in [v for v in ea if v not in eb]:
                self.emit("enum-value-removed", spot, f"enum value {_quoted(value)} removed", value)
            for value in [v for v in eb if v not in ea]:
                self.emit("enum-value-added", spot, f"enum value {_quoted(value)} added", "", value)
        elif isinstance(eb, list) and not isinstance(ea, list):
            self.emit("enum-added", spot, "values now restricted to an enum", "", eb)
        elif isinstance(ea, list) and not isinstance(eb, list):
            self.emit("enum-removed", spot, "enum restriction lifted", ea, "")

    def _constraints(self, a: dict[str, Any], b: dict[str, Any], spot: Spot) -> None:
        for key in _TIGHTER_IF_HIGHER + _TIGHTER_IF_LOWER:
            va, vb = a.get(key), b.get(key)
            if va == vb or not (nodes.number_or_none(va) and nodes.number_or_none(vb)):
                continue
            if va is None or vb is None:
                tighter = vb is not None
            else:
                tighter = vb > va if key in _TIGHTER_IF_HIGHER else vb < va
            kind, verb = (
                ("constraint-tightened", "tightened")
                if tighter
                else ("constraint-relaxed", "relaxed")
            )
            self.emit(kind, spot, f"{key} {verb}", f"{key}={show(va)}", f"{key}={show(vb)}")
        pa, pb = a.get("pattern"), b.get("pattern")
        if pa != pb:
            kind, message = (
                ("pattern-removed", "pattern removed")
                if pb is None
                else ("pattern-changed", "pattern set or changed")
            )
            self.emit(kind, spot, message, pa or "", pb or "")
        for key in _OPAQUE:  # no order to reason about: a new one tightens, a dropped one relaxes
            va, vb = a.get(key), b.get(key)
            if va != vb:
                kind = "constraint-relaxed" if vb is None else "constraint-tightened"
                self.emit(kind, spot, f"{key} changed", f"{key}={show(va)}", f"{key}={show(vb)}")

    def _properties(self, a: dict[str, Any], b: dict[str, Any], spot: Spot, depth: int) -> None:
        pa, ra = self._in_play(a)
        pb, rb = self._in_play(b)
        for name in sorted(pa.keys() - pb.keys()):
            kind = "required-property-removed" if name in ra else "property-removed"
            message = f"property removed{self._note(b, name)}"
            self.emit(kind, spot.child(f".{name}", "properties", name), message, name, "", "old")
        for name in sorted(pb.keys() - pa.keys()):
            kind = "property-added-required" if name in rb else "property-added"
            words = "new required property" if name in rb else "new optional property"
            message = f"{words}{self._note(a, name)}"
            self.emit(kind, spot.child(f".{name}", "properties", name), message, "", name)
        for name in sorted(pa.keys() & pb.keys()):
            here = spot.child(f".{name}", "properties", name)
            if (name in ra) != (name in rb):
                now = name in rb
                kind = "property-became-required" if now else "property-became-optional"
                message = "now required" if now else "now optional (may be missing)"
                states = ("optional", "required") if now else ("required", "optional")
                self.emit(kind, here, message, *states)
            self.compare(pa[name], pb[name], here, depth + 1)

    def _in_play(self, node: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """Properties (and required names) that exist in this direction."""
        hidden = "readOnly" if self.direction == REQUEST else "writeOnly"
        props = {
            str(k): v
            for k, v in (node.get("properties") or {}).items()
            if not (isinstance(v, dict) and nodes.flag(v, hidden))
        }
        return props, {str(r) for r in node.get("required") or []} & props.keys()

    def _note(self, other: dict[str, Any], name: str) -> str:
        """Why a property appears or vanishes in this direction while both sides have it."""
        prop = (other.get("properties") or {}).get(name)
        if not isinstance(prop, dict):
            return ""
        if self.direction == REQUEST and nodes.flag(prop, "readOnly"):
            return " from requests (it is read-only on the other side)"
        if self.direction != REQUEST and nodes.flag(prop, "writeOnly"):
            return " from responses (it is write-only on the other side)"
        return ""

    def _additional(self, a: dict[str, Any], b: dict[str, Any], spot: Spot, depth: int) -> None:
        extra_a, extra_b = a.get("additionalProperties"), b.get("additionalProperties")
        if isinstance(extra_a, dict) and isinstance(extra_b, dict):
            self.compare(extra_a, extra_b, spot.child("{*}", "additionalProperties"), depth + 1)
        elif extra_a is not None and extra_b is not None and bool(extra_a) != bool(extra_b):
            kind = "additional-properties-widened" if extra_b else "additional-properties-narrowed"
            self.emit(kind, spot, "additionalProperties changed", bool(extra_a), bool(extra_b))

    def _variants(self, combinator: str, a: Any, b: Any, spot: Spot, depth: int) -> None:
        if not isinstance(a, list) or not isinstance(b, list):
            return
        if len(a) == len(b):
            for index, (va, vb) in enumerate(zip(a, b, strict=True)):
                here = spot.child(f"<{combinator}[{index}]>", combinator, index)
                self.compare(va, vb, here, depth + 1)
            return
        kind = "variants-added" if len(b) > len(a) else "variants-removed"
        self.emit(kind, spot, f"{combinator} alternatives {len(a)} → {len(b)}", len(a), len(b))


def _quoted(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
