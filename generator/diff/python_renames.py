"""Renames in the generated package, applied before comparing so a rename is one row, not two.

Methods: the same HTTP operation (method and path, or operationId) under a new Python name, as
the IR of each side says. Classes: by evidence (``renames.pair``): the arguments, return values and
fields that named the old class now name the new one, and nothing else does.
"""

from __future__ import annotations

import re

from . import paths, renames
from .sides import Side
from .surface import Surface

_PATH_PARAM = re.compile(r"\{[^}]*\}")


def method_renames(old: Side, new: Side) -> dict[str, str]:
    """``{old python name: new python name}`` of operations that kept their HTTP identity."""

    def key(label: str) -> str:
        method, _, path = label.partition(" ")
        return f"{method} {_PATH_PARAM.sub('{}', path)}"

    new_by_key = {key(op.label): op for op in new.operations}
    new_by_id = {op.operation_id: op for op in new.operations if op.operation_id}
    new_names = {op.python_name for op in new.operations}
    old_names = {op.python_name for op in old.operations}
    found: dict[str, str] = {}
    for op in old.operations:
        twin = new_by_key.get(key(op.label)) or new_by_id.get(op.operation_id)
        if twin is None or twin.python_name == op.python_name:
            continue
        if op.python_name not in new_names and twin.python_name not in old_names:
            found[op.python_name] = twin.python_name
    return found


def rename_methods(surface: Surface, names: dict[str, str]) -> Surface:
    """Method and function entries (and their parameters) under their new names."""
    if not names:
        return surface
    out: Surface = {}
    for path, facets in surface.items():
        if facets["kind"] in ("method", "function", "parameter"):
            found = paths.param(path)
            head = found[0] if found else path
            owner, _, name = head.rpartition(".")
            if name in names:
                head = f"{owner}.{names[name]}" if owner else names[name]
                path = f"{head}({found[1]})" if found else head
        out[path] = facets
    return out


def class_renames(a: Surface, b: Surface) -> dict[str, str]:
    """``{old class path: new class path}`` proven by the places that name them."""
    old_classes, new_classes = paths.classes(a), paths.classes(b)
    removed, added = old_classes - new_classes, new_classes - old_classes
    if not removed or not added:
        return {}
    return renames.pair(removed, added, _positions(a, old_classes), _positions(b, new_classes))


def _positions(surface: Surface, classes: set[str]) -> dict[renames.Position, frozenset[str]]:
    """(owner, slot) -> classes named there: arguments, return values, fields."""
    index = paths.name_index(classes)
    out: dict[renames.Position, frozenset[str]] = {}
    for path, facets in surface.items():
        for facet in paths.ANNOTATION_FACETS:
            names = frozenset(paths.referenced(facets.get(facet, ""), index))
            if names:
                owner, slot = paths.split(path)
                out[(owner, f"{slot}#{facet}")] = names
    return out


def rename_classes(surface: Surface, names: dict[str, str]) -> Surface:
    """Old paths and annotations under the new class names, so only real differences remain."""
    if not names:
        return surface
    short = {paths.member(old): paths.member(new) for old, new in names.items()}

    def swap(token: str) -> str:
        if token in names:
            return names[token]
        head, _, last = token.rpartition(".")
        if last in short and (not head or f"{head}.{last}" in names):
            return f"{head}.{short[last]}" if head else short[last]
        return token

    out: Surface = {}
    for path, facets in surface.items():
        owner = next((o for o in names if path == o or path.startswith((o + ".", o + "("))), None)
        if owner is not None:
            path = names[owner] + path[len(owner) :]
        out[path] = {
            k: paths.IDENT.sub(lambda m: swap(m.group(0)), v) if k in paths.ANNOTATION_FACETS else v
            for k, v in facets.items()
        }
    return out
