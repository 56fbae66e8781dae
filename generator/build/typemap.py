"""Schema -> Python annotation, against the model classes DCG made (readOnly splits included)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import fail
from .load import SpecDocument
from .models import SCHEMA_PREFIX, split_schemas
from .naming import pascal_case
from .validate import resolve_pointer

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class TypeContext:
    """What type mapping needs: the document, the model classes DCG made, and which were split."""

    def __init__(self, doc: SpecDocument, model_classes: set[str]) -> None:
        self.doc = doc
        self.model_classes = model_classes
        self.split = split_schemas(doc.data)
        self.uses_any = False

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            node = resolve_pointer(self.doc.data, node["$ref"])
            seen += 1
        return node

    def model(self, ref: str, mode: str, where: tuple[object, ...]) -> str:
        name = ref[len(SCHEMA_PREFIX) :]
        base = pascal_case(name) if name not in self.model_classes else name
        candidate = base + mode.capitalize() if name in self.split else base
        if candidate not in self.model_classes:
            raise fail(
                self.doc.path, where, f"schema {name!r} produced no model class {candidate!r}"
            )
        return "models." + candidate

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
