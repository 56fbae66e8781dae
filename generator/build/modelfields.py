"""The Python field names DCG actually wrote, read back from the models module.

Docs must name the attributes a user can type. Re-deriving them with ``snake_case`` guesses wrong
wherever DCG decided otherwise (``type`` stays ``type``, ``schema`` becomes ``schema_``), so the
one source is the generated class itself.
"""

from __future__ import annotations

import ast

FieldNames = dict[str, dict[str, str]]  # class name -> {wire name: Python attribute}


def model_field_names(source: str) -> FieldNames:
    """Each class's fields, inherited ones included: wire name (its alias, else itself) -> name."""
    tree = ast.parse(source)
    own: FieldNames = {}
    bases: dict[str, list[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
        own[node.name] = {
            _alias(stmt) or stmt.target.id: stmt.target.id
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        }
    resolved: FieldNames = {}
    for name in own:  # module order: DCG defines a base class before the classes that extend it
        merged: dict[str, str] = {}
        for base in bases[name]:
            merged.update(resolved.get(base, {}))
        merged.update(own[name])
        resolved[name] = merged
    return resolved


def _alias(stmt: ast.AnnAssign) -> str | None:
    """The ``alias=`` of the field's ``Field(...)``, in the annotation or as the default."""
    for node in ast.walk(stmt):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Field"
        ):
            for keyword in node.keywords:
                if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None
