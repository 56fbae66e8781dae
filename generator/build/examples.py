"""Runnable examples for the operation pages, written the way the README teaches the client.

Every example runs against a loopback server and passes ``mypy --strict`` as written
(``tests/build/test_docs_examples.py``). The values are the spec's own ``example``s:

- **Path parameters** (the one rule for ids): the parameter's ``example`` (or its first
  ``examples`` value, or its schema's ``example``); without one, a placeholder in the spec's id
  style, a prefix, ``_`` and a value: the initials of the name before its ``id`` and ``123``
  (``order_id`` -> ``"o_123"``, as in the README; ``payment_action_id`` -> ``"pa_123"``); a
  string of a known format (uuid, date, ...) is a valid value of it instead. Other required
  parameters take their example, else their first enum value or a value of their type.
- **Bodies** are built with the model's constructor and Python names
  (``models.Address(given_name="Rosalinainho", ...)``), nested models constructed too, enum values
  as members (``models.CustomerType.person``; matched case-insensitively, so the spec's
  ``"Person"`` finds it), date-times as ``datetime`` objects, UUIDs as ``uuid.UUID``. Read-only fields are left out
  (a request refuses them). A required field the spec gives no example for gets a placeholder of
  its type. An optional value no type of its field can spell is left out; where a required one
  cannot be spelled, the body is ``models.X.model_validate({...wire names...})`` instead.
- Only what the call uses is imported (``models``, ``datetime``, ``uuid``).
"""

from __future__ import annotations

import ast
import datetime
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from .format import format_python
from .ir import Arg, Body, Example, Param
from .modelfields import Catalog, DeclaredClass
from .naming import py_literal

Deref = Callable[[Any], Any]

# Bounds nesting of constructed models (a recursive schema has no natural end).
_DEPTH = 8
_PLACEHOLDERS = {"str": "'string'", "int": "0", "float": "0.0", "bool": "True"}
# Placeholders for required strings by format: values a validator of that format accepts.
_STRING_FORMATS = {
    "date-time": "2026-01-12T08:21:29Z",
    "date": "2026-01-12",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com/",
}
# A JSON value of each Python type, for a required field the spec gives no example for.
_FILLERS: dict[str, Any] = {
    "str": "string",
    "int": 0,
    "float": 0.0,
    "bool": True,
    "list": [],
    "dict": {},
    "datetime.datetime": _STRING_FORMATS["date-time"],
    "datetime.date": _STRING_FORMATS["date"],
    "uuid.UUID": _STRING_FORMATS["uuid"],
}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}
_WORDS = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
# Modules an example may name (the values it spells), imported above the call when it does.
_STDLIB_MODULES = frozenset({"datetime", "uuid"})
_MODELS_PREFIX = re.compile(r"\bmodels\.")


def param_example(deref: Deref, param: dict[str, Any]) -> str:
    """A Python literal for a path or required parameter in the docs example (module docstring)."""
    schema = deref(param.get("schema"))
    schema = schema if isinstance(schema, dict) else {}
    named = [deref(e) for e in (param.get("examples") or {}).values()]
    values = [e.get("value") for e in named if isinstance(e, dict)]
    for candidate in [param.get("example"), *values[:1], schema.get("example")]:
        if _fits(candidate, schema):
            return py_literal(candidate)
    enum = [v for v in schema.get("enum") or [] if v is not None]
    if enum:
        return py_literal(enum[0])
    kind = str(schema.get("type") or "string")
    if kind == "string" and str(schema.get("format")) in _STRING_FORMATS:
        return py_literal(_STRING_FORMATS[str(schema["format"])])
    if kind == "string" and param.get("in") == "path":
        words = [w for w in _WORDS.split(str(param["name"])) if w] or ["x"]
        stem = words[:-1] if len(words) > 1 and words[-1].lower() == "id" else words
        return py_literal("".join(w[0].lower() for w in stem) + "_123")
    return {"integer": "1", "number": "1.0", "boolean": "True", "array": "[]"}.get(kind, "'string'")


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    if value is None or isinstance(value, dict):
        return False
    if schema.get("enum") and value not in schema["enum"]:
        return False
    allowed = _JSON_TYPES.get(str(schema.get("type") or "string"), ())
    return isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)


