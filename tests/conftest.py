"""Shared test fixtures: the generated package on sys.path, the spec, and a client on a loopback server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from support import API_KEY

from generator.settings import CACHE_ENV, cache_root

# Every generation in the suite, in process or in a subprocess (the CLI, the README's checkout copy),
# shares one content-addressed build cache: it can only save time, never change output.
os.environ.setdefault(CACHE_ENV, str(cache_root()))


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
