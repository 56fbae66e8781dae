"""Runnable examples for the docs, built from the spec's own ``example`` values (literals via repr)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .format import format_python
from .ir import Body, Param
from .naming import py_literal

Deref = Callable[[Any], Any]


def _example_value(deref: Deref, schema: Any) -> dict[str, Any] | None:
    resolved = deref(schema)
    if not isinstance(resolved, dict):
        return None
    if "example" in resolved and isinstance(resolved["example"], dict):
        return dict(resolved["example"])
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
    if not isinstance(resolved, dict) or depth > 8:
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
    return {"string": "string", "integer": 0, "number": 0.0, "boolean": True}.get(str(kind))


def body_example(deref: Deref, schema: Any, annotation: str) -> str | None:
    """A Python expression for an example body, from the spec's examples (literals via repr)."""
    if annotation.startswith("list[models."):
        item = _example_value(deref, (deref(schema) or {}).get("items"))
        model = annotation[len("list[") : -1]
        return f"[{model}.model_validate({py_literal(item)})]" if item else None
    if annotation.startswith("models."):
        value = _example_value(deref, schema)
        return f"{annotation}.model_validate({py_literal(value)})" if value else f"{annotation}()"
    return None


_PLACEHOLDERS = {"str": "'string'", "int": "0", "float": "0.0", "bool": "True"}


def example_call(python_name: str, params: list[Param], body: Body | None) -> str:
    """A runnable call for the docs: path params, required arguments, and the spec's example body."""
    parts = [py_literal(f"{p.python_name}-1") for p in params if p.location == "path"]
    if body is not None and (body.example or body.required):
        fallback = "[]" if body.annotation.startswith("list[") else "{}"
        parts.append(f"body={body.example or _PLACEHOLDERS.get(body.annotation, fallback)}")
    for p in params:
        if p.location != "path" and p.required:
            parts.append(f"{p.python_name}={_PLACEHOLDERS.get(p.annotation, 'None')}")
    call = f"client.{python_name}({', '.join(parts)})"
    return format_python(call, f"example for {python_name}").rstrip("\n")
