"""Admission: the one pass between loading a spec and using it, and the policy it enforces.

``admit`` walks the loaded document once and returns an ``Admitted`` document: the JSON text DCG
reads, the data the validator and the IR read, the pointer index the AST check traces code back
with, and the warnings to print. Nothing after this stage reads the loaded dict. A spec that breaks
the policy (``policy.py``) is refused here, before the validator or DCG spends time on it, with one
line per problem: file, JSON pointer, message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...diagnostics import Diagnostic, SpecError
from ..load import SpecDocument
from .pointers import SCHEMA_PREFIX, PointerIndex
from .refs import check_compositions, check_refs, resolve_pointer
from .walk import admit_pass

__all__ = ["SCHEMA_PREFIX", "Admitted", "PointerIndex", "admit", "resolve_pointer"]


@dataclass(frozen=True, slots=True)
class Admitted:
    """A spec that passed admission; every later stage reads this, never the loaded dict.

    ``data`` is plain JSON data (string keys), shared by the stages that read it: treat it as
    read-only.
    """

    path: str  # the file named in messages
    raw: bytes  # the bytes as read (the CHANGELOG keeps a copy)
    sha256: str  # of ``raw``
    data: dict[str, Any]
    json_text: str  # ``json.dumps(data)``: what DCG reads and what validation verdicts are keyed on
    pointers: PointerIndex
    aliases: Mapping[str, str]  # property name -> field name, where pydantic reserves the name
    notes: tuple[Diagnostic, ...]  # warnings: what admission dropped and why


def admit(doc: SpecDocument) -> Admitted:
    """Apply the admission policy to a loaded spec; raise SpecError listing every refusal."""
    data, found = admit_pass(doc.data, doc.path)
    problems = list(found.problems)
    ref_problems = check_refs(data, found.refs, doc.path)
    problems += ref_problems
    if not ref_problems:
        problems += check_compositions(data, found.compositions, doc.path)
    if problems:
        raise SpecError(problems)
    schemas = (data.get("components") or {}).get("schemas")
    return Admitted(
        path=doc.path,
        raw=doc.raw,
        sha256=doc.sha256,
        data=data,
        json_text=json.dumps(data),
        pointers=PointerIndex.build(
            found.strings,
            found.properties,
            frozenset(schemas) if isinstance(schemas, dict) else frozenset(),
        ),
        aliases=found.aliases,
        notes=tuple(found.notes),
    )
