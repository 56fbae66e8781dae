"""The Python example on every operation page runs against a loopback server, sends what it
shows, passes ``mypy --strict`` as written, and imports only what it uses."""

from __future__ import annotations

import ast
import datetime
import enum
import json
import re
import subprocess
import types
import typing
import uuid
from pathlib import Path
from typing import Any

import pydantic
import pytest
from norce_checkout_order import models, operations
from support import GENERATED, mypy_strict
from werkzeug import Response

PAGES = sorted((GENERATED / "norce_checkout_order" / "docs" / "operations").glob("*.md"))
# What an example may assume: a client (the index page shows how to make one).
PRELUDE = "from norce_checkout_order import OrderClient\n\nclient: OrderClient\n"


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


def _call(code: str) -> str:
    return code[code.index("client.") :]


def test_there_is_a_page_per_operation() -> None:
    assert {p.stem for p in PAGES} == set(operations.__all__)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_example_runs(page: Path, client: Any, httpserver: Any) -> None:
    code = _example(page)
    # The same call against `operations` gives the Request, which says what a 2xx reply must hold.
    request = eval(
        _call(code).replace("client.", "operations.", 1),
        {"operations": operations, "models": models, "datetime": datetime, "uuid": uuid},
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
    (sent, _), *_ = httpserver.log
    body = request.body
    if isinstance(body, list) and body and isinstance(body[0], pydantic.BaseModel):
        body = body[0]
        (sent_json,) = json.loads(sent.data)
    elif isinstance(body, pydantic.BaseModel):
        sent_json = json.loads(sent.data)
    else:
        return
    # What the example built went out, under the wire names.
    assert sent_json == body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    wire = {field.alias or name for name, field in type(body).model_fields.items()}
    assert set(sent_json) <= wire, (page.stem, sent_json)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_example_imports_only_what_it_uses(page: Path) -> None:
    tree = ast.parse(_example(page))
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert imported <= used, f"{page.stem} imports {sorted(imported - used)} without using it"
    assert used - imported <= {"client"}, f"{page.stem} uses {sorted(used - imported)} unimported"


def test_bodies_use_constructors_nested_models_and_enum_members() -> None:
    """What the README teaches, on the pages that have such bodies: not vacuous."""
    billing = _example(
        GENERATED / "norce_checkout_order/docs/operations/update_checkout_order_customer_billing.md"
    )
    assert "models.Address(" in billing and 'given_name="Rosalinainho"' in billing
    assert "type=models.CustomerType.person" in billing  # the spec writes "Person"
    shipping = _example(GENERATED / "norce_checkout_order/docs/operations/create_order_shipping.md")
    assert "total=models.Price(" in shipping  # a nested model, constructed
    codes = [_example(page) for page in PAGES]
    assert not [code for code in codes if "model_validate" in code]
    assert not [code for code in codes if "_id-1" in code]
    assert all('"o_123"' in code for code in codes if "{order_id}" in code or "o_123" in code)


def _mypy(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        mypy_strict(str(folder)),
        cwd=GENERATED,  # the package is found where the user would have it: on the path
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a benchmark
    )


def test_every_example_passes_mypy_strict_as_written(tmp_path: Path) -> None:
    for page in PAGES:
        (tmp_path / f"example_{page.stem}.py").write_text(PRELUDE + _example(page), "utf-8")
    # A control: a misspelt field in one example must be reported, so a green run means something.
    billing = _example(
        GENERATED / "norce_checkout_order/docs/operations/update_checkout_order_customer_billing.md"
    )
    assert "given_name=" in billing
    control = tmp_path / "control_misspelt.py"
    control.write_text(PRELUDE + billing.replace("given_name=", "given_nam="), "utf-8")

    checked = _mypy(tmp_path)

    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    # By file name: mypy re-reports a module's errors from its cache (support.mypy_cache_dir) with
    # the path of the run that cached them, an earlier tmp_path when the file's text is the same.
    assert errors and all(Path(line.split(":")[0]).name == control.name for line in errors), (
        checked.stdout
    )
    assert f"Found {len(errors)} error" in checked.stdout
