"""readOnly properties are never sent: not a field of any request model, and refused with their own
message (not silently dropped) when a caller passes one."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
from norce_checkout_order import RequestValidationError, models
from support import SPEC, load_yaml
from werkzeug import Response

SPEC_DATA = load_yaml(SPEC.read_text("utf-8"))
SCHEMAS = SPEC_DATA["components"]["schemas"]
READ_ONLY = {
    name: sorted(p for p, prop in (schema.get("properties") or {}).items() if prop.get("readOnly"))
    for name, schema in SCHEMAS.items()
}
SPLIT = sorted(name for name, fields in READ_ONLY.items() if fields)  # each must be split


def test_the_spec_has_read_only_fields_to_test() -> None:
    assert sum(len(v) for v in READ_ONLY.values()) >= 15
    assert {"Hook", "Order", "Payment", "Shipping"} <= set(SPLIT)


@pytest.mark.parametrize("schema", SPLIT)
def test_request_model_has_no_read_only_field_and_refuses_one(schema: str) -> None:
    request_model: type[pydantic.BaseModel] = getattr(models, f"{schema}Request")
    response_model: type[pydantic.BaseModel] = getattr(models, f"{schema}Response")
    wire_names = {f.alias or n for n, f in request_model.model_fields.items()}
    for prop in READ_ONLY[schema]:
        assert prop not in wire_names
        assert prop in {f.alias or n for n, f in response_model.model_fields.items()}
        with pytest.raises(RequestValidationError, match=f"{prop}.* is read-only"):
            request_model.model_validate({prop: "from-a-response"})


def test_a_response_cannot_be_sent_back_as_a_request(client: Any, httpserver: Any) -> None:
    hook = models.HookResponse.model_validate({"id": "oc_1", "adapterId": "jetshop_adapter"})
    with pytest.raises(RequestValidationError, match="HookRequest.id is read-only"):
        models.HookRequest.model_validate(hook.model_dump(by_alias=True, exclude_unset=True))
    # The supported way: rebuild from the request model's own fields; nothing read-only reaches the wire.
    received: list[Any] = []
    httpserver.expect_oneshot_request(
        "/checkout/order/api/v0/checkout/orders/o-1/hooks", method="POST"
    ).respond_with_handler(lambda request: received.append(request) or Response(status=200))
    body = models.HookRequest.model_validate(
        hook.model_dump(
            by_alias=True, exclude_unset=True, include=set(models.HookRequest.model_fields)
        )
    )
    client.create_checkout_order_hook("o-1", body=body)
    assert json.loads(received[0].get_data()) == {"adapterId": "jetshop_adapter"}


def test_model_construct_cannot_smuggle_a_read_only_field(client: Any, httpserver: Any) -> None:
    smuggled = models.HookRequest.model_construct(adapter_id="a", id="oc_1")
    with pytest.raises(RequestValidationError, match="HookRequest.id is read-only"):
        client.create_checkout_order_hook("o-1", body=smuggled)
    assert httpserver.log == []  # refused before anything was sent
