"""The models module read back: every class DCG wrote, as a user meets it.

Docs and examples must name the attributes a user can type and the types ``mypy`` checks.
Re-deriving them from the spec guesses wrong wherever DCG decided otherwise (``type`` stays
``type``, ``schema`` becomes ``schema_``, a ``date`` import becomes ``date_aliased``), so the one
source is the generated module itself, read with ``ast`` after every rewrite of it.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["model", "enum", "root"]

# pydantic's datetime flavours are ``datetime``/``date`` to a type checker and to the caller.
_PYDANTIC_AS = {
    "AwareDatetime": "datetime.datetime",
    "NaiveDatetime": "datetime.datetime",
    "PastDatetime": "datetime.datetime",
    "FutureDatetime": "datetime.datetime",
    "PastDate": "datetime.date",
    "FutureDate": "datetime.date",
}


@dataclass(frozen=True, slots=True)
class DeclaredField:
    """One field of a model class, as declared in the models module."""

    python_name: str
    wire_name: str  # its alias, else the Python name
    annotation: str  # in the models module's names, without ``Annotated`` metadata
    required: bool
    default: str  # source of the default value; "" when required or None
    description: str  # the field's docstring (the spec's description)


@dataclass(frozen=True, slots=True)
class DeclaredClass:
    """One class of the models module."""

    name: str
    kind: Kind
    bases: tuple[str, ...]  # the model classes it extends (allOf)
    fields: tuple[DeclaredField, ...]  # inherited ones first, as pydantic orders them
    root: str  # a RootModel's type; "" for the other kinds
    members: tuple[tuple[str, str], ...]  # an enum's (member name, value)
    literal_alias: str  # an enum's ``XLiteral`` alias of its values; "" if none
    read_only: tuple[tuple[str, str], ...]  # ``_read_only``: (wire, Python) a request half left out

    def field(self, wire_or_python: str) -> DeclaredField | None:
        """The field with this wire name, else with this Python name."""
        found = {f.wire_name: f for f in self.fields}.get(wire_or_python)
        return found or {f.python_name: f for f in self.fields}.get(wire_or_python)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The models module's classes and the names it imports, by their name in the module."""

    classes: dict[str, DeclaredClass]
    aliases: dict[str, str]  # ``XLiteral`` alias -> the enum it spells
    # Imported name -> what a user writes (``date_aliased`` -> ``datetime.date``).
    imported: dict[str, str]
    spellings: dict[str, str]  # every name above -> what a user writes (``models.Address``)

    def referenced(self, annotation: str) -> list[str]:
        """Classes an annotation names (an enum for its ``Literal`` alias), in order."""
        names = []
        for node in ast.walk(ast.parse(annotation, mode="eval")):
            if isinstance(node, ast.Name):
                name = self.aliases.get(node.id, node.id)
                if name in self.classes and name not in names:
                    names.append(name)
        return names

    def user_type(self, annotation: str) -> str:
        """The annotation as a user of the package writes it: ``models.Address | None``,
        ``datetime.datetime``; what the models module imports from ``typing`` stays bare."""
        return ast.unparse(_Respell(self.spellings).visit(ast.parse(annotation, "eval")))


class _Respell(ast.NodeTransformer):
    """Replace names by dotted spellings (``Address`` -> ``models.Address``)."""

    def __init__(self, spelled: dict[str, str]) -> None:
        self.spelled = spelled

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id not in self.spelled:
            return node
        return ast.copy_location(ast.parse(self.spelled[node.id], mode="eval").body, node)