def _example_value(deref: Deref, schema: Any, depth: int = 0) -> Any:
    """The spec's example for a body: the schema's own ``example``, else one assembled from its
    properties' examples (read-only ones left out) with a placeholder for each required
    property the spec gives no example for; an array is one such item. None: no example."""
    resolved = deref(schema)
    if not isinstance(resolved, dict) or depth > _DEPTH:
        return None
    if "example" in resolved:
        return resolved["example"]
    if resolved.get("type") == "array":
        item = _example_value(deref, resolved.get("items"), depth + 1)
        return None if item is None else [item]
    props = resolved.get("properties") or {}
    values = {
        str(k): v["example"]
        for k, v in props.items()
        if isinstance(v, dict) and "example" in v and not v.get("readOnly")
    }
    for name in resolved.get("required") or []:  # a runnable example needs every required field
        prop = props.get(name)
        if name not in values and isinstance(prop, dict) and not prop.get("readOnly"):
            values[str(name)] = _placeholder(deref, prop, depth=0)
    return values or None


def _placeholder(deref: Deref, schema: Any, depth: int) -> Any:
    """A JSON value of the schema's type, for required fields the spec gives no example for."""
    resolved = deref(schema)
    if not isinstance(resolved, dict) or depth > _DEPTH:
        return None
    parts = resolved.get("allOf")
    if isinstance(parts, list) and len(parts) == 1:
        return _placeholder(deref, parts[0], depth + 1)
    if "example" in resolved:
        return resolved["example"]
    if resolved.get("enum"):
        return resolved["enum"][0]
    kind = resolved.get("type")
    if kind == "array":
        return []
    if kind == "object" or "properties" in resolved:
        props = resolved.get("properties") or {}
        return {
            str(n): _placeholder(deref, props[n], depth + 1)
            for n in resolved.get("required") or []
            if isinstance(props.get(n), dict) and not props[n].get("readOnly")
        }
    if kind == "string":
        return _STRING_FORMATS.get(str(resolved.get("format")), "string")
    return {"integer": 0, "number": 0.0, "boolean": True}.get(str(kind))


def body_example(deref: Deref, schema: Any, annotation: str, catalog: Catalog) -> str | None:
    """A Python expression for an example body (module docstring); None: no example to give."""
    node = ast.parse(_MODELS_PREFIX.sub("", annotation), mode="eval").body
    value = _example_value(deref, schema)
    speller = _Speller(catalog)
    if value is not None:
        text = speller.spell(value, node, depth=0)
        if text is not None:
            return text
    declared = catalog.classes.get(annotation.removeprefix("models."))
    if value is not None and declared is not None:  # a value no constructor can spell
        return f"models.{declared.name}.model_validate({py_literal(value)})"
    return speller.spell(speller.filler(node), node, depth=0) if declared else None


