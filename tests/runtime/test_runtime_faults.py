"""Transport faults and bad 2xx bodies become typed errors, sync and async."""

from __future__ import annotations

import pytest
from _norce_runtime.errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
)
from pydantic import BaseModel
from runtime_helpers import (  # noqa: F401 - fixtures
    Runner,
    elapsed,
    fault_server_fixture,
    get_order,
    respond,
    runner_fixture,
    stall,
    truncated,
)

# No upper bounds on time: the stalling server gives up after 5 s and closes the connection, so a
# client that ignored its timeout ends with a connection error, not APITimeoutError.


class Order(BaseModel):
    id: str
    total: int


def test_read_timeout_on_stalling_server(runner: Runner, fault_server) -> None:
    server = fault_server(lambda conn, head: None)
    server.handler = stall(server.stop)

    _, result = elapsed(lambda: runner.send(server.url, get_order(), timeout=0.3, max_retries=0))

    assert isinstance(result, APITimeoutError)
    assert "timed out" in str(result)


def test_per_call_timeout_overrides_client(runner: Runner, fault_server) -> None:
    server = fault_server(lambda conn, head: None)
    server.handler = stall(server.stop)

    _, result = elapsed(
        lambda: runner.send(server.url, get_order(), {"timeout": 0.2, "max_retries": 0}, timeout=30)
    )

    assert isinstance(result, APITimeoutError)  # with timeout=30 the server would close first


def test_socket_closed_mid_body(runner: Runner, fault_server) -> None:
    server = fault_server(truncated)

    with pytest.raises(APIConnectionError) as caught:
        runner.send(server.url, get_order(response_type=Order), max_retries=0)

    assert not isinstance(caught.value, APITimeoutError)
    assert "RemoteProtocolError" in str(caught.value)


def test_connection_refused(runner: Runner, fault_server) -> None:
    server = fault_server(truncated)
    server.close()  # nothing listens on the port any more

    with pytest.raises(APIConnectionError):
        runner.send(server.url, get_order(), max_retries=1)


def test_garbage_json_in_200(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b'{"id": "o1", "total": '))

    with pytest.raises(APIResponseValidationError) as caught:
        runner.send(server.url, get_order(response_type=Order))

    assert caught.value.body == '{"id": "o1", "total": '
    assert caught.value.status_code == 200
    assert "GetCheckoutOrder" in str(caught.value)


def test_json_of_the_wrong_shape_in_200(runner: Runner, fault_server) -> None:
    # An array where the spec has an object: no reading of the spec fits (a value that only
    # breaks a rule is kept instead; see test_runtime_tolerant.py).
    server = fault_server(respond(200, b'{"id": "o1", "total": [1, 2]}'))

    with pytest.raises(APIResponseValidationError) as caught:
        runner.send(server.url, get_order(response_type=Order))

    assert "total" in str(caught.value)
    assert caught.value.body == '{"id": "o1", "total": [1, 2]}'


def test_html_in_200(runner: Runner, fault_server) -> None:
    server = fault_server(respond(200, b"<html>proxy login</html>", "text/html"))

    with pytest.raises(APIResponseValidationError) as caught:
        runner.send(server.url, get_order(response_type=Order))

    assert caught.value.body == "<html>proxy login</html>"
