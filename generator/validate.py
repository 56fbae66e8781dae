"""Check a parsed spec: local $refs resolve, openapi-spec-validator passes, operations are nameable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from .diagnostics import Diagnostic, SpecError, json_pointer
from .load import SpecDocument

_TOP_LEVEL = {"openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs",
              "webhooks", "jsonSchemaDialect"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def validate(doc: SpecDocument) -> None:
    """Raise SpecError listing every problem, or return if the spec is usable."""
    problems = list(_check_refs(doc))
    if not problems:  # the validator would trip over the same bad refs with a worse message
        problems += _check_schema(doc)
    if not problems:
        problems += _check_operations(doc)
    if problems:
        raise SpecError(problems)


def resolve_pointer(data: Any, pointer: str) -> Any:
    """Return the node at a local ``#/...`` pointer; KeyError if it does not exist."""
    node = data
    for raw in pointer[2:].split("/") if pointer != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(pointer)
    return node


def walk(node: Any, path: tuple[object, ...] = ()) -> Iterator[tuple[tuple[object, ...], Any]]:
    """Yield (path, node) for every node once; YAML aliases can make shared or cyclic nodes."""
    seen: set[int] = set()
    stack: list[tuple[tuple[object, ...], Any]] = [(path, node)]
    while stack:
        here, value = stack.pop()
        yield here, value
        if isinstance(value, dict | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((here + (key,), child) for key, child in reversed(list(items)))


def _check_refs(doc: SpecDocument) -> Iterator[Diagnostic]:
    for path, node in walk(doc.data):
        if not (isinstance(node, dict) and "$ref" in node):
            continue
        ref = node["$ref"]
        where = json_pointer(path + ("$ref",))
        if not isinstance(ref, str):
            yield Diagnostic(doc.path, where, "$ref must be a string")
        elif not ref.startswith("#"):
            yield Diagnostic(doc.path, where, f"$ref {ref!r} points outside this file; only local refs "
                             "('#/...') are followed")
        else:
            try:
                resolve_pointer(doc.data, ref)
            except KeyError:
                yield Diagnostic(doc.path, where, f"$ref {ref!r} does not resolve (dangling reference)")


def _check_schema(doc: SpecDocument) -> Iterator[Diagnostic]:
    version = str(doc.data.get("openapi", ""))
    validator_cls = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    last_absolute: tuple[object, ...] = ()
    try:
        errors = list(validator_cls(doc.data).iter_errors())
    except RecursionError:
        yield Diagnostic(doc.path, "#", "spec nests too deeply to validate")
        return
    for error in errors:
        deepest = _deepest(error)
        path: tuple[object, ...] = tuple(deepest.absolute_path)
        if path and path[0] in _TOP_LEVEL:
            last_absolute = tuple(error.absolute_path)
        else:
            # Schema-level errors carry a path relative to the schema object: re-root it.
            path = last_absolute + path
        yield Diagnostic(doc.path, json_pointer(path), _message(deepest))


def _deepest(error: ValidationError) -> ValidationError:
    """Follow the most specific sub-error; skip the '$ref is required' alternative of oneOf."""
    best = error
    for sub in error.context or []:
        if sub.validator == "required" and "'$ref'" in sub.message:
            continue
        candidate = _deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path) or best is error:
            best = candidate
    return best


def _message(error: ValidationError) -> str:
    text = " ".join(error.message.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _check_operations(doc: SpecDocument) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for path, item in (doc.data.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict):
                continue
            where = json_pointer(("paths", path, method))
            op_id = operation.get("operationId")
            if not isinstance(op_id, str) or not op_id.strip():
                yield Diagnostic(doc.path, where, "operation has no operationId; the client method is "
                                 "named after it (add one)")
            elif op_id in seen:
                yield Diagnostic(doc.path, where + "/operationId",
                                 f"operationId {op_id!r} duplicates {seen[op_id]} (rename one)")
            else:
                seen[op_id] = where
