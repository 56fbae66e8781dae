"""Rename pairing by evidence: a name is renamed only where the same places now use the new name.

A *position* is a place that refers to named types: an operation's request body, its 200 response,
a parameter, a schema's property, a method argument, a model field. Each side maps positions to the
names they refer to. A removed name OLD is paired with an added name NEW when

- OLD was referenced at one or more positions that still exist, and NEW is referenced at every one
  of them (and OLD no longer is), and
- NEW is referenced nowhere OLD was not.

Anything less is a removal plus an addition. Lookalike shapes are not evidence: two schemas with the
same fields used by different operations are different schemas. Positions inside a renamed
container (``Shipping.addons`` when ``Shipping`` became ``Delivery``) count after the container is
paired, so renames are found level by level until nothing new is paired.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .nodes import refs_in

Position = tuple[
    str, str
]  # (container, slot): ("POST /orders", "request body"), ("Shipping", ".addons")
Positions = Mapping[Position, frozenset[str]]


def pair(removed: set[str], added: set[str], old: Positions, new: Positions) -> dict[str, str]:
    """``{old name: new name}`` for every rename the positions prove."""
    renames: dict[str, str] = {}
    while True:
        found = _round(
            removed - renames.keys(), added - set(renames.values()), _moved(old, renames), new
        )
        if not found:
            return renames
        renames.update(found)


def _moved(old: Positions, renames: Mapping[str, str]) -> dict[Position, frozenset[str]]:
    """Old positions with renamed containers under their new names (and renamed targets too)."""
    return {
        (renames.get(container, container), slot): frozenset(renames.get(n, n) for n in names)
        for (container, slot), names in old.items()
    }


def _round(removed: set[str], added: set[str], old: Positions, new: Positions) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in sorted(removed):
        held = [pos for pos, names in old.items() if name in names and pos in new]
        if not held:
            continue
        candidates = set.intersection(*(set(new[pos]) & added for pos in held))
        candidates = {c for c in candidates if all(name not in new[pos] for pos in held)}
        if len(candidates) != 1:
            continue
        (target,) = candidates
        # A position that is new in NEW (a new operation) may use the new name freely.
        elsewhere = [
            p for p, names in new.items() if target in names and p in old and p not in held
        ]
        if elsewhere or target in found.values():
            continue
        found[name] = target
    return found


def schema_renames(
    old: dict[str, Any],
    new: dict[str, Any],
    matched: list[tuple[str, dict[str, Any], dict[str, Any]]],
) -> dict[str, str]:
    """Component schema renames, from the operations both sides share.

    ``matched`` holds, per operation present on both sides, its (new) label and each side's slots:
    ``{"request body application/json": schema, "parameter ('query', 'status')": schema, ...}``.
    Properties of same-named (or already paired) schemas are positions too.
    """
    old_names, new_names = set(_schemas(old)), set(_schemas(new))
    removed, added = old_names - new_names, new_names - old_names
    if not removed or not added:
        return {}
    old_pos: dict[Position, frozenset[str]] = {}
    new_pos: dict[Position, frozenset[str]] = {}
    for label, old_slots, new_slots in matched:
        for slots, out in ((old_slots, old_pos), (new_slots, new_pos)):
            for slot, node in slots.items():
                names = frozenset(refs_in(node))
                if names:
                    out[(label, slot)] = names
    for data, out in ((old, old_pos), (new, new_pos)):
        for name, schema in _schemas(data).items():
            for slot, node in _schema_slots(schema):
                names = frozenset(refs_in(node))
                if names:
                    out[(name, slot)] = names
    return pair(removed, added, old_pos, new_pos)


def _schemas(data: dict[str, Any]) -> dict[str, Any]:
    schemas = (data.get("components") or {}).get("schemas") or {}
    return {str(k): v for k, v in schemas.items()} if isinstance(schemas, dict) else {}


def _schema_slots(schema: Any) -> list[tuple[str, Any]]:
    if not isinstance(schema, dict):
        return []
    properties = schema.get("properties")
    slots = (
        [(f".{p}", node) for p, node in properties.items()] if isinstance(properties, dict) else []
    )
    return slots + [
        (key, schema.get(key))
        for key in ("items", "additionalProperties", "allOf", "oneOf", "anyOf")
    ]
