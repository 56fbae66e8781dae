"""Two operationIds that snake-case alike (``GetOrder`` and ``get_order``) get methods that depend
on neither the spec's order nor, where the rule allows, on which one came first: the operationId
already spelled in snake_case keeps the bare name; the other is suffixed, with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build.pipeline import build
from generator.settings import load_settings

_NO_CONTENT = {"204": {"description": "No content"}}


def _operation(operation_id: str) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "responses": _NO_CONTENT}}


def _names(folder: Path, paths: dict[str, Any]) -> dict[str, str]:
    """Path -> the method name its GET operation gets."""
    data = {
        "openapi": "3.0.3",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Unused": {"type": "object"}}},  # DCG wants one schema
    }
    spec = folder / f"spec-{len(list(folder.iterdir()))}.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    api = build(spec, load_settings(), formatted=False).api
    return {op.path: op.python_name for op in api.operations}


CAMEL = {"/orders/camel": _operation("GetOrder")}
SNAKE = {"/orders/snake": _operation("get_order")}
LOWER_CAMEL = {"/orders/lower": _operation("getOrder")}


@pytest.mark.parametrize(
    "paths",
    [CAMEL | SNAKE | LOWER_CAMEL, LOWER_CAMEL | SNAKE | CAMEL, SNAKE | LOWER_CAMEL | CAMEL],
    ids=["camel-first", "lower-first", "snake-first"],
)
def test_the_snake_case_spelling_keeps_the_bare_name_in_any_order(
    paths: dict[str, Any], tmp_path: Path
) -> None:
    assert _names(tmp_path, paths) == {
        "/orders/snake": "get_order",
        "/orders/camel": "get_order_2",  # "GetOrder" sorts before "getOrder"
        "/orders/lower": "get_order_3",
    }


def test_adding_a_camel_case_twin_leaves_the_existing_method_alone(tmp_path: Path) -> None:
    assert _names(tmp_path, SNAKE) == {"/orders/snake": "get_order"}
    # A later build adds GetOrder, listed first: get_order stays the same method.
    assert _names(tmp_path, CAMEL | SNAKE) == {
        "/orders/snake": "get_order",
        "/orders/camel": "get_order_2",
    }


def test_the_suffixed_method_is_announced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one case the rule cannot keep stable (get_order added after GetOrder) is not silent."""
    assert _names(tmp_path, CAMEL) == {"/orders/camel": "get_order"}
    assert _names(tmp_path, CAMEL | SNAKE) == {
        "/orders/snake": "get_order",
        "/orders/camel": "get_order_2",
    }
    warnings = [line for line in capsys.readouterr().err.splitlines() if "GetOrder" in line]
    assert len(warnings) == 1, warnings
    assert warnings[0].endswith(
        "#/paths/~1orders~1camel/get/operationId: operationId 'GetOrder' is 'get_order' in "
        "Python, like another operation's; its method is named 'get_order_2' (rename the "
        "operationId to choose)"
    )
