"""Wire diff on small specs: severities by direction, one fact one row, renames by evidence, no depth cut-off."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from diff_support import api, body_op, find

from generator.diff import schema
from generator.diff.changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, REQUEST, RESPONSE
from generator.diff.nodes import DiffLimitError
from generator.diff.wire import diff_wire

THING = {
    "type": "object",
    "description": "A thing",
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}


def _things(thing: dict[str, Any]) -> dict[str, Any]:
    """POST /things sends a Thing and gets one back; GET /things/{id} only reads one."""
    return api(
        {
            "/things": {"post": body_op("Thing", "Thing")},
            "/things/{id}": {
                "get": {
                    **body_op(None, "Thing"),
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                }
            },
        },
        {"Thing": thing},
    )


def _edit(thing: dict[str, Any], **properties: Any) -> dict[str, Any]:
    changed = copy.deepcopy(thing)
    for name, prop in properties.items():
        if prop is None:
            del changed["properties"][name]
        else:
            changed["properties"][name] = prop
    return changed


def test_read_only_property_change_is_a_response_fact_only() -> None:
    new = _edit(THING, id={"type": "integer", "readOnly": True})
    [row] = diff_wire(_things(THING), _things(new))
    assert (row.kind, row.severity, row.directions) == ("type-changed", BREAKING, (RESPONSE,))
    assert (row.subject, row.location) == ("schema Thing", ".id")
    assert row.operations == ("GET /things/{}".replace("{}", "{id}"), "POST /things")


def test_required_read_only_property_added_does_not_break_requests() -> None:
    new = _edit(THING, created={"type": "string", "readOnly": True})
    new["required"] = ["created"]
    [row] = diff_wire(_things(THING), _things(new))
    assert (row.kind, row.directions, row.severity) == (
        "property-added-required",
        (RESPONSE,),
        NON_BREAKING,
    )


def test_removed_required_response_property_is_breaking() -> None:
    old = copy.deepcopy(THING)
    old["properties"]["token"] = {"type": "string"}
    old["required"] = ["token"]
    new = copy.deepcopy(THING)
    [row] = diff_wire(_things(old), _things(new))
    assert (row.kind, row.severity) == ("required-property-removed", BREAKING)
    assert row.directions == (REQUEST, RESPONSE)


def test_request_only_required_property_removed_is_only_potentially_breaking() -> None:
    def only_requests(thing: dict[str, Any]) -> dict[str, Any]:
        return api({"/things": {"post": body_op("Thing", None)}}, {"Thing": thing})

    old = _edit(THING, token={"type": "string"})
    old["required"] = ["token"]
    [row] = diff_wire(only_requests(old), only_requests(THING))
    assert (row.kind, row.severity, row.directions) == (
        "required-property-removed",
        POTENTIALLY_BREAKING,
        (REQUEST,),
    )


def test_shared_schema_change_is_one_row_listing_its_operations() -> None:
    ops = {f"/things{i}": {"post": body_op("Wrapper", "Wrapper")} for i in range(12)}
    schemas = {
        "Wrapper": {
            "type": "object",
            "properties": {"thing": {"$ref": "#/components/schemas/Thing"}},
        },
        "Thing": THING,
    }
    new_schemas = copy.deepcopy(schemas)
    new_schemas["Thing"]["properties"]["name"]["type"] = "integer"
    rows = diff_wire(api(ops, schemas), api(ops, new_schemas))
    assert [(r.kind, r.subject, r.location) for r in rows] == [
        ("type-changed", "schema Thing", ".name")
    ]
    assert len(rows[0].operations) == 12


def test_parameter_added_to_many_operations_is_one_row_with_the_count() -> None:
    ops = {f"/things{i}": {"get": body_op(None, None)} for i in range(33)}
    new = copy.deepcopy(ops)
    for item in new.values():
        item["get"]["parameters"] = [
            {"name": "x-trace", "in": "header", "schema": {"type": "string"}}
        ]
    [row] = diff_wire(api(ops), api(new))
    assert (row.kind, row.severity, row.location, len(row.operations)) == (
        "parameter-added",
        NON_BREAKING,
        "header parameter x-trace",
        33,
    )


def test_rename_needs_the_same_positions() -> None:
    old = api({"/a": {"post": body_op("Thing", "Thing")}}, {"Thing": THING})
    new = api({"/a": {"post": body_op("Item", "Item")}}, {"Item": THING})
    rows = diff_wire(old, new)
    assert [(r.kind, r.before, r.after) for r in rows] == [("schema-renamed", "Thing", "Item")]


def test_same_shape_at_other_positions_is_not_a_rename() -> None:
    """A request body's model does not become a query result's model because the fields match."""
    old = api(
        {"/a": {"post": body_op("Order", None)}, "/b": {"get": body_op(None, "Result")}},
        {"Order": THING, "Result": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    )
    new = api(
        {"/a": {"post": body_op("OrderInput", None)}, "/b": {"get": body_op(None, "Result")}},
        {
            "OrderInput": THING,
            "Result": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "Twin": THING,
        },
    )
    rows = diff_wire(old, new)
    assert [(r.kind, r.before, r.after) for r in rows] == [
        ("schema-renamed", "Order", "OrderInput")
    ]
    # Twin has Order's fields, but the operation that used Order now sends an inline schema and
    # only a new query returns Twin: the old code compared fields and called that a rename.
    decoy = api({"/a": {"post": body_op("Order", None)}}, {"Order": THING})
    inline = body_op(None, None)
    inline["requestBody"] = {"content": {"application/json": {"schema": copy.deepcopy(THING)}}}
    moved = api({"/a": {"post": inline}, "/c": {"get": body_op(None, "Twin")}}, {"Twin": THING})
    assert [r.kind for r in diff_wire(decoy, moved)] == ["operation-added"]


def _chain(levels: int, leaf_type: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        f"L{i}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/components/schemas/L{i + 1}"}},
        }
        for i in range(levels)
    }
    schemas[f"L{levels}"] = {"type": "object", "properties": {"value": {"type": leaf_type}}}
    return api({"/deep": {"post": body_op("L0", "L0")}}, schemas)


def test_twenty_level_ref_chain_reports_the_change_at_the_bottom() -> None:
    [row] = diff_wire(_chain(20, "string"), _chain(20, "integer"))
    assert (row.kind, row.severity, row.subject, row.location) == (
        "type-changed",
        BREAKING,
        "schema L20",
        ".value",
    )
    assert row.operations == ("POST /deep",)


def test_cycles_are_compared_once_and_still_found() -> None:
    def cyclic(leaf: str) -> dict[str, Any]:
        node = {
            "type": "object",
            "properties": {"self": {"$ref": "#/components/schemas/Node"}, "v": {"type": leaf}},
        }
        return api({"/n": {"post": body_op("Node", "Node")}}, {"Node": node})

    [row] = diff_wire(cyclic("string"), cyclic("boolean"))
    assert (row.kind, row.location) == ("type-changed", ".v")


def test_a_limit_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_NESTING", 5)
    with pytest.raises(DiffLimitError, match="no verdict|cannot give a verdict"):
        diff_wire(_chain(20, "string"), _chain(20, "integer"))


def test_examples_and_prose_are_not_changes() -> None:
    old = _things(THING)
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Thing"]["properties"]["name"]["example"] = "changed"
    new["components"]["schemas"]["Thing"]["description"] = "Another description"
    new["paths"]["/things"]["post"]["summary"] = "New summary"
    assert diff_wire(old, new) == []


@pytest.mark.parametrize(
    ("before", "after", "kind", "request_severity", "response_severity"),
    [
        (
            {"type": "string", "enum": ["a", "b"]},
            {"type": "string", "enum": ["a"]},
            "enum-value-removed",
            BREAKING,
            NON_BREAKING,
        ),
        (
            {"type": "string", "enum": ["a"]},
            {"type": "string", "enum": ["a", "b"]},
            "enum-value-added",
            NON_BREAKING,
            POTENTIALLY_BREAKING,
        ),
        (
            {"type": "string"},
            {"type": "string", "nullable": True},
            "nullable-added",
            NON_BREAKING,
            BREAKING,
        ),
        (
            {"type": "string", "maxLength": 10},
            {"type": "string", "maxLength": 5},
            "constraint-tightened",
            BREAKING,
            NON_BREAKING,
        ),
        ({"type": "integer"}, {"type": "number"}, "type-generalized", NON_BREAKING, BREAKING),
    ],
)
def test_direction_decides_severity(
    before: dict[str, Any],
    after: dict[str, Any],
    kind: str,
    request_severity: str,
    response_severity: str,
) -> None:
    for direction, expected in ((REQUEST, request_severity), (RESPONSE, response_severity)):
        request, response = ("T", None) if direction == REQUEST else (None, "T")
        old = api(
            {"/t": {"post": body_op(request, response)}},
            {"T": {"type": "object", "properties": {"p": before}}},
        )
        new = api(
            {"/t": {"post": body_op(request, response)}},
            {"T": {"type": "object", "properties": {"p": after}}},
        )
        [row] = find(diff_wire(old, new), "wire", kind)
        assert (row.severity, row.directions) == (expected, (direction,)), direction


def test_a_shared_schema_row_lists_the_operations_it_breaks_first() -> None:
    """Payment.currency now required: the PUT that sends a Payment breaks, the GETs only read it."""
    payment = {"type": "object", "properties": {"currency": {"type": "string"}}}
    reads = {f"/a{i}": {"get": body_op(None, "Payment")} for i in range(3)}
    ops = {**reads, "/z": {"put": body_op("Payment", None)}}
    required = {**payment, "required": ["currency"]}
    [row] = diff_wire(api(ops, {"Payment": payment}), api(ops, {"Payment": required}))
    assert (row.kind, row.severity, row.directions) == (
        "property-became-required",
        BREAKING,
        (REQUEST, RESPONSE),
    )
    assert row.operations == ("PUT /z", "GET /a0", "GET /a1", "GET /a2")


def test_an_operation_reaching_a_schema_only_through_hidden_properties_is_not_listed() -> None:
    """A request body reaches Inner only through a readOnly property: the request never sends it."""
    inner = {"type": "object", "properties": {"n": {"type": "string"}}}
    outer = {
        "type": "object",
        "properties": {"inner": {"$ref": "#/components/schemas/Inner", "readOnly": True}},
    }
    ops = {"/w": {"post": body_op("Outer", None)}, "/r": {"get": body_op(None, "Outer")}}
    changed = _edit(inner, n={"type": "integer"})
    [row] = diff_wire(
        api(ops, {"Outer": outer, "Inner": inner}), api(ops, {"Outer": outer, "Inner": changed})
    )
    assert (row.subject, row.directions, row.operations) == (
        "schema Inner",
        (RESPONSE,),
        ("GET /r",),
    )
