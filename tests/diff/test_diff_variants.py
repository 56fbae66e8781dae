"""Each kind of spec edit is reported with the right class, at the wire and in Python."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.diff.changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, Change
from generator.diff.report import to_json, to_markdown
from generator.diff.specs import Report

Variants = Callable[[str, Callable[[dict[str, Any]], None]], Path]
ORDER = "/api/v0/checkout/orders/{order_id}"


def find(report: Report, level: str, kind: str, operation: str | None = None) -> list[Change]:
    return [
        c
        for c in report.changes
        if c.level == level and c.kind == kind and (operation is None or c.operation == operation)
    ]


def test_same_spec_reports_nothing(report_for: Callable[[Path], Report]) -> None:
    from diff_support import SPEC

    report = report_for(SPEC)
    assert report.changes == ()
    assert "No changes." in to_markdown(report)
    assert report.failing(BREAKING) == []


def test_removed_operation(variants: Variants, report_for: Callable[[Path], Report]) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["paths"][ORDER]["delete"]

    report = report_for(variants("remove-op", edit))
    [wire] = find(report, "wire", "operation-removed")
    assert (wire.severity, wire.operation) == (BREAKING, f"DELETE {ORDER}")
    [python] = find(report, "python", "method-removed")
    assert (python.severity, python.before, python.operation) == (
        BREAKING,
        "delete_checkout_order",
        f"DELETE {ORDER}",
    )
    assert not python.source_only  # the wire break explains it
    # griffe's removals of the async/raw twins and operations.* are folded into that one change
    assert not [c for c in report.changes if c.level == "python" and c.kind == "object-removed"]


def test_new_required_request_property(
    variants: Variants, report_for: Callable[[Path], Report]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        hook = data["components"]["schemas"]["Hook"]
        hook["properties"]["secret"] = {"type": "string"}
        hook.setdefault("required", []).append("secret")

    report = report_for(variants("required-request-property", edit))
    wire = find(report, "wire", "request-property-added-required", f"POST {ORDER}/hooks")
    assert [c.severity for c in wire] == [BREAKING]
    assert wire[0].location == "request body.secret"
    python = {c.location: c.severity for c in find(report, "python", "model-field-added-required")}
    # Callers build HookRequest; only fakes build HookResponse.
    assert python == {
        "models.HookRequest.secret": BREAKING,
        "models.HookResponse.secret": POTENTIALLY_BREAKING,
    }


def test_new_response_enum_value(variants: Variants, report_for: Callable[[Path], Report]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["components"]["schemas"]["PaymentState"]["enum"].append("chargedBack")

    report = report_for(variants("response-enum", edit))
    response = find(
        report, "wire", "response-enum-value-added", f"GET {ORDER}/payments/{{payment_id}}"
    )
    assert response and {c.severity for c in response} == {POTENTIALLY_BREAKING}
    assert {c.after for c in response} == {"chargedBack"}
    [member] = find(report, "python", "enum-member-added")
    assert (member.severity, member.location) == (NON_BREAKING, "models.PaymentState.charged_back")
    assert report.failing(BREAKING) == []


def test_operation_id_rename_is_source_only(
    variants: Variants, report_for: Callable[[Path], Report]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["paths"][ORDER]["get"]["operationId"] = "FetchCheckoutOrder"

    report = report_for(variants("rename-op", edit))
    [wire] = find(report, "wire", "operation-id-changed")
    assert wire.severity == NON_BREAKING
    assert not [c for c in report.changes if c.level == "wire" and c.severity != NON_BREAKING]
    [python] = find(report, "python", "method-renamed")
    assert (python.severity, python.before, python.after) == (
        BREAKING,
        "get_checkout_order",
        "fetch_checkout_order",
    )
    assert python.source_only and python.operation == f"GET {ORDER}"
    before, after = report.signatures[f"GET {ORDER}"]
    assert before.startswith("get_checkout_order(\n    order_id: str,") and after.startswith(
        "fetch_checkout_order("
    )
    assert "source-only" in to_markdown(report)


def test_parameter_made_required(variants: Variants, report_for: Callable[[Path], Report]) -> None:
    def edit(data: dict[str, Any]) -> None:
        for param in data["paths"]["/api/v0/checkout/orders"]["get"]["parameters"]:
            if param["name"] == "limit":
                param["required"] = True

    report = report_for(variants("required-param", edit))
    [wire] = find(report, "wire", "parameter-now-required")
    assert (wire.severity, wire.location) == (BREAKING, "query parameter limit")
    python = [c for c in report.changes if c.level == "python" and "limit" in c.location]
    assert python and all(c.severity in (BREAKING, POTENTIALLY_BREAKING) for c in python)
    assert any(c.kind == "parameter-changed-required" and c.severity == BREAKING for c in python)
    assert all(c.location.startswith("OrderClient.get_checkout_orders(") for c in python)


def test_changed_path(variants: Variants, report_for: Callable[[Path], Report]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["paths"][f"{ORDER}/external-reference"] = data["paths"].pop(f"{ORDER}/reference")

    report = report_for(variants("moved-path", edit))
    [wire] = find(report, "wire", "operation-moved")
    assert wire.severity == BREAKING
    assert (wire.before, wire.after) == (
        f"PUT {ORDER}/reference",
        f"PUT {ORDER}/external-reference",
    )
    # Same operationId, same method name: callers of the new client need no edit.
    assert not [c for c in report.changes if c.level == "python"]


def test_json_is_byte_stable(variants: Variants, report_for: Callable[[Path], Report]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["paths"][ORDER]["get"]["operationId"] = "FetchCheckoutOrder"

    path = variants("rename-op", edit)
    first, second = to_json(report_for(path)), to_json(report_for(path))
    assert first == second
    assert '"fingerprint"' in first and str(path) not in first  # labels, never temp paths
