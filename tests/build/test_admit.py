"""Admission: the one pass after loading, its policy refusals (file + pointer) and what it keeps."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from support import run_generator

from generator.build import verdicts
from generator.build.admit import Admitted, admit
from generator.build.admit.policy import MAX_ALLOF_DEPTH, foreign_letter
from generator.build.load import load_spec
from generator.build.pipeline import build
from generator.build.validate import validate
from generator.diagnostics import SpecError
from generator.settings import load_settings


def _spec(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A one-operation spec: GET /things/{thingId} returning Thing, PUT taking it."""
    ref = {"$ref": "#/components/schemas/Thing"}
    path_param = {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things/{thingId}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [path_param],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": ref}},
                        }
                    },
                },
                "put": {
                    "operationId": "putThing",
                    "parameters": [path_param],
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        "components": {"schemas": schemas},
    }
    spec.update(extra)
    return spec


def _thing(**properties: Any) -> dict[str, Any]:
    return {"Thing": {"type": "object", "properties": properties}}


def _write(tmp_path: Path, spec: dict[str, Any], name: str = "spec.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(spec), "utf-8")
    return path


def _admit(tmp_path: Path, spec: dict[str, Any]) -> Admitted:
    return admit(load_spec(_write(tmp_path, spec)))


def _refusals(tmp_path: Path, spec: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as caught:
        _admit(tmp_path, spec)
    return [(d.pointer, d.message) for d in caught.value.diagnostics]


# --- extensions that choose code -------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["x-python-type", "x-python-import", "customTypePath", "customBasePath", "x-is-base-class"],
)
def test_extensions_that_choose_types_imports_or_bases_are_refused(
    tmp_path: Path, key: str
) -> None:
    schemas = _thing(name={"type": "string", key: "pydantic.ImportString"})
    schemas["Thing"][key] = "subprocess.Popen"
    refusals = _refusals(tmp_path, _spec(schemas))
    assert [p for p, _ in refusals] == [
        f"#/components/schemas/Thing/properties/name/{key}",
        f"#/components/schemas/Thing/{key}",
    ]
    assert all("choose Python types, imports or base classes" in m for _, m in refusals)


def test_extension_names_as_property_names_or_example_data_are_not_instructions(
    tmp_path: Path,
) -> None:
    example = {"x-python-type": "pydantic.ImportString", "customBasePath": "os.system"}
    schemas = _thing(
        customTypePath={"type": "string"},
        **{"x-python-type": {"type": "object", "example": example}},
    )
    admitted = _admit(tmp_path, _spec(schemas))
    properties = admitted.data["components"]["schemas"]["Thing"]["properties"]
    assert properties["x-python-type"]["example"] == example


# --- bounded work: patterns, allOf chains, $ref loops ---------------------------------------


def test_patterns_the_linear_engine_refuses_are_dropped_with_a_note(tmp_path: Path) -> None:
    schemas = _thing(
        ahead={"type": "string", "pattern": "^(?=a)a+$"},
        twice={"type": "string", "pattern": r"(ab)\1"},
        kept={"type": "string", "pattern": "^(a+)+$"},
    )
    result = build(_write(tmp_path, _spec(schemas)), load_settings(), formatted=False)
    assert [(n.pointer, n.message.split(":")[0]) for n in result.notes] == [
        ("#/components/schemas/Thing/properties/ahead/pattern", "pattern '^(?=a)a+$' dropped"),
        ("#/components/schemas/Thing/properties/twice/pattern", "pattern '(ab)\\\\1' dropped"),
    ]
    models = result.files["norce_checkout_order/models.py"].decode()
    assert "python-re" not in models and "(?=a)" not in models
    assert "pattern='^(a+)+$'" in models


def test_a_backtracking_pattern_with_a_default_is_checked_in_linear_time(tmp_path: Path) -> None:
    """Python's re needs hours for this; the subprocess timeout is the hang guard."""
    schemas = _thing(name={"type": "string", "pattern": "^(a+)+$", "default": "a" * 60 + "!"})
    run = run_generator(
        "generate", "--spec", str(_write(tmp_path, _spec(schemas))), "--out", str(tmp_path / "out")
    )
    assert run.returncode == 2, run.stderr
    assert "#/components/schemas/Thing/properties/name/default: " in run.stderr
    assert "does not match '^(a+)+$'" in run.stderr


def _allof_chain(levels: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Level0": {"type": "object", "properties": {"p0": {"type": "string"}}}
    }
    for i in range(1, levels):
        schemas[f"Level{i}"] = {
            "allOf": [
                {"$ref": f"#/components/schemas/Level{i - 1}"},
                {"type": "object", "properties": {f"p{i}": {"type": "string"}}},
            ]
        }
    schemas["Thing"] = {"$ref": f"#/components/schemas/Level{levels - 1}"}
    return schemas


def test_allof_chains_up_to_the_limit_are_admitted_and_longer_ones_refused(tmp_path: Path) -> None:
    _admit(tmp_path, _spec(_allof_chain(MAX_ALLOF_DEPTH + 1)))  # Level0 has no allOf
    refusals = _refusals(tmp_path, _spec(_allof_chain(MAX_ALLOF_DEPTH + 2)))
    assert len(refusals) == 1
    pointer, message = refusals[0]
    assert pointer == f"#/components/schemas/Level{MAX_ALLOF_DEPTH + 1}"
    assert message.startswith(f"allOf chain {MAX_ALLOF_DEPTH + 1} levels deep, over the limit")


def test_an_allof_cycle_is_refused_once(tmp_path: Path) -> None:
    schemas = {
        "Thing": {"allOf": [{"$ref": "#/components/schemas/Other"}]},
        "Other": {"allOf": [{"$ref": "#/components/schemas/Thing"}], "type": "object"},
    }
    assert _refusals(tmp_path, _spec(schemas)) == [
        ("#/components/schemas/Thing", "allOf cycle: this schema inherits from itself through $ref")
    ]


def test_a_ref_loop_is_refused_where_it_is_used(tmp_path: Path) -> None:
    spec = _spec(_thing(name={"type": "string"}))
    put = spec["paths"]["/things/{thingId}"]["put"]
    put["requestBody"] = {"$ref": "#/components/requestBodies/A"}
    spec["components"]["requestBodies"] = {
        "A": {"$ref": "#/components/requestBodies/B"},
        "B": {"$ref": "#/components/requestBodies/A"},
    }
    assert _refusals(tmp_path, spec) == [
        (
            "#/paths/~1things~1{thingId}/put/requestBody/$ref",
            "$ref loop #/components/requestBodies/A -> #/components/requestBodies/B -> "
            "#/components/requestBodies/A never reaches a definition",
        )
    ]


def test_a_recursive_request_body_keeps_its_type(tmp_path: Path) -> None:
    tree = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
    schemas = _thing(name={"type": "string"}, children=tree)
    result = build(_write(tmp_path, _spec(schemas)), load_settings(), formatted=False)
    put = next(op for op in result.api.operations if op.method == "PUT")
    assert put.body is not None and put.body.annotation == "models.Thing"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/components/schemas/Nope", "does not resolve (dangling reference)"),
        ("other.yaml#/Thing", "points outside this file"),
        (7, "$ref must be a string"),
    ],
)
def test_refs_must_be_local_and_resolve(tmp_path: Path, ref: object, message: str) -> None:
    refusals = _refusals(tmp_path, _spec(_thing(name={"$ref": ref})))
    assert refusals[0][0] == "#/components/schemas/Thing/properties/name/$ref"
    assert message in refusals[0][1]


