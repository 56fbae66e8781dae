"""Shared test fixtures: the generated package on sys.path, the spec, and a client on a loopback server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
GENERATED = ROOT / "generated"
SEEDS = Path(__file__).resolve().parent / "seeds"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

API_KEY = "test-secret-key-7f3a"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture()
def client(httpserver: Any) -> Iterator[Any]:
    """A sync OrderClient pointed at pytest-httpserver (127.0.0.1, random port)."""
    from norce_checkout_order import OrderClient

    with OrderClient(
        api_key=API_KEY,
        merchant="norce",
        channel="1",
        base_url=httpserver.url_for("/checkout/order/"),
        max_retries=0,
    ) as instance:
        yield instance
