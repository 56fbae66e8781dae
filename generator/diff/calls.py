"""Example code for the report: the smallest call (or use) of a public name under one build.

``client.get_checkout_order(order_id)``, ``OrderClient(api_key=..., merchant=...)``,
``models.Consent(id=..., text=...)``: required arguments only, so the old call and the new call
side by side show exactly what a caller has to add, drop or rename.
"""

from __future__ import annotations

from . import paths
from .surface import Facets, Surface


def call(path: str, surface: Surface, client: str, extra: str = "") -> str:
    """A minimal call of ``path`` in ``surface`` (required arguments, plus ``extra`` if named)."""
    facets = surface.get(path)
    if facets is None:
        return ""
    if facets["kind"] in ("class", "enum"):
        if f"{path}.__init__" in surface:
            return call(f"{path}.__init__", surface, client, extra)
        fields = [
            paths.member(p)
            for p, f in surface.items()
            if f["kind"] == "field"
            and paths.parent(p) == path
            and (f["required"] == "yes" or paths.member(p) == extra)
        ]
        return f"{path}({', '.join(f'{name}=...' for name in fields)})"
    args = [
        name if param["position"] else f"{name}=..."
        for name, param in parameters(path, surface)
        if param["required"] == "yes" or name == extra
    ]
    owner, _, name = path.rpartition(".")
    if name == "__init__":
        return f"{owner}({', '.join(args)})"
    if owner == client:
        prefix = "client"
    elif owner and paths.member(owner)[:1].isupper():
        prefix = paths.variable(owner)
    else:
        prefix = owner
    return f"{prefix}.{name}({', '.join(args)})" if prefix else f"{name}({', '.join(args)})"


def parameters(function: str, surface: Surface) -> list[tuple[str, Facets]]:
    """A function's parameters, positional ones first in order."""
    prefix = function + "("
    found = [
        (p[len(prefix) : -1], f)
        for p, f in surface.items()
        if p.startswith(prefix) and f["kind"] == "parameter"
    ]
    return sorted(
        found, key=lambda item: (item[1]["position"] == "", int(item[1]["position"] or 0))
    )


def param_text(path: str, facets: Facets) -> str:
    """``name: annotation = default``."""
    found = paths.param(path)
    name = found[1] if found else path
    text = f"{name}: {facets['annotation']}" if facets["annotation"] else name
    return text + (f" = {facets['default']}" if facets["default"] else "")


def field_text(path: str, facets: Facets) -> str:
    text = f"{paths.member(path)}: {facets['type']}"
    return text + (f" = {facets['default']}" if facets["default"] else "")


def facet_text(facets: Facets) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(facets.items()) if k != "kind" and v)


def usage(path: str) -> str:
    """How code reads a field: ``models.Logistics.weight`` -> ``logistics.weight``."""
    return f"{paths.variable(paths.parent(path))}.{paths.member(path)}"
