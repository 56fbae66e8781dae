"""Names in the generated API: derived when the spec has none, bounded where they become files, and
in the docs exactly the names the Python objects carry."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from support import GENERATED, generate_and_import, run_generator

from generator.build.naming import snake_case
from generator.build.operations import doc_path
from generator.build.write import read_tree
from generator.settings import load_settings

_STRING = {"type": "string"}
_NO_CONTENT = {"204": {"description": "No content"}}


def _spec(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        # One schema at least: DCG refuses a spec without any ("Models not found").
        "components": {"schemas": schemas or {"Unused": {"type": "object"}}},
    }


def _write(folder: Path, data: dict[str, Any]) -> Path:
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return spec


def test_an_operation_without_operation_id_is_named_after_method_and_path(tmp_path: Path) -> None:
    spec = _write(
        tmp_path,
        _spec(
            {
                "/api/v0/health": {"get": {"responses": _NO_CONTENT}},
                "/api/v0/things/{id}": {
                    "delete": {
                        "parameters": [
                            {"name": "id", "in": "path", "required": True, "schema": _STRING}
                        ],
                        "responses": _NO_CONTENT,
                    }
                },
            }
        ),
    )
    result = run_generator("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {spec}#/paths/~1api~1v0~1health/get: operation has no operationId; its method "
        "is named 'get_api_v0_health' after its method and path (add an operationId to choose "
        "the name)",
        f"warning: {spec}#/paths/~1api~1v0~1things~1{{id}}/delete: operation has no operationId; "
        "its method is named 'delete_api_v0_things_id' after its method and path (add an "
        "operationId to choose the name)",
    ]
    source = (tmp_path / "out" / "norce_checkout_order" / "operations.py").read_text("utf-8")
    assert "def get_api_v0_health(" in source and "def delete_api_v0_things_id(" in source


def test_the_warning_is_printed_once_per_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.build.pipeline import build

    spec = _write(tmp_path, _spec({"/ping": {"get": {"responses": _NO_CONTENT}}}))
    first = build(spec, load_settings(), formatted=False)
    second = build(spec, load_settings(), formatted=False)  # `diff`, `check` may build twice
    assert first.files == second.files
    assert capsys.readouterr().err.count("operation has no operationId") == 1


def test_derived_names_never_take_a_name_an_operation_id_gives(tmp_path: Path) -> None:
    from generator.build.pipeline import build

    # Without an operationId, GET /ping would be get_ping, which an operationId already claims.
    paths = {
        "/ping": {"get": {"responses": _NO_CONTENT}},
        "/other": {"get": {"operationId": "GetPing", "responses": _NO_CONTENT}},
    }
    names = {
        op.path: op.python_name
        for op in build(
            _write(tmp_path, _spec(paths)), load_settings(), formatted=False
        ).api.operations
    }
    assert names == {"/other": "get_ping", "/ping": "get_ping_2"}


def test_a_very_long_operation_id_gets_a_bounded_unique_page_name(tmp_path: Path) -> None:
    long_a, long_b = "Get" + "Very" * 70 + "LongA", "Get" + "Very" * 70 + "LongB"
    paths = {
        "/a": {"get": {"operationId": long_a, "responses": _NO_CONTENT}},
        "/b": {"get": {"operationId": long_b, "responses": _NO_CONTENT}},
    }
    out = tmp_path / "out"
    result = run_generator(
        "generate", "--spec", str(_write(tmp_path, _spec(paths))), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    pages = {Path(p).name for p in read_tree(out) if "/docs/operations/" in p}
    assert len(pages) == 2 and all(len(name) <= 100 for name in pages)
    # A function of the name alone: the same page name on every build.
    assert {
        doc_path(snake_case(op_id)).removeprefix("operations/") for op_id in (long_a, long_b)
    } == pages
    index = (out / "norce_checkout_order" / "docs" / "index.md").read_text("utf-8")
    assert all(f"(operations/{name})" in index for name in pages)  # the index links the real files


def _page_names(page: Path) -> tuple[str | None, list[str], list[str]]:
    """(body model class, Python names in the body table, Python names in the parameter table)."""
    text = page.read_text("utf-8")
    parameters, _, rest = text.partition("## Body")
    body = re.search(r"^The fields of \[`models\.(\w+)`\]", rest, re.MULTILINE)
    row = re.compile(r"^\| `(\w+)`(?: \(`[^`]+`\))? \|", re.MULTILINE)
    fields = row.findall(rest.partition("## Responses")[0])
    params = row.findall(parameters.partition("## Responses")[0])
    return (body[1] if body else None), fields, params


def _assert_pages_name_real_attributes(package: ModuleType, docs: Path) -> int:
    """Every name a page shows exists on the model or the method; returns how many were checked."""
    checked = 0
    for page in sorted((docs / "operations").glob("*.md")):
        model_name, fields, params = _page_names(page)
        if fields:
            assert model_name, page.name
            model = getattr(package.models, model_name)
            missing = [f for f in fields if f not in model.model_fields]
            assert not missing, f"{page.name} names {missing}, which {model_name} lacks"
        method = re.search(r"^# `(\w+)`", page.read_text("utf-8"), re.MULTILINE)
        assert method, page.name
        signature = inspect.signature(getattr(package.operations, method[1]))
        assert set(params) - {"merchant", "channel", "adapter_id"} <= set(signature.parameters)
        checked += len(fields) + len(params)
    return checked


def test_docs_of_the_norce_package_name_only_real_fields() -> None:
    import norce_checkout_order

    docs = GENERATED / "norce_checkout_order" / "docs"
    assert _assert_pages_name_real_attributes(norce_checkout_order, docs) > 100


def test_docs_use_the_field_names_dcg_chose(tmp_path: Path) -> None:
    # The names the issue found misreported: DCG keeps `type` and `id`, and renames `schema`.
    thing = {
        "type": "object",
        "properties": {
            name: _STRING
            for name in ("type", "id", "schema", "class", "givenName", "model_config", "2fa")
        },
    }
    thing["properties"]["created"] = {"type": "string", "readOnly": True}
    paths = {
        "/things": {
            "post": {
                "operationId": "CreateThing",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    }
                },
                "responses": _NO_CONTENT,
            }
        }
    }
    spec = _write(tmp_path, _spec(paths, {"Thing": thing}))
    package = generate_and_import(spec, load_settings(), tmp_path / "out")
    docs = tmp_path / "out" / "norce_checkout_order" / "docs"
    model_name, fields, _ = _page_names(docs / "operations" / "create_thing.md")
    assert model_name == "ThingRequest"
    assert {"type", "id", "schema_", "given_name"} <= set(fields)
    assert "schema" not in fields and "type_" not in fields and "id_" not in fields
    page = (docs / "operations" / "create_thing.md").read_text("utf-8")
    assert "not fields here (sending one is refused; the server sets them):\n`created`." in page
    assert _assert_pages_name_real_attributes(package, docs) >= 7


def test_parameter_name_clashes_are_settled_independently_of_spec_order(tmp_path: Path) -> None:
    from generator.build.pipeline import build

    params = [
        {"name": "page_size", "in": "query", "schema": _STRING},
        {"name": "page-size", "in": "query", "schema": _STRING},
        {"name": "body", "in": "header", "schema": _STRING},
    ]
    names = []
    for folder, ordered in (("a", params), ("b", params[::-1])):
        (tmp_path / folder).mkdir()
        paths = {
            "/x": {"get": {"operationId": "X", "parameters": ordered, "responses": _NO_CONTENT}}
        }
        [op] = build(
            _write(tmp_path / folder, _spec(paths)), load_settings(), formatted=False
        ).api.operations
        names.append({p.wire_name: p.python_name for p in op.params})
    assert (
        names[0]
        == names[1]
        == {"page-size": "page_size", "page_size": "page_size_2", "body": "body_"}
    )
