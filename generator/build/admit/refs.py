"""References that lead somewhere: local, resolvable, no ``$ref`` loops, bounded ``allOf`` chains.

Each check visits every reference and every schema once (memoised), so its cost is linear in the
size of the document whatever the spec does.
"""

from __future__ import annotations

from typing import Any

from ...diagnostics import Diagnostic, json_pointer
from .policy import MAX_ALLOF_DEPTH
from .walk import Path

_ACTIVE, _DONE = 1, 2


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Return the node at a local ``#/...`` pointer; KeyError if it does not exist."""
    node = data
    for raw in pointer[2:].split("/") if pointer != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(pointer)
    return node


def _local_target(data: Any, ref: object) -> Any:
    """The node a local, resolvable ``$ref`` names; None otherwise."""
    if not (isinstance(ref, str) and ref.startswith("#")):
        return None
    try:
        return resolve_pointer(data, ref)
    except KeyError:
        return None


def check_refs(data: Any, refs: list[tuple[Path, Any]], file: str) -> list[Diagnostic]:
    """Every ``$ref`` is a local pointer that resolves, and no chain of them loops."""
    problems: list[Diagnostic] = []
    for where, ref in refs:
        if not isinstance(ref, str):
            problems.append(Diagnostic(file, json_pointer(where), "$ref must be a string"))
        elif not ref.startswith("#"):
            problems.append(
                Diagnostic(
                    file,
                    json_pointer(where),
                    f"$ref {ref!r} points outside this file; only local refs ('#/...') are followed",
                )
            )
        elif _local_target(data, ref) is None:
            problems.append(
                Diagnostic(
                    file, json_pointer(where), f"$ref {ref!r} does not resolve (dangling reference)"
                )
            )
    if problems:
        return problems
    state: dict[str, int] = {}
    for where, ref in refs:
        chain: list[str] = []
        pointer: str = ref
        while True:
            seen = state.get(pointer)
            if seen == _ACTIVE:
                loop = chain[chain.index(pointer) :] + [pointer]
                problems.append(
                    Diagnostic(
                        file,
                        json_pointer(where),
                        f"$ref loop {' -> '.join(loop)} never reaches a definition",
                    )
                )
            if seen is not None:
                break
            state[pointer] = _ACTIVE
            chain.append(pointer)
            node = _local_target(data, pointer)
            following = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(following, str) or _local_target(data, following) is None:
                break
            pointer = following
        for visited in chain:
            state[visited] = _DONE
    return problems


def check_compositions(
    data: Any, compositions: list[tuple[Path, dict[str, Any]]], file: str
) -> list[Diagnostic]:
    """``allOf`` inheritance has no cycle and is at most MAX_ALLOF_DEPTH levels deep.

    Depth counts ``allOf`` levels, following ``$ref``; a longest-path search over the schemas,
    each visited once.
    """
    depth: dict[int, int] = {}
    cyclic: set[int] = set()
    problems: list[Diagnostic] = []
    too_deep: list[tuple[Path, int]] = []
    for where, root in compositions:
        if id(root) in cyclic:
            continue  # reported with the schema that closed the cycle
        if id(root) not in depth:
            cycle = _measure(data, root, depth)
            if cycle:
                cyclic |= cycle
                problems.append(
                    Diagnostic(
                        file,
                        json_pointer(where),
                        "allOf cycle: this schema inherits from itself through $ref",
                    )
                )
                continue
        if depth[id(root)] > MAX_ALLOF_DEPTH:
            too_deep.append((where, depth[id(root)]))
    if too_deep:
        where, levels = max(too_deep, key=lambda item: item[1])
        others = f" ({len(too_deep) - 1} more schemas are over it too)" if len(too_deep) > 1 else ""
        problems.append(
            Diagnostic(
                file,
                json_pointer(where),
                f"allOf chain {levels} levels deep, over the limit of {MAX_ALLOF_DEPTH}{others}: "
                "model generation time grows with the cube of the depth; flatten the inheritance",
            )
        )
    return problems


def _parts(data: Any, node: dict[str, Any]) -> list[dict[str, Any]]:
    """What a schema inherits from: its ``$ref`` target and its ``allOf`` members."""
    parts: list[Any] = [_local_target(data, node.get("$ref"))]
    members = node.get("allOf")
    if isinstance(members, list):
        parts += members
    return [part for part in parts if isinstance(part, dict)]


def _measure(data: Any, root: dict[str, Any], depth: dict[int, int]) -> set[int]:
    """Fill ``depth`` for ``root`` and what it inherits from; if it inherits from itself, return
    the schemas on that path instead."""
    active = {id(root)}
    stack = [(root, iter(_parts(data, root)))]
    while stack:
        node, pending = stack[-1]
        child = next(pending, None)
        if child is not None:
            if id(child) in active:
                return active
            if id(child) not in depth:
                active.add(id(child))
                stack.append((child, iter(_parts(data, child))))
            continue
        stack.pop()
        active.discard(id(node))
        own = 1 if isinstance(node.get("allOf"), list) else 0
        depth[id(node)] = own + max((depth[id(p)] for p in _parts(data, node)), default=0)
    return set()