def read_catalog(source: str) -> Catalog:
    """Read the (final, typed) models module."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                imported[alias.asname or alias.name] = _spelled(node.module, alias.name)
    aliases = {
        node.target.id: node.target.id.rstrip("_").removesuffix("Literal")
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(node.annotation, ast.Name)
        and node.annotation.id == "TypeAlias"
    }
    classes: dict[str, DeclaredClass] = {}
    for (
        node
    ) in tree.body:  # module order: DCG defines a base class before the classes that extend it
        if isinstance(node, ast.ClassDef):
            classes[node.name] = _declared(node, classes)
    aliases = {alias: enum for alias, enum in aliases.items() if enum in classes}
    for literal, enum in aliases.items():
        classes[enum] = replace(classes[enum], literal_alias=literal)
    spellings = imported | {name: f"models.{name}" for name in [*classes, *aliases]}
    return Catalog(classes, aliases, imported, spellings)


def _spelled(module: str, name: str) -> str:
    if module == "pydantic" and name in _PYDANTIC_AS:
        return _PYDANTIC_AS[name]
    return name if module in ("typing", "__future__") else f"{module}.{name}"


def _declared(node: ast.ClassDef, known: dict[str, DeclaredClass]) -> DeclaredClass:
    bases = [ast.unparse(b) for b in node.bases]
    if "OpenStrEnum" in bases or any(b.endswith("Enum") for b in bases):
        members = tuple(
            (target.id, str(stmt.value.value))
            for stmt in node.body
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
            for target in stmt.targets
            if isinstance(target, ast.Name)
        )
        return DeclaredClass(node.name, "enum", (), (), "", members, "", ())
    root = next(
        (
            ast.unparse(b.slice)
            for b in node.bases
            if isinstance(b, ast.Subscript) and ast.unparse(b.value).endswith("RootModel")
        ),
        "",
    )
    if root:
        return DeclaredClass(node.name, "root", (), (), root, (), "", ())
    parents = tuple(b for b in bases if b in known)
    fields: dict[str, DeclaredField] = {}
    for parent in parents:
        fields.update({f.python_name: f for f in known[parent].fields})
    read_only: tuple[tuple[str, str], ...] = ()
    for index, stmt in enumerate(node.body):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            following = node.body[index + 1] if index + 1 < len(node.body) else None
            fields[stmt.target.id] = _field(stmt, stmt.target.id, following)
        elif _assigns(stmt, "_read_only") and isinstance(stmt, ast.Assign):
            value = ast.literal_eval(stmt.value)
            read_only = tuple((str(k), str(v)) for k, v in value.items())
    return DeclaredClass(node.name, "model", parents, tuple(fields.values()), "", (), "", read_only)


def _field(stmt: ast.AnnAssign, name: str, following: ast.stmt | None) -> DeclaredField:
    annotation = stmt.annotation
    metadata: list[ast.expr] = []
    if (
        isinstance(annotation, ast.Subscript)
        and ast.unparse(annotation.value) == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        annotation, *metadata = annotation.slice.elts
    value = stmt.value
    if isinstance(value, ast.Call) and _is_field_call(value):  # ``= Field(default=...)``
        metadata.append(value)
        keywords = {k.arg: k.value for k in value.keywords}
        made = ast.Constant(None) if "default_factory" in keywords else None
        value = keywords.get("default", made)
    alias = next(
        (
            str(k.value.value)
            for call in metadata
            if isinstance(call, ast.Call) and _is_field_call(call)
            for k in call.keywords
            if k.arg == "alias" and isinstance(k.value, ast.Constant)
        ),
        None,
    )
    default = ast.unparse(value) if value is not None else ""
    return DeclaredField(
        python_name=name,
        wire_name=alias or name,
        annotation=ast.unparse(annotation),
        required=value is None,
        default="" if default == "None" else default,
        description=_docstring(following),
    )


def _is_field_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == "Field"


def _assigns(stmt: ast.stmt, name: str) -> bool:
    return isinstance(stmt, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in stmt.targets
    )


def _docstring(stmt: ast.stmt | None) -> str:
    """An attribute docstring: the string statement right after the field."""
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ):
        return inspect.cleandoc(stmt.value.value)
    return ""


__all__ = ["Catalog", "DeclaredClass", "DeclaredField", "read_catalog"]
