"""The pure retry decisions."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from _norce_runtime._constants import RETRY_AFTER_CAP
from _norce_runtime._retry import (
    RetryPolicy,
    backoff_delay,
    parse_retry_after,
    retry_delay,
    should_retry_error,
)
from hypothesis import given
from hypothesis import strategies as st

NOW = 1_800_000_000.0
POLICY = RetryPolicy()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
        ({"retry-after": email.utils.formatdate(NOW - 60, usegmt=True)}, 0.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


def test_retry_after_within_cap_is_honoured_exactly() -> None:
    assert retry_delay(0, RETRY_AFTER_CAP, POLICY, 0.9) == RETRY_AFTER_CAP
    assert retry_delay(5, 0.0, POLICY, 0.9) == 0.0


def test_retry_after_above_cap_gives_up() -> None:
    assert retry_delay(0, RETRY_AFTER_CAP + 0.001, POLICY, 0.0) is None


@given(retries=st.integers(0, 10_000), rand=st.floats(0, 1, exclude_max=True))
def test_backoff_is_bounded(retries: int, rand: float) -> None:
    nominal = min(POLICY.initial_delay * 2 ** min(retries, 32), POLICY.max_delay)

    delay = backoff_delay(retries, POLICY, rand)

    assert nominal * (1 - POLICY.jitter) <= delay <= nominal <= POLICY.max_delay


def test_backoff_grows() -> None:
    assert [backoff_delay(n, POLICY, 0.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


REQUEST = httpx.Request("POST", "https://x.example")


@pytest.mark.parametrize(
    ("error", "idempotent", "non_idempotent"),
    [
        (httpx.ConnectError("refused", request=REQUEST), True, True),
        (httpx.ConnectTimeout("slow", request=REQUEST), True, True),
        (httpx.PoolTimeout("busy", request=REQUEST), True, True),
        (httpx.ReadTimeout("slow", request=REQUEST), True, False),
        (httpx.ReadError("reset", request=REQUEST), True, False),
        (httpx.RemoteProtocolError("cut", request=REQUEST), True, False),
        (httpx.LocalProtocolError("bad header", request=REQUEST), False, False),
        (httpx.DecodingError("gzip", request=REQUEST), False, False),
    ],
)
def test_should_retry_error(
    error: httpx.RequestError, idempotent: bool, non_idempotent: bool
) -> None:
    # Failures before the request left can be retried for every method.
    assert should_retry_error(error, may_retry=True) is idempotent
    assert should_retry_error(error, may_retry=False) is non_idempotent
