"""Regenerating after an additive or unrelated spec change leaves the existing Python API intact.

Users regenerate on every Norce build; this is the contract they rely on. Each variant below is a
kind of change Norce can ship without breaking anyone on the wire. Each is generated once, imported,
and its API (``stability_support.snapshot``) held to the base's with ``stability_support.compare``.
Every variant also checks that its edit really reached the API (or, for pure noise, that nothing
at all was added), so a variant that silently stopped applying fails instead of passing vacuously.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from stability_support import Builds, Comparison, compare
from support import SPEC, load_yaml

from generator.build.validate import HTTP_METHODS
from generator.settings import load_settings

Edit = Callable[[dict[str, Any]], None]
Check = Callable[[Comparison], None]
ORDER = "/api/v0/checkout/orders/{order_id}"
COMMON_HEADERS = [
    {"name": "x-merchant", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "x-channel", "in": "header", "required": True, "schema": {"type": "string"}},
]


def _operations(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in data["paths"].values():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield item[method]


def _schemas(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from data["components"]["schemas"].values()


def _ok_response(ref: str | None = None) -> dict[str, Any]:
    if ref is None:
        return {"200": {"description": "OK"}}
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


# --- the variants -------------------------------------------------------------------------------


def new_operation_with_common_headers(data: dict[str, Any]) -> None:
    # x-merchant optional here and x-adapterid absent: neither may touch the client or other methods.
    headers = copy.deepcopy(COMMON_HEADERS)
    headers[0]["required"] = False
    data["paths"][f"{ORDER}/notes"] = {
        "get": {
            "tags": ["Checkout"],
            "operationId": "GetCheckoutOrderNotes",
            "parameters": [
                *headers,
                {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "responses": _ok_response("Order"),
        }
    }


def new_operation_without_common_headers(data: dict[str, Any]) -> None:
    data["paths"]["/api/v0/health"] = {
        "get": {"operationId": "GetHealth", "summary": "Health check", "responses": _ok_response()}
    }


def new_operation_without_operation_id(data: dict[str, Any]) -> None:
    data["paths"]["/api/v0/status"] = {"get": {"responses": _ok_response()}}


def new_schema(data: dict[str, Any]) -> None:
    data["components"]["schemas"] = {
        "Loyalty": {
            "type": "object",
            "properties": {
                "level": {"type": "string", "enum": ["bronze", "silver", "gold"]},
                "points": {"type": "integer"},
                "address": {"$ref": "#/components/schemas/Address"},
                "type": {"type": "string"},
            },
        },
        **data["components"]["schemas"],
    }


def new_optional_property_everywhere(data: dict[str, Any]) -> None:
    for schema in _schemas(data):
        if "properties" in schema:
            schema["properties"]["loyaltyNote"] = {"type": "string", "description": "New."}


def new_enum_value(data: dict[str, Any]) -> None:
    for schema in _schemas(data):
        if "enum" in schema:
            schema["enum"].append("futureValue")


def reordered(data: dict[str, Any]) -> None:
    data["paths"] = dict(reversed(list(data["paths"].items())))
    data["components"]["schemas"] = dict(reversed(list(data["components"]["schemas"].items())))
    data["tags"].reverse()
    for schema in _schemas(data):
        if "properties" in schema:
            schema["properties"] = dict(reversed(list(schema["properties"].items())))
        if "enum" in schema:
            schema["enum"].reverse()
    for op in _operations(data):
        op.get("parameters", []).reverse()
        op["responses"] = dict(reversed(list(op["responses"].items())))


def reworded_prose(data: dict[str, Any]) -> None:
    def reword(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary", "title") and isinstance(value, str):
                    node[key] = value + " (reworded)"
                else:
                    reword(value)
        elif isinstance(node, list):
            for item in node:
                reword(item)

    reword(data)  # servers' descriptions too: environment names must not follow them


def new_response_status(data: dict[str, Any]) -> None:
    error = {"$ref": "#/components/schemas/BaseError"}
    for op in _operations(data):
        op["responses"]["429"] = {
            "description": "Too many requests",
            "content": {"application/json": {"schema": error}},
        }
        op["responses"]["default"] = {"description": "Unexpected error"}


def new_optional_query_parameter(data: dict[str, Any]) -> None:
    for op in _operations(data):
        op.setdefault("parameters", []).append(
            {"name": "expand", "in": "query", "schema": {"type": "string"}}
        )


def new_tag(data: dict[str, Any]) -> None:
    data["tags"].insert(0, {"name": "Audit", "description": "Audit trail"})
    for op in _operations(data):
        op["tags"] = ["Audit", *op.get("tags", [])]


def new_optional_header_parameter(data: dict[str, Any]) -> None:
    for op in _operations(data):
        op.setdefault("parameters", []).append(
            {"name": "x-request-source", "in": "header", "schema": {"type": "string"}}
        )


def new_server(data: dict[str, Any]) -> None:
    data["servers"].insert(
        0,
        {
            "url": "https://{slug}.api-se.sandbox.norce.tech/checkout/order/",
            "description": "Sandbox",
        },
    )


# --- what each variant must show ------------------------------------------------------------------


def nothing_added(result: Comparison) -> None:
    assert (result.added, result.widened) == ([], [])


def adds(*names: str, widened: tuple[str, ...] = ()) -> Check:
    def check(result: Comparison) -> None:
        assert set(names) <= set(result.added), sorted(result.added)[:20]
        assert result.widened == list(widened)

    return check


def adds_everywhere(suffix: str, at_least: int) -> Check:
    def check(result: Comparison) -> None:
        hits = [name for name in result.added if name.endswith(suffix)]
        assert len(hits) >= at_least, sorted(result.added)[:20]
        assert result.widened == []

    return check


def widens_enum_parameters(result: Comparison) -> None:
    assert "OrderClient.get_checkout_orders(order_by)" in result.widened
    assert "OrderClient.get_checkout_orders(status)" in result.widened
    assert "models.OrderStatus.future_value" in result.added


VARIANTS: dict[str, tuple[Edit, Check]] = {
    "new operation with the common headers": (
        new_operation_with_common_headers,
        adds("OrderClient.get_checkout_order_notes", "operations.get_checkout_order_notes"),
    ),
    "new operation without the common headers": (
        new_operation_without_common_headers,
        adds("OrderClient.get_health", "AsyncOrderClient.get_health"),
    ),
    "new operation without an operationId": (
        new_operation_without_operation_id,
        adds("OrderClient.get_api_v0_status"),
    ),
    "new schema": (new_schema, adds("models.Loyalty")),
    "new optional property everywhere": (
        new_optional_property_everywhere,
        adds("models.OrderResponse.loyalty_note", "models.Address.loyalty_note"),
    ),
    "new enum value": (new_enum_value, widens_enum_parameters),
    "reordered paths, schemas, properties, parameters, responses, tags, enum values": (
        reordered,
        nothing_added,
    ),
    "reworded prose": (reworded_prose, nothing_added),
    "new response status": (new_response_status, nothing_added),
    "new optional query parameter": (
        new_optional_query_parameter,
        adds_everywhere("(expand)", at_least=4 * 33),
    ),
    "new tag": (new_tag, nothing_added),
    "new optional header parameter": (
        new_optional_header_parameter,
        adds_everywhere("(x_request_source)", at_least=4 * 33),
    ),
    "new server": (new_server, adds("ENVIRONMENTS['sandbox']", widened=("Environment",))),
}


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("stability"), load_settings())


@pytest.fixture(scope="session")
def spec_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(SPEC.read_text("utf-8"))
    return data


def write_variant(folder: Path, name: str, data: dict[str, Any], edit: Edit) -> Path:
    changed = copy.deepcopy(data)
    edit(changed)
    path = folder / (name.replace(" ", "_").replace(",", "") + ".yaml")
    path.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize("name", list(VARIANTS))
def test_existing_api_is_unchanged(
    name: str, builds: Builds, spec_data: dict[str, Any], tmp_path: Path
) -> None:
    edit, check = VARIANTS[name]
    base = builds(SPEC)
    variant = builds(write_variant(tmp_path, name, spec_data, edit))
    result = compare(base.api, variant.api)
    assert result.problems == [], "\n".join(result.problems[:40])
    check(result)


def test_the_comparison_sees_breaking_changes(
    builds: Builds, spec_data: dict[str, Any], tmp_path: Path
) -> None:
    """The rule is not vacuous: real breaks in one spec each show up as a problem."""

    def breaking(data: dict[str, Any]) -> None:
        del data["paths"][ORDER]["delete"]  # a method goes away
        address = data["components"]["schemas"]["Address"]["properties"]
        address["givenNames"] = address.pop("givenName")  # a field is renamed
        listing = data["paths"]["/api/v0/checkout/orders"]["get"]["parameters"]
        next(p for p in listing if p["name"] == "limit")["required"] = True  # a keyword required
        order_by = data["components"]["schemas"]["OrderListOrderBy"]
        order_by["enum"].remove("cartTotal")  # an accepted value goes away
        data["servers"][1]["url"] = "https://{slug}.stage.example/"  # an environment moves

    base = builds(SPEC)
    problems = compare(
        base.api, builds(write_variant(tmp_path, "breaking", spec_data, breaking)).api
    )
    text = "\n".join(problems.problems)
    for expected in (
        "OrderClient.delete_checkout_order: removed",
        "AsyncOrderClient.delete_checkout_order: removed",
        "operations.delete_checkout_order: removed",
        "models.Address.given_name: removed",
        "OrderClient.get_checkout_orders(limit): KEYWORD_ONLY = None became KEYWORD_ONLY = required",
        "OrderClient.get_checkout_orders(order_by): type",
        "models.OrderListOrderBy.cart_total",
        "ENVIRONMENTS['stage']: ",
    ):
        assert expected in text, f"{expected!r} not reported:\n{text}"
