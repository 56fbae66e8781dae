"""Each operation parses into the class DCG made from its own schema, even when names collide.

``Foo-Bar`` and ``FooBar`` (and ``thing`` and ``Thing``) meet after PascalCase; DCG keeps them apart
with a numeric suffix. The IR reads DCG's schema -> class mapping instead of re-deriving names, so
a client call on a loopback server returns the right class and the docs name it.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from generator.build.pipeline import Result, build
from generator.build.write import write_tree
from generator.settings import load_settings

PACKAGE = "collide_client"


def _get(path: str, schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "get": {
            "operationId": f"get_{path}",
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": ref}}}
            },
        }
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Collide", "version": "1"},
    "servers": [{"url": "http://127.0.0.1/"}],
    "paths": {
        "/dash": _get("dash", "Foo-Bar"),
        "/plain": _get("plain", "FooBar"),
        "/lower": _get("lower", "thing"),
        "/upper": {
            **_get("upper", "Thing"),
            "put": {
                "operationId": "put_upper",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Foo-Bar": {"type": "object", "properties": {"dash": {"type": "string"}}},
            "FooBar": {"type": "object", "properties": {"plain": {"type": "integer"}}},
            "thing": {"type": "object", "properties": {"lower": {"type": "string"}}},
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "upper": {"type": "string"},
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Result, ModuleType]]:
    root = tmp_path_factory.mktemp("collide")
    spec = root / "collide.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    result = build(spec, {**load_settings(), "package": PACKAGE}, formatted=False)
    write_tree(root / "out", result.files)
    sys.path.insert(0, str(root / "out"))
    try:
        yield result, importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_colliding_schemas_get_dcg_suffixes_in_the_ir(generated: tuple[Result, ModuleType]) -> None:
    result, _ = generated
    returns = {op.python_name: op.success_annotation for op in result.api.operations}
    assert returns == {
        "get_dash": "models.FooBar",
        "get_plain": "models.FooBar1",
        "get_lower": "models.Thing",
        "get_upper": "models.Thing1Response",
        "put_upper": "models.Thing1Response",
    }
    put = next(op for op in result.api.operations if op.python_name == "put_upper")
    assert put.body is not None and put.body.annotation == "models.Thing1Request"


def test_each_call_parses_into_its_own_schemas_class(
    generated: tuple[Result, ModuleType], httpserver: Any
) -> None:
    _, package = generated
    models = package.models
    httpserver.expect_request("/dash").respond_with_json({"dash": "d"})
    httpserver.expect_request("/plain").respond_with_json({"plain": 7})
    httpserver.expect_request("/lower").respond_with_json({"lower": "l"})
    httpserver.expect_request("/upper", method="PUT").respond_with_json({"id": "t1", "upper": "u"})
    settings = {"api_key": "k", "merchant": "m", "channel": "c", "max_retries": 0}
    with package.OrderClient(base_url=httpserver.url_for("/"), **settings) as client:
        dash, plain, lower = client.get_dash(), client.get_plain(), client.get_lower()
        upper = client.put_upper(body=models.Thing1Request(upper="u"))
    assert type(dash) is models.FooBar and dash.dash == "d"
    assert type(plain) is models.FooBar1 and plain.plain == 7
    assert type(lower) is models.Thing and lower.lower == "l"
    assert type(upper) is models.Thing1Response and upper.id == "t1"
    sent = json.loads(httpserver.log[-1][0].get_data())
    assert sent == {"upper": "u"}


def test_docs_name_the_real_classes(generated: tuple[Result, ModuleType]) -> None:
    result, _ = generated
    page = result.files[f"{PACKAGE}/docs/operations/get_plain.md"].decode()
    assert "FooBar1" in page
    put_page = result.files[f"{PACKAGE}/docs/operations/put_upper.md"].decode()
    assert "Thing1Request" in put_page and "Thing1Response" in put_page


def test_class_docstrings_name_the_schema_they_come_from(
    generated: tuple[Result, ModuleType],
) -> None:
    _, package = generated
    models = package.models
    assert models.FooBar.__doc__ == "The `Foo-Bar` object."
    assert models.FooBar1.__doc__ == "The `FooBar` object."
    assert models.Thing1Request.__doc__ == (
        "`Thing` as sent in a request: without its read-only fields."
    )
