"""Retry behaviour against a real loopback server, sync and async."""

from __future__ import annotations

import pytest
from _norce_runtime.errors import APIConnectionError, InternalServerError, RateLimitError
from runtime_helpers import (  # noqa: F401 - fixtures
    Runner,
    elapsed,
    fault_server_fixture,
    get_order,
    post_order,
    reset,
    runner_fixture,
    script,
)
from werkzeug import Response

ORDER = '{"id": "o1"}'


def _unavailable(retry_after: str | None = None) -> Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Response('{"code": "busy"}', 503, headers=headers, content_type="application/json")


def test_get_succeeds_after_two_503s(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable(), _unavailable(), Response(ORDER, 200)])

    raw = runner.send(httpserver_ipv4.url_for(""), get_order(response_type=dict), raw=True)

    assert raw.parse() == {"id": "o1"}
    assert raw.retries_taken == 2
    assert len(httpserver_ipv4.log) == 3


def test_get_gives_up_after_max_retries(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable()])

    with pytest.raises(InternalServerError) as caught:
        runner.send(httpserver_ipv4.url_for(""), get_order(), max_retries=1)

    assert caught.value.status_code == 503
    assert len(httpserver_ipv4.log) == 2


def test_per_call_max_retries_overrides_client(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable()])

    with pytest.raises(InternalServerError):
        runner.send(httpserver_ipv4.url_for(""), get_order(), {"max_retries": 0}, max_retries=5)

    assert len(httpserver_ipv4.log) == 1


def test_post_is_not_retried(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable(), Response('"o1"', 201)])

    with pytest.raises(InternalServerError):
        runner.send(httpserver_ipv4.url_for(""), post_order({"a": 1}, str))

    assert [request.method for request, _ in httpserver_ipv4.log] == ["POST"]


def test_post_opted_in_is_retried(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable(), _unavailable(), Response('"o1"', 201)])

    result = runner.send(
        httpserver_ipv4.url_for(""), post_order({"a": 1}, str), {"retry_non_idempotent": True}
    )

    assert result == "o1"
    assert [request.method for request, _ in httpserver_ipv4.log] == ["POST"] * 3


@pytest.mark.parametrize("status", [400, 401, 404, 409, 422, 500])
def test_other_statuses_are_not_retried(status: int, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response("{}", status=status)])

    with pytest.raises(Exception):  # noqa: B017 - the class is tested in test_runtime_errors
        Runner("sync").send(httpserver_ipv4.url_for(""), get_order())

    assert len(httpserver_ipv4.log) == 1


def test_retry_after_seconds_is_waited(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [_unavailable("1"), Response(ORDER, 200)])

    took, result = elapsed(
        lambda: runner.send(httpserver_ipv4.url_for(""), get_order(response_type=dict))
    )

    assert result == {"id": "o1"}
    assert took >= 1.0  # waited as asked; a lower bound, which load cannot break


def test_retry_after_above_cap_raises_at_once(runner: Runner, httpserver_ipv4) -> None:
    # The cap is RETRY_AFTER_CAP (10 s); the server asks for an hour.
    script(
        httpserver_ipv4,
        [Response("{}", status=429, headers={"Retry-After": "3600"}), Response(ORDER, 200)],
    )

    _, result = elapsed(lambda: runner.send(httpserver_ipv4.url_for(""), get_order()))

    assert isinstance(result, RateLimitError)
    assert result.retry_after == 3600.0
    assert str(result).endswith(
        "(the server asks to retry after 3600 s, longer than the client waits (10 s): not retried)"
    )
    assert len(httpserver_ipv4.log) == 1  # given up at once: no retry after any wait


def test_rate_limit_error_without_retry_after_says_nothing_of_it(
    runner: Runner, httpserver_ipv4
) -> None:
    script(httpserver_ipv4, [Response("{}", status=429)])

    with pytest.raises(RateLimitError) as caught:
        runner.send(httpserver_ipv4.url_for(""), post_order({"id": "o1"}))  # POST: not retried

    assert caught.value.retry_after is None
    assert "retry after" not in str(caught.value)


def test_connection_reset_is_retried_for_get(runner: Runner, fault_server) -> None:
    server = fault_server(reset)

    with pytest.raises(APIConnectionError):
        runner.send(server.url, get_order())

    assert len(server.requests) == 3  # the first try and DEFAULT_MAX_RETRIES (2)


def test_connection_reset_is_not_retried_for_post(runner: Runner, fault_server) -> None:
    server = fault_server(reset)

    with pytest.raises(APIConnectionError):
        runner.send(server.url, post_order({"a": 1}))

    assert len(server.requests) == 1
