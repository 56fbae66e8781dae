"""Python-API diff on real generations: every public name compared, renames by evidence, twins folded."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diff_support import SPEC, api, body_op, find, report, write_spec

from generator.diff.changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, REQUEST, RESPONSE
from generator.diff.specs import Report

ORDER = "/api/v0/checkout/orders/{order_id}"


@pytest.fixture(scope="module")
def next_build(norce_variant: Callable[[str], Path]) -> Report:
    """Today's spec against the next build (a dozen realistic changes, corpus/norce_variants.py)."""
    return report(SPEC, norce_variant("next"))


@pytest.fixture(scope="module")
def since_2024(norce_variant: Callable[[str], Path]) -> Report:
    return report(norce_variant("2024-like"), SPEC)


def test_environment_values_are_compared(since_2024: Report) -> None:
    """One public host became three tenant hosts: environment="public" now raises."""
    [row] = find(since_2024, "python", "literal-value-removed")
    assert (row.subject, row.severity) == ("Environment", BREAKING)
    assert row.call_before == "OrderClient(environment='public')"
    assert row.call_after == "OrderClient(environment='playground')"
    [urls] = find(since_2024, "python", "attribute-value-changed")
    assert urls.subject == "ENVIRONMENTS" and "api.norce.tech" in urls.before


def test_field_type_change_reaches_python(next_build: Report) -> None:
    [wire] = [
        c for c in find(next_build, "wire", "type-changed") if c.subject == "schema Logistics"
    ]
    assert (wire.location, wire.before, wire.after) == (".weight", "integer", "string")
    [python] = [
        c for c in find(next_build, "python", "field-type-changed") if "Logistics" in c.subject
    ]
    assert (python.subject, python.severity, python.directions) == (
        "models.Logistics.weight",
        BREAKING,
        (REQUEST,),
    )
    assert (python.before, python.after) == ("int | None", "str | None")


def test_read_only_change_is_a_response_model_change(next_build: Report) -> None:
    [python] = [c for c in find(next_build, "python", "field-type-changed") if "Hook" in c.subject]
    assert (python.subject, python.directions) == ("models.HookResponse.id", (RESPONSE,))
    assert not [c for c in next_build.changes if "HookRequest" in c.subject]


def test_required_response_property_removed(next_build: Report) -> None:
    [wire] = find(next_build, "wire", "required-property-removed")
    assert (wire.subject, wire.location, wire.severity) == ("schema Recurring", ".token", BREAKING)
    [python] = find(next_build, "python", "field-removed")
    assert (python.subject, python.severity, python.call_before) == (
        "models.Recurring.token",
        BREAKING,
        "recurring.token",
    )


def test_renames_are_one_row_each(next_build: Report) -> None:
    [method] = find(next_build, "python", "method-renamed")
    assert (method.call_before, method.call_after) == (
        "client.get_checkout_order(order_id)",
        "client.fetch_checkout_order(order_id)",
    )
    assert method.source_only and method.operations == (f"GET {ORDER}",)
    [model] = find(next_build, "python", "model-renamed")
    assert (model.before, model.after, model.source_only) == (
        "models.Addon",
        "models.ShippingAddon",
        True,
    )
    [schema] = find(next_build, "wire", "schema-renamed")
    assert (schema.before, schema.after, schema.severity) == (
        "Addon",
        "ShippingAddon",
        NON_BREAKING,
    )
    mentioned = [
        c for c in next_build.changes if "Addon" in c.subject and c.kind.startswith("class-")
    ]
    assert mentioned == []


def test_twins_and_repeated_arguments_are_folded(next_build: Report) -> None:
    [removed] = find(next_build, "python", "method-removed")
    assert removed.subject == "OrderClient.delete_checkout_order_hook"
    assert (
        removed.extra
        and "AsyncOrderClient" in removed.extra[0]
        and "operations" in removed.extra[0]
    )
    assert not find(next_build, "python", "function-removed")
    [header] = [
        c
        for c in find(next_build, "python", "parameter-added")
        if c.subject.startswith("OrderClient.*(")
    ]
    assert header.subject == "OrderClient.*(x_request_id)" and len(header.operations) == 32
    [wire] = find(next_build, "wire", "parameter-added")
    assert len(wire.operations) == 32


TWINS = ("AsyncOrderClient", "OrderClientWithRawResponse", "AsyncOrderClientWithRawResponse")


