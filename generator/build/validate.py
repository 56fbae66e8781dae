"""Check a parsed spec: local $refs resolve, openapi-spec-validator passes, operations are nameable."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

# The jsonschema-rs backend (picked automatically when installed) reports a failed oneOf without
# its sub-errors, so every message would point at the parent node. Pin the Python backend; it is
# read when openapi_spec_validator is first imported.
os.environ["OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"] = "jsonschema"

from jsonschema.exceptions import ValidationError  # noqa: E402
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator  # noqa: E402

from ..diagnostics import Diagnostic, SpecError, json_pointer
from .load import SpecDocument

_TOP_LEVEL = {
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
    "webhooks",
    "jsonSchemaDialect",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# OpenAPI's own rule for component keys, minus "." for schemas: DCG turns dots into sub-modules.
_COMPONENT_KEY = re.compile(r"[A-Za-z0-9._-]+")
_SCHEMA_KEY = re.compile(r"[A-Za-z0-9_-]+")


def validate(doc: SpecDocument) -> None:
    """Raise SpecError listing every problem, or return if the spec is usable."""
    problems = list(_check_refs(doc))
    if not problems:  # the validator would trip over the same bad refs with a worse message
        problems += _check_schema(doc)
    if not problems:
        problems += _check_operations(doc)
        problems += _check_component_names(doc)
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
            yield Diagnostic(
                doc.path,
                where,
                f"$ref {ref!r} points outside this file; only local refs " "('#/...') are followed",
            )
        else:
            try:
                resolve_pointer(doc.data, ref)
            except KeyError:
                yield Diagnostic(
                    doc.path, where, f"$ref {ref!r} does not resolve (dangling reference)"
                )


def _check_schema(doc: SpecDocument) -> Iterator[Diagnostic]:
    version = str(doc.data.get("openapi", ""))
    validator_cls = (
        OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    )
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
                continue  # named after its method and path, with a warning (build/operations.py)
            if op_id in seen:
                yield Diagnostic(
                    doc.path,
                    where + "/operationId",
                    f"operationId {op_id!r} duplicates {seen[op_id]} (rename one)",
                )
            else:
                seen[op_id] = where


def _check_component_names(doc: SpecDocument) -> Iterator[Diagnostic]:
    """Component names become class and module names: hold them to OpenAPI's character set."""
    components = doc.data.get("components") or {}
    for section, entries in components.items():
        if not isinstance(entries, dict):
            continue
        rule = _SCHEMA_KEY if section == "schemas" else _COMPONENT_KEY
        for name in entries:
            if not (isinstance(name, str) and rule.fullmatch(name)):
                yield Diagnostic(
                    doc.path,
                    json_pointer(("components", section, name)),
                    f"component name {name!r} may only use {rule.pattern} (rename it)",
                )


def find_pointer(data: Any, code: str) -> str:
    """Best guess at where a fragment of generated code came from: the longest spec string in it.

    Strings are matched as written and as ``repr`` would escape them, keys and values alike.
    Returns "#" when nothing matches (e.g. the fault is in a template, not in the spec).
    """
    best: tuple[int, str] = (0, "#")
    for path, node in walk(data):
        candidates = [node] if isinstance(node, str) else []
        if path and isinstance(path[-1], str):
            candidates.append(path[-1])
        for text in candidates:
            if len(text) <= best[0] or len(text) < 3:
                continue
            if text in code or repr(text)[1:-1] in code:
                best = (len(text), json_pointer(path))
    return best[1]
