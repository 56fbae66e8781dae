"""The Python example on every operation page runs against a loopback server and sends a valid call."""

from __future__ import annotations

import enum
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

import pydantic
import pytest
from norce_checkout_order import models, operations
from support import GENERATED
from werkzeug import Response

PAGES = sorted((GENERATED / "norce_checkout_order" / "docs" / "operations").glob("*.md"))


def minimal_json(tp: Any) -> Any:
    """The smallest JSON value that validates as ``tp``: required fields only, placeholder values."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        return minimal_json(typing.get_args(tp)[0])
    if origin is typing.Annotated:
        return minimal_json(typing.get_args(tp)[0])
    if origin in (list, dict):
        return [] if origin is list else {}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(iter(tp)).value
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return {
            (field.alias or name): minimal_json(field.annotation)
            for name, field in tp.model_fields.items()
            if field.is_required()
        }
    return {str: "x", int: 0, float: 0.0, bool: True}.get(tp, None)


def _example(page: Path) -> str:
    match = re.search(r"```python\n(.*?)```", page.read_text("utf-8"), re.DOTALL)
    assert match, f"{page.name} has no Python example"
    return match[1]


def test_there_is_a_page_per_operation() -> None:
    assert {p.stem for p in PAGES} == set(operations.__all__)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_example_runs(page: Path, client: Any, httpserver: Any) -> None:
    code = _example(page)
    # The same call against `operations` gives the Request, which says what a 2xx reply must hold.
    call = code.split("\n\n", 1)[1]
    request = eval(
        call.replace("client.", "operations.", 1), {"operations": operations, "models": models}
    )
    if request.response_type is None:
        response = Response(status=204)
    else:
        reply = json.dumps(minimal_json(request.response_type))
        response = Response(reply, status=200, content_type="application/json")
    httpserver.expect_oneshot_request(
        re.compile(".*"), method=request.method
    ).respond_with_response(response)

    exec(code, {"client": client})

    httpserver.check_assertions()