# --- names -------------------------------------------------------------------------------------


def test_a_homoglyph_property_name_is_refused(tmp_path: Path) -> None:
    refusals = _refusals(tmp_path, _spec(_thing(name={"type": "string"}, nаme={"type": "string"})))
    assert refusals == [
        (
            "#/components/schemas/Thing/properties/nаme",
            "property name 'nаme' uses U+0430 CYRILLIC SMALL LETTER A; names that become Python "
            "identifiers must use Latin letters (a look-alike gives two names that read the same): "
            "rename it",
        )
    ]


def test_homoglyph_parameter_names_and_operation_ids_are_refused(tmp_path: Path) -> None:
    spec = _spec(_thing(name={"type": "string"}))
    get = spec["paths"]["/things/{thingId}"]["get"]
    get["operationId"] = "getTh\u0456ng"  # Cyrillic i
    get["parameters"].append({"name": "ѕort", "in": "query", "schema": {"type": "string"}})
    pointers = [p for p, _ in _refusals(tmp_path, spec)]
    assert pointers == [
        "#/paths/~1things~1{thingId}/get/operationId",
        "#/paths/~1things~1{thingId}/get/parameters/1/name",
    ]


@pytest.mark.parametrize("name", ["café", "größe", "ærøskøbing", "naïve_id", "ﬁle", "x-merchant"])
def test_latin_names_with_accents_are_fine(name: str) -> None:
    assert foreign_letter(name) is None


