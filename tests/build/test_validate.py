"""The fast check (jsonschema-rs and a walk) never passes a spec openapi-spec-validator refuses.

``certainly_valid`` may say "not sure" about a valid spec (the precise run then decides), but a
"valid" from it must be openapi-spec-validator's verdict too: checked on the real specs, the
hostile corpus, hand-made broken specs (one per rule the fast check mirrors) and a few hundred
seeded random mutations of real specs.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, SPEC, load_yaml

from generator.build.admit import Admitted, admit
from generator.build.load import SpecDocument, load_spec
from generator.build.validate.fast import MIRRORED_FORMATS, certainly_valid, format_ok
from generator.build.validate.precise import spec_problems
from generator.diagnostics import SpecError

PETSTORE = ROOT / "bench" / "specs" / "petstore3.yaml"
REAL = [SPEC, PETSTORE, ROOT / "bench" / "specs" / "xero-payroll-uk.yaml"]
HOSTILE = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))


def _admitted(data: dict[str, Any]) -> Admitted | None:
    raw = json.dumps(data).encode()
    try:
        return admit(SpecDocument(path="spec.json", raw=raw, sha256="", data=data))
    except SpecError:
        return None  # refused before validation: nothing to compare


def _agree(doc: Admitted) -> tuple[bool, bool]:
    """(fast verdict, precise verdict); fails when the fast check passes what the validator refuses."""
    fast = certainly_valid(doc.data)
    problems = list(spec_problems(doc))
    assert not (
        fast and problems
    ), f"the fast check passed a spec the validator refuses: {problems}"
    return fast, not problems


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_specs_pass_the_fast_check(path: Path) -> None:
    assert _agree(admit(load_spec(path))) == (True, True)


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_hostile_specs_get_the_same_verdict(path: Path) -> None:
    try:
        doc = admit(load_spec(path))
    except SpecError:
        return  # refused by admission
    fast, precise = _agree(doc)
    if doc.data.get("openapi", "").startswith("3.0"):
        assert fast == precise, "the fast check should decide this 3.0 spec itself"


def _base() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "a"}],
        "paths": {
            "/things/{thing_id}": {
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "default": 10},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Thing": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}],
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 8, "default": "thing"},
                        "size": {"type": "integer", "format": "int32", "minimum": 0, "default": 3},
                        "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                        "kind": {"type": "string", "enum": ["a", "b"], "default": "a"},
                        "note": {"type": "string", "nullable": True, "default": None},
                        "code": {"type": "string", "pattern": "^[A-Z]+$", "default": "AB"},
                    },
                },
            }
        },
    }


def _thing(spec: dict[str, Any]) -> dict[str, Any]:
    thing: dict[str, Any] = spec["components"]["schemas"]["Thing"]
    return thing


def _get(spec: dict[str, Any]) -> dict[str, Any]:
    get: dict[str, Any] = spec["paths"]["/things/{thing_id}"]["get"]
    return get


def _prop(name: str, **changes: Any) -> Any:
    def edit(spec: dict[str, Any]) -> None:
        _thing(spec)["properties"][name].update(changes)

    return edit


# Each breaks one rule the fast check mirrors; the validator refuses all of them.
BROKEN: dict[str, Any] = {
    "no info title": lambda s: s["info"].pop("title"),
    "summary not a string": lambda s: _get(s).update(summary=5),
    "response without description": lambda s: _get(s)["responses"]["200"].pop("description"),
    "status code 600": lambda s: _get(s)["responses"].update({"600": {"description": "x"}}),
    "unknown top-level key": lambda s: s.update(extra=1),
    "duplicate tag": lambda s: s["tags"].append({"name": "a"}),
    "duplicate operationId": lambda s: s["paths"].update(
        {"/other": {"get": {"operationId": "getThing", "responses": {"200": {"description": "x"}}}}}
    ),
    "duplicate parameter": lambda s: _get(s)["parameters"].append(
        {"name": "limit", "in": "query", "schema": {"type": "string"}}
    ),
    "path parameter not in the template": lambda s: _get(s)["parameters"].append(
        {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}
    ),
    "template parameter not declared": lambda s: s["paths"].update(
        {"/x/{y}": {"get": {"responses": {"200": {"description": "x"}}}}}
    ),
    "required not defined under allOf": lambda s: _thing(s)["required"].append("ghost"),
    "type not a type": _prop("name", type="text"),
    "empty required list": lambda s: _thing(s)["properties"].update(
        obj={"type": "object", "required": []}
    ),
    # Admission keeps it (the Rust engine reads \p{L}); Python's re, the meta-schema's judge, does not.
    "pattern not a Python regex": _prop("code", pattern="^\\p{L}+$"),
    "maxLength negative": _prop("name", maxLength=-1),
    "maxLength a float": _prop("name", maxLength=8.0),
    "property schema a number": lambda s: _thing(s)["properties"].update(bad=5),
    "default of the wrong type": _prop("size", default="three"),
    "default too long": _prop("name", default="much too long"),
    "default below minimum": _prop("size", default=-1),
    "default beyond int32": _prop("size", default=2**31),
    "default not a date-time": _prop("name", format="date-time"),
    "default not in enum": _prop("kind", default="c"),
    "default not matching its pattern": _prop("code", default="ab"),
    "null default, not nullable": _prop("name", default=None),
    "default list of the wrong items": _prop("tags", default=[1]),
    "default of a query parameter": lambda s: _get(s)["parameters"][0]["schema"].update(
        default="ten"
    ),
    "default in a response schema": lambda s: _get(s)["responses"]["200"]["content"].update(
        {"text/plain": {"schema": {"type": "integer", "default": "x"}}}
    ),
    "default under an x- response": lambda s: _get(s)["responses"].update(
        {"x-more": {"content": {"a/b": {"schema": {"type": "integer", "default": "x"}}}}}
    ),
    "default missing a required property": lambda s: _thing(s)["properties"].update(
        obj={
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "string"}},
            "default": {},
        }
    ),
    "default with a closed-off property": lambda s: _thing(s)["properties"].update(
        obj={"type": "object", "additionalProperties": False, "default": {"b": 1}}
    ),
    "default of an allOf": lambda s: _thing(s)["properties"].update(
        obj={"allOf": [{"type": "string"}], "default": 1}
    ),
    "default through a $ref": lambda s: _thing(s)["properties"].update(
        refs={"type": "array", "items": {"$ref": "#/components/schemas/Base"}, "default": [5]}
    ),
    "exclusive minimum": _prop("size", exclusiveMinimum=True, default=0),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_specs_are_not_passed_by_the_fast_check(case: str) -> None:
    base = _admitted(_base())
    assert base is not None and _agree(base) == (True, True)
    spec = _base()
    BROKEN[case](spec)
    doc = _admitted(spec)
    assert doc is not None, "admission refused the case: it tests nothing here"
    fast, precise = _agree(doc)
    assert (fast, precise) == (False, False)


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, (*path, index))


REPLACEMENTS: list[Any] = [
    None,
    0,
    -1,
    2.5,
    2**40,
    "",
    "x",
    "{x}",
    True,
    [],
    [1],
    {},
    {"type": "x"},
]


def _mutants(spec: dict[str, Any], count: int, seed: int) -> Iterator[dict[str, Any]]:
    """Seeded random edits: one node replaced, removed, or duplicated into a list."""
    rng = random.Random(seed)
    paths = [p for p in _nodes(spec) if p]
    for _ in range(count):
        mutant = copy.deepcopy(spec)
        path = rng.choice(paths)
        parent = mutant
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = rng.random()
        if action < 0.25 and isinstance(parent, dict):
            del parent[last]
        elif action < 0.35 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS))
        yield mutant


@pytest.mark.parametrize(
    ("source", "count"), [(PETSTORE, 120), (SPEC, 12)], ids=["petstore3", "norce"]
)
def test_random_mutations_get_no_laxer_verdict(source: Path, count: int) -> None:
    spec = load_yaml(source.read_text("utf-8"))
    decided = both = 0
    for mutant in _mutants(spec, count, seed=15):
        doc = _admitted(mutant)
        if doc is None:
            continue
        fast, precise = _agree(doc)
        both += 1
        decided += fast == precise
    # Most mutants are still decided by the fast check itself (else it would save nothing).
    assert both > count // 3 and decided >= 0.9 * both, (decided, both)


FORMAT_SAMPLES = [
    None,
    True,
    False,
    0,
    -1,
    2**31 - 1,
    2**31,
    -(2**31),
    -(2**31) - 1,
    2**63,
    1.5,
    "x",
    [],
    {},
]


@pytest.mark.parametrize("name", sorted(MIRRORED_FORMATS))
def test_mirrored_formats_give_the_validators_verdict(name: str) -> None:
    from openapi_schema_validator import oas30_format_checker

    assert name in oas30_format_checker.checkers
    for value in FORMAT_SAMPLES:
        assert format_ok(name, value) == oas30_format_checker.conforms(value, name), value


def test_other_formats_are_left_to_the_precise_run() -> None:
    assert not format_ok("date-time", "x") and not format_ok("byte", "x")


def test_a_valid_spec_is_validated_without_importing_openapi_spec_validator() -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from generator.build.admit import admit\n"
        "from generator.build.load import load_spec\n"
        "from generator.build.validate import validate\n"
        f"validate(admit(load_spec(Path({str(SPEC)!r}))))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openapi_spec_validator', 'openapi_schema_validator', 'jsonschema')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "NORCE_CODEGEN_CACHE": "/nonexistent/no-verdicts-here"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
