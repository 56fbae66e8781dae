"""A schema with typed ``additionalProperties`` (common in real specs, e.g. RFC 7807 problem details)
generates, passes ``mypy --strict`` and keeps the extra members typed.

DCG writes ``__annotations__ = {"__pydantic_extra__": Dict[str, str]}`` for it, so ``typing.Dict``
is on the models module's allow-list of names (it was refused, which rejected Dialogporten 1.118.6).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from support import generate_and_import, mypy_strict

from generator.settings import load_settings

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Problems", "version": "1"},
    "paths": {
        "/x": {
            "get": {
                "operationId": "getX",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Problem": {
                "type": "object",
                "description": "A problem.",
                "properties": {"title": {"type": "string"}},
                "additionalProperties": {"type": "string"},
            }
        }
    },
}


def test_typed_additional_properties_generate_and_type_check(tmp_path: Path) -> None:
    spec = tmp_path / "problems.yaml"
    spec.write_text(yaml.safe_dump(SPEC), "utf-8")
    package = generate_and_import(spec, load_settings(), tmp_path / "out")
    problem = package.models.Problem.model_validate({"title": "t", "instance": "/orders/1"})
    assert problem.model_extra == {"instance": "/orders/1"}
    checked = subprocess.run(
        mypy_strict("-p", "norce_checkout_order"),
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout
