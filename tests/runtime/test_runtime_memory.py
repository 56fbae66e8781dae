"""Bombs and huge bodies against a client call in a child process: our error, little memory.

Each case runs one GET in a fresh interpreter (`limits_child.py`, address space
capped at 1 GiB) against a loopback FaultServer and reads the child's peak RSS
from `getrusage`. The child's own baseline (Python, httpx, pydantic) is about
40 MB; the default 32 MiB size limit is what a call may add.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from runtime_helpers import (  # noqa: F401 - fixtures
    Handler,
    deep_json,
    fault_server_fixture,
    gzip_bomb,
    huge_body,
    nested_gzip,
    run_child,
)

PEAK_RSS_MIB = 100

CASES: dict[str, tuple[Callable[[], Handler], str]] = {
    # A 1 MB gzip that inflates to 1 GiB: read up to the 32 MiB limit.
    "gzip-bomb-200": (lambda: gzip_bomb(200), "ResponseTooLargeError"),
    # The same as an error body: cut at 1 MiB, the status error still raised.
    "gzip-bomb-404": (lambda: gzip_bomb(404), "NotFoundError"),
    "gzip-gzip-200": (lambda: nested_gzip(200), "APIConnectionError"),
    "gzip-gzip-two-headers": (lambda: nested_gzip(200, split=True), "APIConnectionError"),
    # Refused as an error body too, but the status error still comes (without a body).
    "gzip-gzip-500": (lambda: nested_gzip(500), "InternalServerError"),
    # 200 MB without Content-Length: only counting can stop it.
    "huge-200": (lambda: huge_body(200), "ResponseTooLargeError"),
    "huge-declared-200": (lambda: huge_body(200, declared=True), "ResponseTooLargeError"),
    "huge-503": (lambda: huge_body(503), "InternalServerError"),
    "deep-json-200": (lambda: deep_json(200), "APIResponseValidationError"),
    "deep-json-404": (lambda: deep_json(404), "NotFoundError"),
}


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_body_costs_little_memory_and_raises_ours(
    fault_server, case: str, kind: str
) -> None:
    make, expected = CASES[case]
    server = fault_server(make())

    report = run_child(kind, server.url, {})

    assert expected in report["mro"], report
    assert "NorceError" in report["mro"]
    assert report["maxrss_mib"] < PEAK_RSS_MIB, report


def test_the_limit_is_what_bounds_memory(fault_server) -> None:
    """A smaller limit, a smaller peak: the bound is ours, not luck of chunk sizes."""
    server = fault_server(gzip_bomb(200))

    small = run_child("sync", server.url, {"max_response_size": 1 << 20})
    large = run_child("sync", server.url, {"max_response_size": 64 << 20})

    assert "ResponseTooLargeError" in small["mro"]
    assert "ResponseTooLargeError" in large["mro"]
    assert large["maxrss_mib"] - small["maxrss_mib"] > 40, (small, large)
