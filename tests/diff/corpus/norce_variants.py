"""Variants of the Norce spec for the diff corpus and the diff benchmark.

Each variant is a list of edits applied to the current ``spec/norce-checkout-order.yaml``, so the
variants follow the spec through every ``update-spec``. ``write_variant`` writes one to a file.

No public copy of an older Norce order API build was found (the published pages, NorceTech's
repositories and collections hold only the 2026-01-12 build), so ``2024-like`` is *constructed*:
what the 2024 pages referenced by ``x-reconstructed`` notes suggest (one public host without a
tenant slug, no ``x-adapterid`` header, fewer endpoints, an older schema name), not a real build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Spec = dict[str, Any]
Edit = Callable[[Spec], None]
ORDERS = "/api/v0/checkout/orders"
ORDER = ORDERS + "/{order_id}"
SCHEMAS = "#/components/schemas/"


def _schemas(data: Spec) -> dict[str, Any]:
    schemas: dict[str, Any] = data["components"]["schemas"]
    return schemas


def _operations(data: Spec) -> list[dict[str, Any]]:
    return [op for item in data["paths"].values() for op in item.values() if isinstance(op, dict)]


def _rename_schema(data: Spec, old: str, new: str) -> None:
    schemas = _schemas(data)
    schemas[new] = schemas.pop(old)
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("$ref") == SCHEMAS + old:
                node["$ref"] = SCHEMAS + new
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _build(line: str) -> Edit:
    def edit(data: Spec) -> None:
        data["info"]["description"] = data["info"]["description"].replace(
            "Build 2026-01-12 08:21:29", line
        )

    return edit


# --- the next build: a dozen realistic changes, one or more of each kind issue 12 names --------


def _payment_state_added(data: Spec) -> None:
    _schemas(data)["PaymentState"]["enum"].append("chargedBack")  # response enum grows


def _order_status_removed(data: Spec) -> None:
    _schemas(data)["OrderStatus"]["enum"].remove("removed")  # used in a query and in responses


def _weight_to_string(data: Spec) -> None:
    _schemas(data)["Logistics"]["properties"]["weight"] = {
        "type": "string",
        "description": "Weight of the item with its unit, e.g. '2500 g'.",
    }


def _required_response_removed(data: Spec) -> None:
    del _schemas(data)["Recurring"]["properties"]["token"]  # required, in requests and responses
    _schemas(data)["Recurring"].pop("required")


def _read_only_request_change(data: Spec) -> None:
    # Hook.id is readOnly: a request never sends it, only responses carry it.
    _schemas(data)["Hook"]["properties"]["id"]["type"] = "integer"


def _consent_text_required(data: Spec) -> None:
    _schemas(data)["Consent"]["required"] = ["id", "text"]


def _addon_renamed(data: Spec) -> None:
    _rename_schema(data, "Addon", "ShippingAddon")


def _request_id_header(data: Spec) -> None:
    header = {
        "name": "x-request-id",
        "in": "header",
        "required": False,
        "description": "Correlation id echoed in logs.",
        "schema": {"type": "string"},
    }
    for op in _operations(data):  # a new list: YAML anchors may share one between operations
        op["parameters"] = [*(op.get("parameters") or []), header]


def _hook_delete_removed(data: Spec) -> None:
    del data["paths"][ORDER + "/hooks/{hook_id}"]["delete"]


def _get_order_renamed(data: Spec) -> None:
    data["paths"][ORDER]["get"]["operationId"] = "FetchCheckoutOrder"


def _limit_required(data: Spec) -> None:
    for param in data["paths"][ORDERS]["get"]["parameters"]:
        if param["name"] == "limit":
            param["required"] = True


def _hooks_listed(data: Spec) -> None:
    create = data["paths"][ORDER + "/hooks"]["post"]
    data["paths"][ORDER + "/hooks"]["get"] = {
        "tags": ["Checkout"],
        "summary": "List hooks",
        "operationId": "GetCheckoutOrderHooks",
        "parameters": list(create["parameters"]),  # order_id and the usual headers
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": SCHEMAS + "Hook"}}
                    }
                },
            }
        },
    }


def _examples_only(data: Spec) -> None:
    # Prose and examples change in every build; none of it may produce a row.
    _schemas(data)["Address"]["properties"]["givenName"]["example"] = "Greta"
    _schemas(data)["Price"]["description"] = "A price, in the order's currency."


NEXT: list[Edit] = [
    _build("Build 2026-02-03 10:00:00"),
    _payment_state_added,
    _order_status_removed,
    _weight_to_string,
    _required_response_removed,
    _read_only_request_change,
    _consent_text_required,
    _addon_renamed,
    _request_id_header,
    _hook_delete_removed,
    _get_order_renamed,
    _limit_required,
    _hooks_listed,
    _examples_only,
]


# --- a constructed 2024-like build (see the module docstring) ----------------------------------


def _one_public_host(data: Spec) -> None:
    data["servers"] = [{"url": "https://api.norce.tech/checkout/order/", "description": "Public"}]


def _no_adapter_header(data: Spec) -> None:
    for op in _operations(data):
        op["parameters"] = [p for p in op.get("parameters") or [] if p.get("name") != "x-adapterid"]


def _fewer_endpoints(data: Spec) -> None:
    del data["paths"][ORDER + "/consents/{consent_id}"]
    del data["paths"][ORDER + "/attributes"]
    del data["paths"][ORDER + "/payments/{payment_id}/actions/{action_id}/execute"]


def _older_payment_states(data: Spec) -> None:
    states = _schemas(data)["PaymentState"]["enum"]
    for value in ("reserved", "credited", "captured"):
        states.remove(value)


def _older_schema_name(data: Spec) -> None:
    _rename_schema(data, "PickupLocationAddress", "PickupAddress")


def _weights_as_numbers(data: Spec) -> None:
    _schemas(data)["Logistics"]["properties"]["weight"]["type"] = "number"


OLDER: list[Edit] = [
    _build("Build 2024-05-21 13:02:11"),
    _one_public_host,
    _no_adapter_header,
    _fewer_endpoints,
    _older_payment_states,
    _older_schema_name,
    _weights_as_numbers,
]

VARIANTS: dict[str, list[Edit]] = {"2024-like": OLDER, "next": NEXT}


def variant(spec: Spec, name: str) -> Spec:
    """``spec`` with the edits of variant ``name`` applied (the input is not changed)."""
    data = copy.deepcopy(spec)
    for edit in VARIANTS[name]:
        edit(data)
    return data


def write_variant(spec_path: Path, name: str, out: Path) -> Path:
    """Write variant ``name`` of the spec at ``spec_path`` to ``out`` (YAML) and return ``out``."""
    data = yaml.safe_load(spec_path.read_text("utf-8"))
    text = yaml.safe_dump(variant(data, name), sort_keys=False, allow_unicode=True)
    out.write_text(text, "utf-8")
    return out
