"""Paths of surface entries: ``OrderClient.get_order(order_id)``, ``models.Order.id``, ``Environment``."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .surface import Surface

IDENT = re.compile(r"[A-Za-z_][\w.]*")
_PARAM = re.compile(r"^(?P<function>[^()]+)\((?P<name>\w+)\)$")
ANNOTATION_FACETS = ("annotation", "returns", "type")


def param(path: str) -> tuple[str, str] | None:
    """``Owner.method(name)`` -> (``Owner.method``, ``name``); None for any other entry."""
    found = _PARAM.match(path)
    return (found.group("function"), found.group("name")) if found else None


def split(path: str) -> tuple[str, str]:
    """``models.Shipping.addons`` -> (``models.Shipping``, ``.addons``); a parameter -> (function, ``(name)``)."""
    found = param(path)
    if found:
        return found[0], f"({found[1]})"
    owner, _, member = path.rpartition(".")
    return owner, f".{member}"


def parent(path: str) -> str:
    return split(path)[0]


def member(path: str) -> str:
    return path.rpartition(".")[2]


def variable(owner: str) -> str:
    """How example code names an instance: ``HookResponse`` -> ``hook_response``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", member(owner)).lower() or "obj"


def classes(surface: Surface) -> set[str]:
    return {p for p, f in surface.items() if f["kind"] in ("class", "enum")}


def name_index(paths: Iterable[str]) -> dict[str, str]:
    """Qualified and (unique) short names -> class path: ``Addon``, ``models.Addon`` -> ``models.Addon``."""
    index: dict[str, str] = {}
    short: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        index[path] = path
        short[member(path)].append(path)
    for name, found in short.items():
        if len(found) == 1:
            index.setdefault(name, found[0])
    return index


def referenced(text: str, index: dict[str, str]) -> set[str]:
    """Classes an annotation names."""
    return {index[token] for token in IDENT.findall(text) if token in index}
