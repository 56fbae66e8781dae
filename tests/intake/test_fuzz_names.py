"""Property-based: random names and strings in every slot of a small spec never yield unsafe code.

The outcome is either a package that compiles and passes the AST allow-list, or a SpecError. Any
other exception is a bug in the generator (a crash on input we should have refused or escaped).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build.astcheck import check_source, runtime_allowance
from generator.build.pipeline import build
from generator.diagnostics import SpecError
from generator.settings import load_settings

_SPECIALS = st.sampled_from(
    [
        '"""',
        "'''",
        "\\",
        "\\x00",
        "\x00",
        "\u202e",
        "\u2028",
        "\r",
        "{{ 1 }}",
        "__import__('os')",
        "class",
        "model_config",
        "ﬁ",
        "1",
        "-",
        " ",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=6), _SPECIALS), max_size=4).map("".join)
NAME = TEXT.filter(lambda s: s.strip() != "")


def _spec(
    op_id: str, props: list[str], description: str, enum: list[str], default: str
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        name: {"type": "string", "description": description} for name in props
    }
    properties["kind"] = {"type": "string", "enum": enum or ["a"], "default": (enum or ["a"])[0]}
    properties["label"] = {"type": "string", "default": default, "example": default}
    return {
        "openapi": "3.0.3",
        "info": {"title": description or "t", "version": "1", "description": description},
        "paths": {
            "/x/{id}": {
                "post": {
                    "operationId": op_id,
                    "summary": description,
                    "description": description,
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/T"}}
                        }
                    },
                    "responses": {
                        "200": {
                            "description": description or "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/T"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "T": {"type": "object", "description": description, "properties": properties}
            }
        },
    }


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    op_id=NAME,
    props=st.lists(NAME, max_size=4, unique=True),
    description=TEXT,
    enum=st.lists(TEXT, max_size=4, unique=True),
    default=TEXT,
)
def test_random_strings_compile_or_refuse(
    tmp_path: Path, op_id: str, props: list[str], description: str, enum: list[str], default: str
) -> None:
    spec = tmp_path / "fuzz.json"
    spec.write_text(json.dumps(_spec(op_id, props, description, enum, default)), "utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DCG warns about odd formats; not what we test
            result = build(spec, load_settings())
    except SpecError as exc:
        assert exc.diagnostics and all(d.pointer.startswith("#") for d in exc.diagnostics)
        return
    for relpath, data in result.files.items():
        if relpath.endswith(".py"):
            source = data.decode("utf-8")
            assert (
                check_source(source, strict=False, allowed=runtime_allowance(relpath)) == []
            ), relpath
            compile(source, relpath, "exec", dont_inherit=True)
