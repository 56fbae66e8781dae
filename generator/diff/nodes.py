"""Reading one OpenAPI document: ``$ref``s, ``allOf`` merges, component names, flags, value text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..build.admit import resolve_pointer

SCHEMA_PREFIX = "#/components/schemas/"
# Keys that describe a schema: a $ref wrapper carrying only these still stands for its target.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "externalDocs", "xml"}
)
_WRAPPER_FLAGS = frozenset({"nullable", "readOnly", "writeOnly", "default"})
_PLAIN = _ANNOTATIONS | _WRAPPER_FLAGS | {"$ref", "allOf"}


class DiffLimitError(Exception):
    """The comparison reached a safety limit; no verdict is possible (exit 2, never "no changes")."""


def component_of(node: Any) -> str:
    """The component schema ``node`` stands for (a $ref, or an ``allOf: [$ref]`` wrapper), or ""."""
    if not isinstance(node, dict):
        return ""
    if any(k not in _PLAIN and not str(k).startswith("x-") for k in node):
        return ""  # the node adds structure of its own (properties, items, ...)
    members = node.get("allOf")
    if "$ref" in node and members is None:
        target = node["$ref"]
    elif isinstance(members, list) and len(members) == 1 and "$ref" not in node:
        inner = members[0]
        if not isinstance(inner, dict) or set(inner) - _ANNOTATIONS != {"$ref"}:
            return ""
        target = inner["$ref"]
    else:
        return ""
    if not isinstance(target, str) or not target.startswith(SCHEMA_PREFIX):
        return ""
    name = target[len(SCHEMA_PREFIX) :]
    return "" if "/" in name else unescape(name)


def deref(data: dict[str, Any], node: Any, pointer: str = "") -> tuple[Any, str]:
    """Follow local ``$ref``s to a node (a loop or a dangling ref reads as empty) and its pointer."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#"):
            return {}, pointer
        seen.add(ref)
        try:
            node, pointer = resolve_pointer(data, ref), ref
        except KeyError:
            return {}, pointer
    return node, pointer


def at(data: dict[str, Any], pointer: str) -> Any:
    try:
        return resolve_pointer(data, pointer)
    except KeyError:
        return None


def flatten(
    data: dict[str, Any], node: Any, pointer: str, depth: int, limit: int
) -> tuple[dict[str, Any], str]:
    """Resolve ``$ref`` and merge ``allOf`` members, so ``allOf: [$ref: X]`` compares like X."""
    return _flatten(data, node, pointer, depth, limit, frozenset())


def _flatten(
    data: dict[str, Any], node: Any, pointer: str, depth: int, limit: int, active: frozenset[str]
) -> tuple[dict[str, Any], str]:
    if depth > limit:
        raise DiffLimitError(
            f"allOf chains nest more than {limit} levels at {pointer}; the diff cannot give a verdict"
        )
    node, pointer = deref(data, node, pointer)
    if not isinstance(node, dict):
        return {}, pointer
    merged = {k: v for k, v in node.items() if k != "allOf"}
    members = node.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else []):
        ref = member.get("$ref") if isinstance(member, dict) else None
        if isinstance(ref, str) and ref in active:
            continue  # allOf through itself: the cycle adds nothing new
        inner = active | {ref} if isinstance(ref, str) else active
        part, _ = _flatten(data, member, f"{pointer}/allOf/{index}", depth + 1, limit, inner)
        properties = {**(part.get("properties") or {}), **(merged.get("properties") or {})}
        required = {*(merged.get("required") or []), *(part.get("required") or [])}
        for key, value in part.items():
            merged.setdefault(key, value)
        merged.pop("properties", None)
        merged.pop("required", None)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = sorted(required, key=str)
    return merged, pointer


def flag(node: dict[str, Any], name: str) -> bool:
    """``readOnly``/``writeOnly`` on a property, also when it sits on an ``allOf`` member."""
    if node.get(name) is True:
        return True
    members = node.get("allOf")
    return isinstance(members, list) and any(
        isinstance(m, dict) and m.get(name) is True for m in members
    )


def types(node: dict[str, Any]) -> str:
    value = node.get("type")
    names = [value] if isinstance(value, str) else [t for t in value or [] if isinstance(t, str)]
    return ",".join(sorted(t for t in names if t != "null"))


def nullable(node: dict[str, Any]) -> bool:
    value = node.get("type")
    return bool(node.get("nullable")) or (isinstance(value, list) and "null" in value)


def number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def show(value: object) -> str:
    """A value as report text: strings as they are, everything else as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(show(v) for v in value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def refs_in(node: Any) -> Iterator[str]:
    """Every component schema ``node`` refers to directly (not through other components)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            name = component_of(current)
            if name:
                yield name
                continue
            stack.extend(v for k, v in current.items() if k not in ("example", "examples"))
        elif isinstance(current, list):
            stack.extend(current)


def escape(part: str) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return part.replace("~", "~0").replace("/", "~1")


def unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")
