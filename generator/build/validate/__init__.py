"""Check an admitted spec: openapi-spec-validator's verdict, and operations and components nameable.

Three ways to the validator's verdict, cheapest first: a verdict kept from an earlier run
(``verdicts.py``); the fast check (``fast.py``: jsonschema-rs and a plain walk, a few milliseconds,
openapi-spec-validator not even imported), which can only say "valid"; and, when it does not, the
precise run of openapi-spec-validator (``precise.py``), which finds and places every problem.
References were checked by admission.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...diagnostics import Diagnostic, SpecError, json_pointer
from ..admit import Admitted
from ..verdicts import known_valid, remember_valid, verdict_key
from .fast import HTTP_METHODS, certainly_valid

__all__ = ["HTTP_METHODS", "validate"]

# OpenAPI's own rule for component keys, minus "." for schemas: DCG turns dots into sub-modules.
_COMPONENT_KEY = re.compile(r"[A-Za-z0-9._-]+")
_SCHEMA_KEY = re.compile(r"[A-Za-z0-9_-]+")


def validate(doc: Admitted) -> None:
    """Raise SpecError listing every problem, or return if the spec is usable."""
    key = verdict_key(doc.json_text)
    known = known_valid(key)
    problems: list[Diagnostic] = []
    if not (known or certainly_valid(doc.data)):
        from .precise import spec_problems  # openapi-spec-validator: imported only here

        problems = list(spec_problems(doc))
    if not problems:
        if not known:  # a cached verdict is not written again
            remember_valid(key)
        problems += _check_operations(doc)
        problems += _check_component_names(doc)
    if problems:
        raise SpecError(problems)


def _check_operations(doc: Admitted) -> Iterator[Diagnostic]:
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


def _check_component_names(doc: Admitted) -> Iterator[Diagnostic]:
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
