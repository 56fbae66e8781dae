"""The vendored copy works in the other repo: imports and calls from a venv with only httpx + pydantic
(the generator is not importable there), runs its own ``_verify`` with ``-m``, and type-checks."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import mypy_strict
from vendor_support import (
    ROOT,
    cli_fixture,  # noqa: F401 - fixtures
    copy_fixture,  # noqa: F401
    fresh_python_fixture,  # noqa: F401
    minimum_python_fixture,  # noqa: F401
    other_repo_fixture,  # noqa: F401
    reuse_builds_fixture,  # noqa: F401
    run_fresh,
)

from generator.build.requirements import MINIMUM_DEPENDENCIES

SEED = ROOT / "tests" / "seeds" / "004_3d293539723864f2.txt"
# An order as the server sends it: a nested model and a field the spec does not know yet.
ORDER = {
    "id": "o-1",
    "merchant": "norce",
    "channel": "1",
    "state": {"status": "checkout"},
    "someNewField": True,
}

CLIENT_SCRIPT = """
import asyncio, json, sys
from importlib.metadata import version
from acme.norce_order import AsyncOrderClient, NotFoundError, OrderClient, models
from acme.norce_order._logs import logger

base_url, sample = sys.argv[1], json.loads(sys.argv[2])
settings = dict(api_key="k", merchant="norce", channel="1", base_url=base_url, max_retries=0)
with OrderClient(**settings) as client:
    result = client.add_transaction_for_order_payment(
        "o-1", "p-1", body=models.PaymentTransactionRequest(event=models.PaymentEvent.open, amount=0.1))
    order = client.get_checkout_order("o-1")
    try:
        client.get_checkout_order("o-404")
    except NotFoundError as error:
        code = error.code

async def fetch():
    async with AsyncOrderClient(**settings) as client:
        return await client.get_transactions_for_order_payment("o-1", "p-1")

print(json.dumps({
    "type": type(result).__module__ + "." + type(result).__name__,
    "dump": result.model_dump(mode="json", by_alias=True, exclude_unset=True),
    "code": code, "logger": logger.name,
    "order": order.model_dump(mode="json", by_alias=True, exclude_unset=True),
    "async": [t.model_dump(mode="json", by_alias=True, exclude_unset=True) for t in asyncio.run(fetch())],
    "versions": {name: version(name) for name in ("httpx", "pydantic")},
}))
"""


def _sample() -> dict[str, Any]:
    match = re.search(r"\}'(\{ \"event\".*\})\n", SEED.read_text("utf-8"))
    assert match, "response sample not found in the seed page"
    return dict(json.loads(match[1]))


def test_fresh_venv_has_the_client_deps_but_not_the_generator(
    fresh_python: Path, other_repo: Path
) -> None:
    probe = (
        "import importlib.util as u, json; print(json.dumps({n: u.find_spec(n) is not None "
        "for n in ('generator', 'httpx', 'pydantic', 'jinja2', 'datamodel_code_generator')}))"
    )
    result = run_fresh(fresh_python, ["-c", probe], cwd=other_repo, pythonpath=other_repo / "src")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "generator": False,
        "httpx": True,
        "pydantic": True,
        "jinja2": False,
        "datamodel_code_generator": False,
    }


@pytest.mark.parametrize("deps", ["pinned", "minimum"])
def test_vendored_client_calls_a_loopback_server(
    deps: str, request: pytest.FixtureRequest, copy: Path, httpserver: Any
) -> None:
    """With the lock's versions, and with the oldest ones the vendored README promises."""
    python: Path = request.getfixturevalue("fresh_python" if deps == "pinned" else "minimum_python")
    sample = _sample()
    base = "/checkout/order/api/v0/checkout/orders"
    httpserver.expect_oneshot_request(
        f"{base}/o-1/payments/p-1/transactions", method="POST", headers={"x-merchant": "norce"}
    ).respond_with_json(sample)
    httpserver.expect_oneshot_request(f"{base}/o-1", method="GET").respond_with_json(ORDER)
    httpserver.expect_oneshot_request(f"{base}/o-404").respond_with_json(
        {"code": "order-not-found", "message": "no such order"}, status=404
    )
    httpserver.expect_oneshot_request(
        f"{base}/o-1/payments/p-1/transactions", method="GET"
    ).respond_with_json([sample])
    repo = copy.parents[2]
    result = run_fresh(
        python,
        ["-c", CLIENT_SCRIPT, httpserver.url_for("/checkout/order/"), json.dumps(sample)],
        cwd=repo,
        pythonpath=repo / "src",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    versions = report.pop("versions")
    assert report == {
        "type": "acme.norce_order.models.PaymentTransactionResponse",
        "dump": sample,
        "code": "order-not-found",
        "logger": "acme.norce_order",
        "order": ORDER,
        "async": [sample],
    }
    if deps == "minimum":
        assert versions == MINIMUM_DEPENDENCIES
    httpserver.check_assertions()


def test_verify_runs_as_a_module_in_the_other_repo(fresh_python: Path, copy: Path) -> None:
    repo = copy.parents[2]
    ok = run_fresh(
        fresh_python, ["-m", "acme.norce_order._verify"], cwd=repo, pythonpath=repo / "src"
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # -m imports the package first, so tamper with a file that is not imported (script mode,
    # `python path/_verify.py`, also survives edits that break the import).
    (copy / "docs" / "index.md").write_text("tampered\n")
    bad = run_fresh(
        fresh_python,
        ["-m", "acme.norce_order._verify", str(copy)],
        cwd=repo,
        pythonpath=repo / "src",
    )
    assert bad.returncode == 1 and "edited: docs/index.md" in bad.stderr


def test_renamed_copy_passes_mypy_strict(copy: Path, tmp_path: Path) -> None:
    src = copy.parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    result = subprocess.run(
        mypy_strict("-p", "acme.norce_order"),
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
