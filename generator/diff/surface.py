"""The public surface of a generated package, as griffe sees it: every public name and its facets.

Nothing is chosen by hand: every module is walked (private modules too, since ``_client`` is where
``OrderClient`` lives), and every non-underscore member becomes an entry keyed by the path a user
reaches it by (``OrderClient.get_checkout_order(order_id)``, ``models.Order.id``). Each entry is a
flat ``{facet: text}`` dict: a function's return type, a parameter's kind, position, annotation and
default, a field's type, alias, constraints, default and required-ness, an enum member's value, a
constant's value, a ``Literal`` alias's values. Comparing two surfaces facet by facet can then not
miss a difference by construction; ``python_api`` only decides what each difference means.

An attribute that wraps another object's method (``self.get_order = to_raw_response(client.get_order)``
in ``OrderClientWithRawResponse.__init__``) is listed as the method it wraps, with that method's
parameters: it is recognised by what it wraps (a method of the class ``__init__`` is given), so a
user's ``client.with_raw_response.get_order(...)`` is compared like any method.

Field metadata that is prose or sample data (``examples``, ``description``, ``title``) is left out,
so an example edited in the spec changes no facet and no fingerprint.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import griffe

Facets = dict[str, str]
Surface = dict[str, Facets]

_PROSE_KEYWORDS = frozenset({"examples", "example", "description", "title", "json_schema_extra"})
_DEFAULT_KEYWORDS = frozenset({"default", "default_factory"})


def extract(files: Mapping[str, bytes], package: str) -> Surface:
    """Load the package in ``files`` (relative path -> bytes) statically and list its surface."""
    with tempfile.TemporaryDirectory(prefix="norce-diff-") as tmp:
        for relpath, data in files.items():
            if relpath.startswith(f"{package}/") and relpath.endswith(".py"):
                target = Path(tmp, relpath)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        root = griffe.load(
            package,
            search_paths=[tmp],
            allow_inspection=False,
            resolve_aliases=False,
            try_relative_path=False,
        )
        surface: Surface = {}
        _module(root, surface)
        _resolve_wrappers(surface)
        exports = root.members.get("__all__")
        if isinstance(exports, griffe.Attribute):
            surface["__all__"] = {"kind": "exports", "names": _json(_strings(exports.value))}
        return surface


def _public_prefix(module: Any) -> str:
    """``pkg._client`` -> ``""``; ``pkg.models`` -> ``"models."``: private modules vanish."""
    parts = [p for p in module.path.split(".")[1:] if not p.startswith("_")]
    return "".join(f"{p}." for p in parts)


def _module(module: Any, surface: Surface) -> None:
    prefix = _public_prefix(module)
    for name, member in sorted(module.members.items()):
        if member.is_alias:
            continue  # an import: the object is listed where it is defined
        if member.is_module:
            _module(member, surface)
        elif not name.startswith("_"):
            _object(f"{prefix}{name}", member, surface, owner_is_class=False)


def _object(path: str, obj: Any, surface: Surface, owner_is_class: bool) -> None:
    if path in surface:
        return  # two private modules defining one public name: keep the first (sorted) one
    if obj.is_class:
        _class(path, obj, surface)
    elif obj.is_function:
        _function(path, obj, surface, method=owner_is_class)
    elif obj.is_attribute:
        surface[path] = _attribute(obj, owner_is_class)


def _class(path: str, cls: Any, surface: Surface) -> None:
    bases = [str(base) for base in cls.bases]
    enum = any("Enum" in base for base in bases)
    surface[path] = {"kind": "enum" if enum else "class", "bases": ", ".join(bases)}
    for name, member in sorted(cls.members.items()):
        if member.is_alias or (name.startswith("_") and name != "__init__"):
            continue
        if enum and member.is_attribute and member.annotation is None:
            surface[f"{path}.{name}"] = {"kind": "member", "value": str(member.value)}
        elif (wraps := _wrapped_method(cls, member)) is not None:
            surface[f"{path}.{name}"] = {"kind": "wrapper", "wraps": wraps[0], "by": wraps[1]}
        else:
            _object(f"{path}.{name}", member, surface, owner_is_class=True)


def _function(path: str, function: Any, surface: Surface, method: bool) -> None:
    labels = function.labels
    surface[path] = {
        "kind": "method" if method else "function",
        "returns": _text(function.returns),
        "async": "yes" if "async" in labels else "",
    }
    position = 0
    for index, param in enumerate(function.parameters):
        if method and index == 0 and param.name in ("self", "cls"):
            continue
        kind = param.kind.value
        positional = kind in ("positional-only", "positional or keyword")
        surface[f"{path}({param.name})"] = {
            "kind": "parameter",
            "param_kind": kind,
            "position": str(position) if positional else "",
            "annotation": _text(param.annotation),
            "default": _text(param.default),
            "required": "" if param.default is not None or kind.startswith("variadic") else "yes",
        }
        position += positional


def _attribute(attr: Any, in_class: bool) -> Facets:
    if "property" in attr.labels:
        return {"kind": "property", "type": _text(attr.annotation)}
    if attr.annotation is None:
        literal = _literal(attr.value)
        if literal is not None:
            return {"kind": "literal", "values": _json(literal)}
        return {"kind": "class-attribute" if in_class else "attribute", "value": _text(attr.value)}
    kind, metadata = _split_annotated(attr.annotation)
    default, required, value_metadata = _default(attr.value)
    metadata.update(value_metadata)
    alias = metadata.pop("alias", "")
    facets = {
        "kind": "field" if in_class else "attribute",
        "type": kind,
        "alias": alias,
        "constraints": ", ".join(f"{k}={v}" for k, v in sorted(metadata.items())),
        "default": default,
        "required": "yes" if required else "",
    }
    literal = _literal(attr.value)
    if literal is not None and not in_class:  # ``Environment: TypeAlias = Literal[...]``
        return {"kind": "literal", "values": _json(literal)}
    return facets


def _wrapped_method(cls: Any, member: Any) -> tuple[str, str] | None:
    """(``Class.method``, wrapper) when ``member`` is ``wrapper(arg.method)`` and ``arg: Class`` is
    an ``__init__`` parameter; None for any other member."""
    value = getattr(member, "value", None)
    if not (member.is_attribute and isinstance(value, griffe.ExprCall)):
        return None
    if len(value.arguments) != 1 or not isinstance(value.arguments[0], griffe.ExprAttribute):
        return None
    names = [str(part) for part in value.arguments[0].values]
    init = cls.members.get("__init__")
    if len(names) != 2 or init is None or not init.is_function:
        return None
    owner = next((p.annotation for p in init.parameters if p.name == names[0]), None)
    if not isinstance(owner, griffe.ExprName):
        return None
    return f"{owner.name}.{names[1]}", str(value.function)


def _resolve_wrappers(surface: Surface) -> None:
    """Each wrapper entry becomes a copy of the method it wraps (and its parameters).

    A wrapper whose target is not a listed method stays a plain class attribute with its value.
    """
    classes = {p.rpartition(".")[2]: p for p, f in surface.items() if f["kind"] == "class"}
    for path, facets in [(p, f) for p, f in surface.items() if f["kind"] == "wrapper"]:
        owner, _, method = facets["wraps"].rpartition(".")
        target = f"{classes.get(owner, owner)}.{method}"
        wrapped = surface.get(target)
        if wrapped is None or wrapped["kind"] != "method":
            surface[path] = {
                "kind": "class-attribute",
                "value": f"{facets['by']}({facets['wraps']})",
            }
            continue
        # The wrapped method's own name only where it differs, so a method rename stays one fact.
        same = method == path.rpartition(".")[2]
        wraps = f"{facets['by']}({target.rpartition('.')[0] if same else target})"
        surface[path] = {**wrapped, "wraps": wraps}
        for entry, param in [(e, f) for e, f in surface.items() if e.startswith(target + "(")]:
            surface[path + entry[len(target) :]] = dict(param)


def _split_annotated(annotation: Any) -> tuple[str, dict[str, str]]:
    """``Annotated[T, Field(alias=..., max_length=...)]`` -> ("T", {"alias": ..., ...})."""
    if not (
        isinstance(annotation, griffe.ExprSubscript)
        and str(annotation.left) == "Annotated"
        and isinstance(annotation.slice, griffe.ExprTuple)
        and annotation.slice.elements
    ):
        return _text(annotation), {}
    first, *rest = annotation.slice.elements
    metadata: dict[str, str] = {}
    for index, extra in enumerate(rest):
        if _is_field_call(extra):
            metadata.update(_keywords(extra))
        else:
            metadata[f"metadata{index}"] = _text(extra)
    return _text(first), metadata


def _default(value: Any) -> tuple[str, bool, dict[str, str]]:
    """(default text, required?, Field keywords) of an annotated attribute's value."""
    if value is None or _text(value) == "...":
        return "", True, {}
    if not _is_field_call(value):
        return _text(value), False, {}
    keywords = _keywords(value)
    positional = [a for a in value.arguments if not isinstance(a, griffe.ExprKeyword)]
    default = keywords.pop("default", _text(positional[0]) if positional else "")
    factory = keywords.pop("default_factory", "")
    if factory:
        return f"{factory}()", False, keywords
    return default, default in ("", "..."), keywords


def _is_field_call(expr: Any) -> bool:
    return isinstance(expr, griffe.ExprCall) and str(expr.function).split(".")[-1] == "Field"


def _keywords(call: Any) -> dict[str, str]:
    found = {}
    for argument in call.arguments:
        if isinstance(argument, griffe.ExprKeyword) and argument.name not in _PROSE_KEYWORDS:
            found[argument.name] = _text(argument.value)
    return found


def _literal(value: Any) -> list[str] | None:
    """The values of ``Literal[...]``, or None if ``value`` is something else."""
    if not (isinstance(value, griffe.ExprSubscript) and str(value.left).endswith("Literal")):
        return None
    inner = value.slice
    elements = inner.elements if isinstance(inner, griffe.ExprTuple) else [inner]
    return [_text(e) for e in elements]


def _strings(value: Any) -> list[str]:
    elements = getattr(value, "elements", None) or []
    return sorted(_text(e).strip("'\"") for e in elements)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def literal_values(facets: Facets) -> list[str]:
    """The values a ``literal`` entry lists (the JSON its ``values`` facet holds)."""
    values = json.loads(facets.get("values") or "[]")
    return [str(v) for v in values]
