"""The docs' model pages, and the links from every type the docs print to them.

Runs on the finished operations: every class an operation reaches (its body, a response, an enum
parameter, every class those hold, and the other half of a readOnly split) gets one page,
``docs/models/<Class>.md``, and every annotation the pages print becomes ``TypePart``s, so a
template links each model name without knowing how. A page shows what its class is and which
operations and pages use it, by name: a reworded summary or an unrelated schema leaves it as it is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .ir import Api, EnumMember, Field, ModelPage, Operation, TypePart, Usage
from .modelfields import Catalog, DeclaredClass, DeclaredField
from .models import Models
from .naming import clean_text, page_stem


@dataclass(frozen=True, slots=True)
class _Origin:
    """The component schema a class is made from, and the other half of a readOnly split."""

    schema: str
    half: str  # "request" | "response" | ""
    twin: str  # the other half's class; ""


def document_models(api: Api, catalog: Catalog, models: Models, schemas: Mapping[str, Any]) -> Api:
    """``api`` with its model pages, and the types of its operations linked to them.

    ``schemas`` is the spec's ``components.schemas`` (for their descriptions).
    """
    origins = _origins(models)
    reached = _reached(api.operations, catalog, origins)
    link = _Linker(catalog, page_paths(reached))
    operations = [_linked(op, link) for op in api.operations]
    usages = _usages(operations, catalog)
    holders = _holders(reached, catalog)
    pages = {
        name: _page(
            catalog.classes[name],
            origins.get(name, _Origin("", "", "")),
            schemas,
            catalog,
            link,
            usages.get(name, ()),
            tuple(link.class_part(holder) for holder in holders.get(name, [])),
        )
        for name in sorted(reached)
    }
    operations = [_with_body_model(op, pages, catalog) for op in operations]
    by_name = {op.python_name: op for op in operations}
    tags = tuple(
        replace(tag, operations=tuple(by_name[op.python_name] for op in tag.operations))
        for tag in api.tags
    )
    return replace(api, operations=tuple(operations), tags=tags, models=tuple(pages.values()))


def page_paths(names: Iterable[str]) -> dict[str, str]:
    """Class -> its page, ``models/<Class>.md``.

    A name longer than ``PAGE_NAME_LIMIT``, or one that differs from another page's only in case
    (one file on macOS and Windows), is cut and ends with a digest of the whole name; in a group
    of case twins the first in sorted order keeps the plain name.
    """
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names):
        stem = page_stem(name, cut=name.casefold() in taken)
        taken.add(stem.casefold())
        paths[name] = f"models/{stem}.md"
    return paths


def _origins(models: Models) -> dict[str, _Origin]:
    origins: dict[str, _Origin] = {}
    for schema, made in sorted(models.schemas.items()):
        if made.split:
            origins[made.request.name] = _Origin(schema, "request", made.response.name)
            origins[made.response.name] = _Origin(schema, "response", made.request.name)
        else:
            origins.setdefault(made.request.name, _Origin(schema, "", ""))
    return origins


def _annotations(op: Operation) -> Iterable[str]:
    yield from (p.annotation for p in op.params)
    if op.body is not None:
        yield op.body.annotation
    yield from (r.annotation for r in op.responses if r.annotation)


def _held(declared: DeclaredClass, catalog: Catalog) -> list[str]:
    """The classes a class names in its fields, root type and bases."""
    held: list[str] = list(declared.bases)
    for annotation in [declared.root, *(f.annotation for f in declared.fields)]:
        if annotation:
            held += catalog.referenced(annotation)
    return held


def _reached(
    operations: Iterable[Operation], catalog: Catalog, origins: Mapping[str, _Origin]
) -> set[str]:
    reached: set[str] = set()
    stack = [n for op in operations for a in _annotations(op) for n in _model_names(a)]
    while stack:
        name = stack.pop()
        name = catalog.aliases.get(name, name)
        if name in reached or name not in catalog.classes:
            continue
        reached.add(name)
        stack += _held(catalog.classes[name], catalog)
        twin = origins.get(name)
        if twin is not None and twin.twin:
            stack.append(twin.twin)
    return reached


def _model_names(annotation: str) -> list[str]:
    """``models.X`` names in a Python annotation (the operations' spelling)."""
    return [name for name, _, _ in _model_spans(annotation)]


def _model_spans(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of each ``models.X`` in ``text``, found by parsing, not by pattern, so a
    ``Literal['models.x']`` value is not taken for a class."""
    spans = [
        (node.attr, node.col_offset, node.end_col_offset or node.col_offset)
        for node in ast.walk(ast.parse(text, mode="eval"))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "models"
    ]
    return sorted(spans, key=lambda span: span[1])


class _Linker:
    """Annotations as ``TypePart``s: each ``models.X`` with a page is a link to it."""

    def __init__(self, catalog: Catalog, paths: Mapping[str, str]) -> None:
        self.catalog = catalog
        self.paths = paths

    def parts(self, text: str) -> tuple[TypePart, ...]:
        """Links, code and single spaces: a code span cannot start and end with a space
        (CommonMark strips them), so the spaces around a link are parts of their own."""
        parts: list[TypePart] = []
        at = 0
        for name, start, end in _model_spans(text):
            page = self.paths.get(self.catalog.aliases.get(name, name))
            if page is None:
                continue
            parts += _plain(text[at:start])
            parts.append(TypePart(text[start:end], page))
            at = end
        return tuple(parts + _plain(text[at:]))

    def declared(self, annotation: str) -> tuple[TypePart, ...]:
        """A type in the models module's names, as a user writes it, linked."""
        return self.parts(self.catalog.user_type(annotation))

    def class_part(self, name: str) -> TypePart:
        return TypePart(f"models.{name}", self.paths.get(name, ""))


def _plain(text: str) -> list[TypePart]:
    """``" | None"`` -> a space, then ``| None``."""
    core = text.strip()
    parts = [TypePart(" ", "")] if core != text and text[:1].isspace() else []
    parts += [TypePart(core, "")] if core else []
    return parts + ([TypePart(" ", "")] if core and text[-1:].isspace() else [])


def _linked(op: Operation, link: _Linker) -> Operation:
    return replace(
        op,
        params=tuple(replace(p, type=link.parts(p.annotation)) for p in op.params),
        body=replace(op.body, type=link.parts(op.body.annotation)) if op.body else None,
        responses=tuple(
            replace(r, type=link.parts(r.annotation)) if r.annotation else r for r in op.responses
        ),
        success_type=link.parts(op.success_annotation),
    )


def _usages(operations: Iterable[Operation], catalog: Catalog) -> dict[str, tuple[Usage, ...]]:
    """Class -> the operations that name it, each with where (body, responses, parameters)."""
    found: dict[str, dict[str, list[str]]] = {}  # class -> operation -> roles

    def note(annotation: str, op: Operation, role: str) -> None:
        for name in _model_names(annotation):
            roles = found.setdefault(catalog.aliases.get(name, name), {}).setdefault(
                op.python_name, []
            )
            if role not in roles:
                roles.append(role)

    paths = {op.python_name: op.doc_path for op in operations}
    for op in operations:
        if op.body is not None:
            note(op.body.annotation, op, "body")
        for p in op.params:
            note(p.annotation, op, f"parameter {p.python_name}")
        for success in (True, False):
            statuses: dict[str, list[str]] = {}
            for r in op.responses:
                if r.is_success is success and r.annotation:
                    for name in _model_names(r.annotation):
                        statuses.setdefault(catalog.aliases.get(name, name), []).append(r.status)
            for name, codes in statuses.items():
                role = ("response " if success else "error ") + ", ".join(codes)
                found.setdefault(name, {}).setdefault(op.python_name, []).append(role)
    return {
        name: tuple(
            Usage(operation, paths[operation], "; ".join(roles))
            for operation, roles in sorted(by_op.items())
        )
        for name, by_op in found.items()
    }


def _holders(reached: set[str], catalog: Catalog) -> dict[str, list[str]]:
    """Class -> the other reached classes that hold it in a field, their root or as a base."""
    holders: dict[str, list[str]] = {}
    for name in sorted(reached):
        for held in dict.fromkeys(_held(catalog.classes[name], catalog)):
            if held != name:
                holders.setdefault(held, []).append(name)
    return holders


def _page(
    declared: DeclaredClass,
    origin: _Origin,
    schemas: Mapping[str, Any],
    catalog: Catalog,
    link: _Linker,
    used_by: tuple[Usage, ...],
    used_in: tuple[TypePart, ...],
) -> ModelPage:
    schema = schemas.get(origin.schema) if origin.schema else None
    twin = catalog.classes.get(origin.twin) if origin.twin else None
    read_only = (
        {wire for wire, _ in twin.read_only} if twin and origin.half == "response" else set()
    )
    fields = tuple(_field(f, link, f.wire_name in read_only) for f in declared.fields)
    left_out = tuple(
        _field(f, link, True)
        for wire, _ in declared.read_only
        if twin is not None and (f := twin.field(wire)) is not None
    )
    return ModelPage(
        name=declared.name,
        doc_path=link.paths[declared.name],
        kind=declared.kind,
        schema=origin.schema,
        description=clean_text(schema.get("description")) if isinstance(schema, dict) else "",
        half=origin.half,
        twin=(link.class_part(origin.twin),) if origin.twin else (),
        extends=tuple(link.class_part(base) for base in declared.bases),
        root=link.declared(declared.root) if declared.root else (),
        fields=fields,
        left_out=left_out,
        members=tuple(EnumMember(name, value) for name, value in declared.members),
        literal_alias=declared.literal_alias,
        used_by=used_by,
        used_in=used_in,
    )


def _field(declared: DeclaredField, link: _Linker, read_only: bool) -> Field:
    return Field(
        python_name=declared.python_name,
        wire_name=declared.wire_name,
        type=link.declared(declared.annotation),
        required=declared.required,
        default=link.catalog.user_type(declared.default) if declared.default else "",
        read_only=read_only,
        description=clean_text(declared.description),
    )


def _with_body_model(op: Operation, pages: Mapping[str, ModelPage], catalog: Catalog) -> Operation:
    if op.body is None:
        return op
    names = _model_names(op.body.annotation)
    page = pages.get(catalog.aliases.get(names[0], names[0])) if names else None
    return replace(op, body=replace(op.body, model=page)) if page else op


__all__ = ["document_models", "page_paths"]
