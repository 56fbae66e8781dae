"""Client-level headers are configuration: who sends them, who takes an override, on the wire.

A small spec (written here) with one operation declaring two of the three configured headers (one
in another letter case), one declaring none and lacking an operationId, and one whose query
parameter is called ``body`` next to a request body. Its client talks to a loopback server.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from stability_support import Builds, Generated

from generator.diagnostics import SpecError
from generator.settings import load_settings

SETTINGS = {
    **load_settings(),
    "header-names": {"x-merchant": "merchant", "x-channel": "channel", "x-adapterid": "adapter_id"},
    "required-headers": ["x-merchant"],
}
_STRING = {"type": "string"}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1"},
    "servers": [{"url": "https://things.example/", "description": "Production"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "GetThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": _STRING},
                    {"name": "X-Merchant", "in": "header", "required": True, "schema": _STRING},
                    {"name": "x-channel", "in": "header", "schema": _STRING},
                ],
                "responses": {"204": {"description": "No content"}},
            }
        },
        "/health": {"get": {"responses": {"204": {"description": "No content"}}}},
        "/things": {
            "post": {
                "operationId": "CreateThing",
                "parameters": [{"name": "body", "in": "query", "schema": _STRING}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                    },
                },
                "responses": {"204": {"description": "No content"}},
            }
        },
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"name": _STRING}}},
    },
}


@pytest.fixture(scope="module")
def things(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("things")
    spec = folder / "things.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), "utf-8")
    return Builds(folder, SETTINGS)(spec)


@pytest.fixture()
def client(things: Generated, httpserver: Any) -> Any:
    with things.package.OrderClient(
        api_key="k",
        merchant="m1",
        channel="c1",
        adapter_id="a1",
        base_url=httpserver.url_for("/"),
        max_retries=0,
    ) as instance:
        yield instance


def _headers_of(httpserver: Any, call: Any) -> dict[str, str]:
    httpserver.clear()
    for path in ("/things/1", "/health", "/things"):
        httpserver.expect_request(path).respond_with_data("", status=204)
    call()
    request, _ = httpserver.log[-1]
    return {k.lower(): v for k, v in request.headers.items()}


def test_configured_headers_are_constructor_arguments(things: Generated) -> None:
    init = inspect.signature(things.package.OrderClient.__init__).parameters
    assert {"merchant", "channel", "adapter_id"} <= set(init)


def test_an_operation_sends_only_the_client_headers_it_declares(
    client: Any, httpserver: Any
) -> None:
    sent = _headers_of(httpserver, lambda: client.get_thing("1"))
    assert (sent["x-merchant"], sent["x-channel"]) == ("m1", "c1")
    assert "x-adapterid" not in sent  # configured, but GetThing does not declare it
    sent = _headers_of(httpserver, lambda: client.get_health())
    assert not {"x-merchant", "x-channel", "x-adapterid"} & set(sent)


def test_declared_headers_take_a_per_call_override(client: Any, httpserver: Any) -> None:
    sent = _headers_of(httpserver, lambda: client.get_thing("1", merchant="m2", channel=None))
    assert sent["x-merchant"] == "m2"
    assert "x-channel" not in sent  # None omits the client's value for this call
    thing = inspect.signature(type(client).get_thing).parameters
    assert {"merchant", "channel"} <= set(thing) and "adapter_id" not in thing
    assert not {"merchant", "channel", "adapter_id"} & set(
        inspect.signature(type(client).get_health).parameters
    )


def test_a_parameter_named_body_becomes_body_(client: Any, httpserver: Any) -> None:
    params = inspect.signature(type(client).create_thing).parameters
    assert params["body"].default is inspect.Parameter.empty  # the request body, required
    assert params["body_"].default is None  # the query parameter "body"
    _headers_of(httpserver, lambda: client.create_thing(body={"name": "n"}, body_="q"))
    request, _ = httpserver.log[-1]
    assert request.args.get("body") == "q"
    assert json.loads(request.get_data()) == {"name": "n"}


def test_required_headers_must_be_configured_headers(tmp_path: Path) -> None:
    from generator.build.pipeline import build

    spec = tmp_path / "things.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), "utf-8")
    settings = {**SETTINGS, "required-headers": ["x-merchant", "x-tenant"]}
    with pytest.raises(SpecError) as caught:
        build(spec, settings, formatted=False)
    [problem] = caught.value.diagnostics
    assert problem.pointer == "#/tool/norce-codegen/required-headers"
    assert "x-tenant" in problem.message