def test_a_method_change_is_one_row_across_every_twin(next_build: Report) -> None:
    """Sync, async, raw-response wrappers (attributes wrapping the client's methods) and ``operations``
    functions: one row per fact, on the sync client, naming the others."""
    python = next_build.by_level("python")
    assert not [c for c in python if c.subject.startswith((*TWINS, "operations."))]
    assert not [c for c in python if "attribute" in c.kind]
    facts = {
        "method-removed": "OrderClient.delete_checkout_order_hook",
        "method-renamed": "OrderClient.get_checkout_order",
        "method-added": "OrderClient.get_checkout_order_hooks",
    }
    for kind, subject in facts.items():
        assert [c.subject for c in find(python, "python", kind)] == [subject], kind
    for kind in ("method-removed", "method-added"):
        [row] = find(python, "python", kind)
        assert row.extra == (f"also in {', '.join(sorted((*TWINS, 'operations')))}",)
    # the renamed method's wrappers are renamed with it, not removed and added
    assert not [c for c in python if "fetch_checkout_order" in c.subject]


def test_new_required_argument_shows_the_new_call(next_build: Report) -> None:
    [row] = find(next_build, "python", "parameter-became-required")
    assert (row.call_before, row.call_after) == (
        "client.get_checkout_orders()",
        "client.get_checkout_orders(limit=...)",
    )
    # `int | None` -> `int` is the same fact, not a second row
    assert not find(next_build, "python", "parameter-type-changed")


def test_an_enum_argument_that_lost_a_value(next_build: Report) -> None:
    [row] = find(next_build, "python", "parameter-type-narrowed")
    assert (row.subject, row.severity) == ("OrderClient.get_checkout_orders(status)", BREAKING)
    assert (
        row.call_before == "client.get_checkout_orders(status=['removed'])" and row.call_after == ""
    )


def test_examples_and_descriptions_change_nothing(next_build: Report) -> None:
    assert not [c for c in next_build.changes if "Address" in c.subject or "Price" in c.subject]


def test_every_public_name_is_compared(tmp_path: Path) -> None:
    """A change no hand-written check knows (a new base class) is still reported, never dropped."""
    thing = {
        "type": "object",
        "description": "A thing",
        "properties": {"id": {"type": "string", "readOnly": True}},
    }
    old = api(
        {"/t": {"post": {**body_op("Thing", "Thing"), "operationId": "makeThing"}}},
        {"Thing": thing},
    )
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"]["size"] = {"type": "integer", "default": 3}
    new["components"]["schemas"]["Thing"]["properties"]["id"]["type"] = "integer"
    result = report(write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new))
    kinds = {(c.kind, c.subject) for c in result.by_level("python")}
    assert ("field-type-changed", "models.ThingResponse.id") in kinds
    assert ("field-added", "models.ThingRequest.size") in kinds
    assert ("field-added", "models.ThingResponse.size") in kinds


def test_model_fields_added_required_by_direction(tmp_path: Path) -> None:
    schemas: dict[str, Any] = {
        "Input": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Output": {"type": "object", "properties": {"a": {"type": "string"}}},
    }
    old = api({"/t": {"post": {**body_op("Input", "Output"), "operationId": "run"}}}, schemas)
    new = copy.deepcopy(old)
    for name in ("Input", "Output"):
        new["components"]["schemas"][name]["properties"]["b"] = {"type": "string"}
        new["components"]["schemas"][name]["required"] = ["b"]
    result = report(write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new))
    rows = {c.subject: c for c in find(result, "python", "field-added-required")}
    assert rows["models.Input.b"].severity == BREAKING  # callers build Input
    assert rows["models.Output.b"].severity == POTENTIALLY_BREAKING  # the client builds Output
    assert rows["models.Input.b"].call_after == "models.Input(b=...)"


def test_a_python_break_with_a_wire_change_that_may_break_is_not_source_only(
    tmp_path: Path,
) -> None:
    """A property renamed on the wire (givenName -> firstName) removes an optional property, a
    potentially breaking wire change: the report must not call the Python break source-only
    ("the wire is unchanged"). A rename that leaves the wire alone still is."""
    schemas: dict[str, Any] = {
        "Person": {"type": "object", "properties": {"givenName": {"type": "string"}}}
    }
    old = api({"/p": {"put": {**body_op("Person", "Person"), "operationId": "putPerson"}}}, schemas)
    new = copy.deepcopy(old)
    props = new["components"]["schemas"]["Person"]["properties"]
    props["firstName"] = props.pop("givenName")
    result = report(write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new))
    [wire] = find(result, "wire", "property-removed")
    assert wire.severity == POTENTIALLY_BREAKING
    [python] = find(result, "python", "field-removed")
    assert (python.subject, python.severity) == ("models.Person.given_name", BREAKING)
    assert not python.source_only
    renamed = copy.deepcopy(old)
    renamed["paths"]["/p"]["put"]["operationId"] = "replacePerson"
    result = report(
        write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "renamed.yaml", renamed)
    )
    [method] = find(result, "python", "method-renamed")
    assert method.source_only
