"""Non-2xx responses become the right APIStatusError, whatever the body."""

from __future__ import annotations

import json

import httpx
import pytest
from _norce_runtime.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    make_status_error,
)
from runtime_helpers import (
    Runner,
    get_order,
    runner_fixture,  # noqa: F401 - fixtures
    script,
)
from werkzeug import Response


def _response(status: int, body: bytes, content_type: str = "application/json", **headers: str):
    request = httpx.Request("GET", "https://x.example/api/v0/checkout/orders/o1")
    return httpx.Response(
        status, content=body, headers={"content-type": content_type, **headers}, request=request
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, ClientError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (520, InternalServerError),
        (302, APIStatusError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    error = make_status_error(_response(status, b"{}"))

    assert type(error) is cls
    assert error.status_code == status


def test_not_found_over_the_wire(runner: Runner, httpserver_ipv4) -> None:
    body = {"code": "order-not-found", "message": "Order with id:o1 not found."}
    script(
        httpserver_ipv4,
        [
            Response(
                json.dumps(body),
                404,
                headers={"x-request-id": "req-42"},
                mimetype="application/json",
            )
        ],
    )

    with pytest.raises(NotFoundError) as caught:
        runner.send(httpserver_ipv4.url_for(""), get_order())

    error = caught.value
    assert (error.code, error.message) == ("order-not-found", "Order with id:o1 not found.")
    assert error.body == body
    assert error.request_id == "req-42"
    assert error.method == "GET"
    assert error.url.endswith("/api/v0/checkout/orders/o1")
    assert error.problem is None
    assert str(error) == (
        f"404 GET {error.url} [order-not-found]: Order with id:o1 not found. (request id req-42)"
    )


def test_problem_json() -> None:
    body = {
        "type": "https://norce.io/problems/conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "Order is completed",
        "instance": "/orders/o1",
        "traceId": "00-abc-01",
    }
    error = make_status_error(_response(409, json.dumps(body).encode(), "application/problem+json"))

    assert isinstance(error, ConflictError)
    assert error.problem is not None
    assert error.problem.type == "https://norce.io/problems/conflict"
    assert (error.problem.status, error.problem.instance) == (409, "/orders/o1")
    assert error.message == "Order is completed"
    assert error.request_id == "00-abc-01"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/json"),
        (b"<html><body>Bad gateway</body></html>", "text/html"),
        (b'{"code": ', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"code": 7, "message": null}', "application/problem+json"),
    ],
)
def test_odd_error_bodies_give_a_clean_error(body: bytes, content_type: str) -> None:
    error = make_status_error(_response(502, body, content_type))

    assert isinstance(error, InternalServerError)
    assert error.code is None
    assert error.message == "Bad Gateway"
    assert str(error).startswith("502 GET https://x.example/")


def test_html_error_over_the_wire(runner: Runner, httpserver_ipv4) -> None:
    script(httpserver_ipv4, [Response("<html>oops</html>", 500, mimetype="text/html")])

    with pytest.raises(InternalServerError) as caught:
        runner.send(httpserver_ipv4.url_for(""), get_order())

    assert caught.value.body is None
    assert caught.value.response.text == "<html>oops</html>"


def test_long_server_message_is_truncated() -> None:
    body = json.dumps({"code": "x", "message": "m" * 5000}).encode()

    error = make_status_error(_response(400, body))

    assert len(error.message) == 500
    assert len(str(error)) < 700