@pytest.mark.parametrize("name", ["nаme", "ρrice", "օrder", "ɑmount", "x\u0661"])
def test_look_alikes_from_other_scripts_are_named(name: str) -> None:
    assert foreign_letter(name) is not None


# --- keys and values YAML gives us that JSON does not have -------------------------------------


def test_yaml_numbers_and_dates_become_json_strings(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
        "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n"
        "        200:\n          description: ok\n"
        "components:\n  schemas:\n    Thing:\n      type: string\n      example: 2024-01-31\n",
        "utf-8",
    )
    admitted = admit(load_spec(path))
    assert list(admitted.data["paths"]["/x"]["get"]["responses"]) == ["200"]
    assert admitted.data["components"]["schemas"]["Thing"]["example"] == "2024-01-31"
    assert json.loads(admitted.json_text) == admitted.data


def test_boolean_keys_are_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n"
        "        on: {type: string}\n",
        "utf-8",
    )
    with pytest.raises(SpecError) as caught:
        admit(load_spec(path))
    assert str(caught.value) == (
        f"{path}#/components/schemas/Thing/properties: key True is a bool, not a string (YAML reads "
        "unquoted yes/no/on/off/true/false as booleans); quote it"
    )


# --- the admitted document ---------------------------------------------------------------------


def test_the_admitted_document_is_what_every_later_stage_reads(tmp_path: Path) -> None:
    spec = _spec(_thing(name={"type": "string", "description": "Its\u202e name.\r\nSecond line."}))
    admitted = _admit(tmp_path, spec)
    with pytest.raises(dataclasses.FrozenInstanceError):
        admitted.data = {}  # type: ignore[misc]
    name = admitted.data["components"]["schemas"]["Thing"]["properties"]["name"]
    assert name["description"] == "Its name.\nSecond line."  # invisible characters cleaned once
    result = build(_write(tmp_path, spec, "again.json"), load_settings(), formatted=False)
    assert isinstance(result.doc, Admitted)
    assert result.doc.data == admitted.data


def test_the_pointer_index_names_the_longest_spec_string_in_code(tmp_path: Path) -> None:
    schemas = _thing(name={"type": "string", "description": "The name of the thing"})
    pointers = _admit(tmp_path, _spec(schemas)).pointers
    code = 'name: str = Field(description="The name of the thing")'
    assert pointers.find(code) == "#/components/schemas/Thing/properties/name/description"
    assert pointers.find("nothing from the spec here") == "#"
    assert pointers.of_name("Thing") == "#/components/schemas/Thing"
    assert pointers.of_name("Name") == "#/components/schemas/Thing/properties/name"


# --- validation verdicts ---------------------------------------------------------------------


def test_a_validation_verdict_is_kept_and_a_corrupt_one_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(verdicts.CACHE_ENV, str(tmp_path / "cache"))
    valid = _admit(tmp_path, _spec(_thing(name={"type": "string"})))
    validate(valid)
    key = verdicts.verdict_key(valid.json_text)
    assert verdicts.known_valid(key) and (tmp_path / "cache" / "validation" / key).is_file()

    # An invalid spec whose verdict says "valid" passes: the validator did not run again ...
    broken = _admit(tmp_path, _spec(_thing(name={"type": "string", "maxLength": "ten"})))
    with pytest.raises(SpecError, match="'ten' is not of type 'integer'"):
        validate(broken)
    entry = tmp_path / "cache" / "validation" / verdicts.verdict_key(broken.json_text)
    assert not entry.exists()  # refusals are not kept
    verdicts.remember_valid(entry.name)
    validate(broken)
    # ... and a truncated entry is a miss: the validator runs and refuses it.
    entry.write_bytes(entry.read_bytes()[:-1])
    with pytest.raises(SpecError, match="'ten' is not of type 'integer'"):
        validate(broken)