class _Speller:
    """JSON values as Python expressions of the types the models module declares."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def construct(self, declared: DeclaredClass, value: Any, depth: int) -> str | None:
        """``models.X(python_name=..., ...)``, or None where a required field cannot be spelled."""
        if declared.kind != "model" or not isinstance(value, dict) or depth > _DEPTH:
            return None
        given = {f.python_name: v for k, v in value.items() if (f := declared.field(str(k)))}
        arguments = []
        for field in declared.fields:
            node = ast.parse(field.annotation, mode="eval").body
            if field.python_name in given:
                text = self.spell(given[field.python_name], node, depth + 1)
                if text is None and field.required:
                    text = self.spell(self.filler(node), node, depth + 1)
            elif field.required:
                text = self.spell(self.filler(node), node, depth + 1)
            else:
                continue
            if text is None and field.required:
                return None
            if text is not None:
                arguments.append(f"{field.python_name}={text}")
        order = {name: index for index, name in enumerate(given)}  # the spec's order, then fillers
        arguments.sort(key=lambda a: order.get(a.split("=", 1)[0], len(order)))
        return f"models.{declared.name}({', '.join(arguments)})"

    def spell(self, value: Any, node: ast.expr, depth: int) -> str | None:
        """``value`` as an expression of the type ``node``, trying union members in order."""
        for member in _union(node):
            text = self._spell_one(value, member, depth)
            if text is not None:
                return text
        return None

    def _spell_one(self, value: Any, node: ast.expr, depth: int) -> str | None:
        if isinstance(node, ast.Constant):
            return "None" if node.value is None and value is None else None
        if isinstance(node, ast.Subscript):
            return self._spell_generic(value, node, depth)
        if not isinstance(node, ast.Name):
            return None
        name = node.id
        declared = self.catalog.classes.get(self.catalog.aliases.get(name, name))
        if declared is not None and name in self.catalog.aliases:  # ``XLiteral``: a plain value
            return py_literal(value) if value in [v for _, v in declared.members] else None
        if declared is not None and declared.kind == "enum":
            return _member(declared, value)
        if declared is not None and declared.kind == "model":
            return self.construct(declared, value, depth)
        if declared is not None:  # a RootModel: its constructor takes the root positionally
            root = self.spell(value, ast.parse(declared.root, mode="eval").body, depth + 1)
            return None if root is None else f"models.{name}({root})"
        spelled = self.catalog.imported.get(name, name)
        if spelled in ("datetime.datetime", "datetime.date"):
            return _moment(value, spelled, aware=name != "NaiveDatetime")
        if spelled == "uuid.UUID":
            return _uuid(value)
        return _scalar(value, spelled)

    def _spell_generic(self, value: Any, node: ast.Subscript, depth: int) -> str | None:
        head = ast.unparse(node.value)
        inner = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Annotated":
            return self.spell(value, inner[0], depth)
        if head == "Literal":
            allowed = [ast.literal_eval(n) for n in inner]
            return py_literal(value) if value in allowed else None
        if head == "list" and isinstance(value, list):
            items = [self.spell(v, inner[0], depth) for v in value]
            return None if None in items else "[" + ", ".join(str(i) for i in items) + "]"
        if head == "dict" and isinstance(value, dict) and len(inner) == 2:
            spelled = {str(k): self.spell(v, inner[1], depth) for k, v in value.items()}
            if None in spelled.values():
                return None
            return "{" + ", ".join(f"{py_literal(k)}: {v}" for k, v in spelled.items()) + "}"
        return None

    def filler(self, node: ast.expr) -> Any:
        """A JSON value for a required field without an example: the first type that has one."""
        for member in _union(node):
            if isinstance(member, ast.Subscript):
                member = member.value
            if isinstance(member, ast.Name):
                name = self.catalog.aliases.get(member.id, member.id)
                declared = self.catalog.classes.get(name)
                if declared is not None and declared.kind == "enum" and declared.members:
                    return declared.members[0][1]
                if declared is not None and declared.kind == "root":
                    return self.filler(ast.parse(declared.root, mode="eval").body)
                if declared is not None:
                    return {}
                spelled = self.catalog.imported.get(name, name)
                if spelled in _FILLERS:
                    return _FILLERS[spelled]
        return None


def _union(node: ast.expr) -> Iterator[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _union(node.left)
        yield from _union(node.right)
    else:
        yield node


def _member(declared: DeclaredClass, value: Any) -> str | None:
    """The enum member with this value; matched case-insensitively, as responses are read."""
    if not isinstance(value, str):
        return None
    found = next((m for m, v in declared.members if v == value), None) or next(
        (m for m, v in declared.members if v.casefold() == value.casefold()), None
    )
    return f"models.{declared.name}.{found}" if found else None


def _moment(value: Any, kind: str, *, aware: bool) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        if kind == "datetime.date":
            return repr(datetime.date.fromisoformat(value))
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if aware and moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return repr(moment)


def _uuid(value: Any) -> str | None:
    try:
        return f"uuid.UUID({str(uuid.UUID(value))!r})" if isinstance(value, str) else None
    except ValueError:
        return None


def _scalar(value: Any, kind: str) -> str | None:
    if kind == "Any":
        return py_literal(value)
    if isinstance(value, bool):
        return repr(value) if kind == "bool" else None
    if kind == "str" and isinstance(value, str | int | float):
        return py_literal(value if isinstance(value, str) else str(value))
    if kind == "int" and isinstance(value, int | float) and float(value).is_integer():
        return repr(int(value))
    if kind == "float" and isinstance(value, int | float):
        return py_literal(value)
    return None


def example_call(
    python_name: str, args: list[Arg], params: list[Param], body: Body | None
) -> Example:
    """The docs example of an operation: path values, required arguments, the example body."""
    by_name = {p.python_name: p for p in params}
    parts = [by_name[a.name].example for a in args if a.positional and a.name in by_name]
    if body is not None and (body.example or body.required):
        fallback = "[]" if body.annotation.startswith("list[") else "{}"
        parts.append(f"body={body.example or _PLACEHOLDERS.get(body.annotation, fallback)}")
    for p in params:
        if p.location != "path" and p.required:
            parts.append(f"{p.python_name}={p.example}")
    call = f"client.{python_name}({', '.join(parts)})"
    names = {node.id for node in ast.walk(ast.parse(call)) if isinstance(node, ast.Name)}
    code = format_python(call, f"example for {python_name}").rstrip("\n")
    return Example(code, "models" in names, tuple(sorted(names & _STDLIB_MODULES)))
