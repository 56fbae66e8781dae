"""Schema -> Python annotation, against the model classes DCG made (readOnly splits included)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import fail
from .admit import SCHEMA_PREFIX, Admitted, resolve_pointer
from .ir import ParamCheck
from .models import Models
from .naming import py_literal

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# Query values of these formats also accept the Python type; the runtime sends ``isoformat()``.
_DATES = {"date-time": "datetime.datetime", "date": "datetime.date"}
# An enum parameter lists its values as a Literal up to this many; beyond, the class alone (and
# any str) types it: a signature spelling out hundreds of values helps nobody.
LITERAL_LIMIT = 64
# Schema type (or, for a query value that accepts datetime objects, format) -> runtime check kind.
_CHECKS = {
    "string": "str",
    "integer": "int",
    "number": "number",
    "boolean": "bool",
    "date-time": "date-time",
    "date": "date",
}


class TypeContext:
    """What type mapping needs: the admitted document and the classes DCG made from its schemas."""

    def __init__(self, doc: Admitted, models: Models) -> None:
        self.doc = doc
        self.models = models
        self.uses_any = False
        self.uses_literal = False
        self.uses_datetime = False

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            node = resolve_pointer(self.doc.data, node["$ref"])
            seen += 1
        return node

    def model(self, ref: str, mode: str, where: tuple[object, ...]) -> str:
        """The class DCG made from a component schema (its request or response half)."""
        name = ref[len(SCHEMA_PREFIX) :]
        made = self.models.schemas.get(name)
        if made is None:
            raise fail(self.doc.path, where, f"schema {name!r} produced no model class")
        return "models." + (made.request if mode == "request" else made.response).name

    def annotation(self, schema: Any, mode: str, where: tuple[object, ...]) -> str:
        """Python type of a schema; ``mode`` is "request" or "response" (readOnly split)."""
        if not isinstance(schema, dict) or not schema:
            self.uses_any = True
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
                return self.model(ref, mode, where)
            return self.annotation(self.deref(schema), mode, where)
        for key in ("allOf", "oneOf", "anyOf"):
            parts = schema.get(key)
            if isinstance(parts, list) and len(parts) == 1:
                return self.annotation(parts[0], mode, where + (key, 0))
        kind = schema.get("type")
        if kind == "array":
            inner = self.annotation(schema.get("items"), mode, where + ("items",))
            text = f"list[{inner}]"
        elif kind in _PRIMITIVES:
            text = _PRIMITIVES[kind]
        else:  # inline objects and free-form values travel as JSON
            self.uses_any = True
            text = "dict[str, Any]" if kind == "object" else "Any"
        return f"{text} | None" if schema.get("nullable") is True and text != "Any" else text

    def parameter(self, schema: Any, location: str, where: tuple[object, ...]) -> str:
        """Python type of a path, query or header parameter, as friendly as the wire allows.

        Enum values are accepted as plain strings too (``Literal["asc", "desc"] |
        models.Direction``) and date or date-time query values as ``datetime`` objects.
        """
        node = self.deref(_unwrap(self.deref(schema)))
        if not isinstance(node, dict):
            return self.annotation(schema, "request", where)
        if node.get("type") == "array":
            inner = self.parameter(node.get("items"), location, where + ("items",))
            return f"list[{inner}] | None" if node.get("nullable") is True else f"list[{inner}]"
        text = self.annotation(schema, "request", where)
        nullable = " | None" if text.endswith(" | None") else ""
        values = _enum_values(node)
        if values:
            self.uses_literal = True
            literal = "Literal[" + ", ".join(py_literal(v) for v in values) + "]"
            if text.startswith("models."):  # a named enum: its class works as well as its values
                return f"{literal} | {text}"
            return literal + nullable
        date = _DATES.get(str(node.get("format"))) if node.get("type") == "string" else None
        if date and location == "query":
            self.uses_datetime = True
            return f"{date} | {text}"
        return text

    def parameter_check(
        self, schema: Any, location: str, required: bool, annotation: str
    ) -> ParamCheck:
        """What ``annotation`` (``parameter``'s) promises, as the runtime checks it before sending."""
        node = self.deref(_unwrap(self.deref(schema)))
        many = isinstance(node, dict) and node.get("type") == "array"
        if many:
            node = self.deref(_unwrap(self.deref(node.get("items"))))
        if not isinstance(node, dict):
            return ParamCheck("any", many, False, required, ())
        min_length = node.get("minLength")
        nonempty = (location == "header" and required) or (
            isinstance(min_length, int) and not isinstance(min_length, bool) and min_length > 0
        )
        values = _enum_values(node)
        if values:
            return ParamCheck("enum", many, nonempty, required, tuple(values))
        kind = node.get("type")
        nonempty = nonempty and kind == "string"
        if "models." in annotation or (many and not annotation.startswith("list[")):
            kind = None  # a class of its own (or a nested list): not a value this check knows
        elif kind == "string" and "datetime." in annotation:
            kind = node.get("format")  # a query date accepts date objects too
        return ParamCheck(_CHECKS.get(str(kind), "any"), many, nonempty, required, ())


def _unwrap(node: Any) -> Any:
    """``allOf: [X]`` (a common way to attach a description to a $ref) is X."""
    for key in ("allOf", "oneOf", "anyOf"):
        parts = node.get(key) if isinstance(node, dict) else None
        if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
            return _unwrap(parts[0])
    return node


def _enum_values(node: dict[str, Any]) -> list[str | int] | None:
    """The values of a string or integer enum a Literal can spell, else None."""
    raw = node.get("enum")
    if not isinstance(raw, list):
        return None
    values = [v for v in raw if v is not None]  # null stands for a nullable enum
    if not values or len(values) > LITERAL_LIMIT:
        return None
    if all(isinstance(v, str) for v in values) or all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        return list(dict.fromkeys(values))
    return None
