"""`python -m generator diff`: exit codes, --fail-on, errors that name the broken side."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diff_support import SPEC

from generator.cli import EXIT_CHANGES, EXIT_OK, EXIT_SPEC, main

Variants = Callable[[str, Callable[[dict[str, Any]], None]], Path]


def _add_enum_value(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["PaymentState"]["enum"].append("chargedBack")


def _remove_operation(data: dict[str, Any]) -> None:
    del data["paths"]["/api/v0/checkout/orders/{order_id}"]["delete"]


def test_fail_on_breaking_only_when_breaking(
    variants: Variants, capsys: pytest.CaptureFixture[str]
) -> None:
    softer = variants("response-enum", _add_enum_value)
    assert main(["diff", str(SPEC), str(softer), "--fail-on", "breaking"]) == EXIT_OK
    assert (
        main(["diff", str(SPEC), str(softer), "--fail-on", "potentially-breaking"]) == EXIT_CHANGES
    )
    removed = variants("remove-op", _remove_operation)
    assert main(["diff", str(SPEC), str(removed), "--fail-on", "breaking"]) == EXIT_CHANGES
    assert main(["diff", str(SPEC), str(removed)]) == EXIT_OK  # no --fail-on: report only
    capsys.readouterr()


def test_json_output_same_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["diff", str(SPEC), str(SPEC), "--format", "json", "--fail-on", "breaking"]) == EXIT_OK
    )
    document = json.loads(capsys.readouterr().out)
    assert document["changes"] == []
    assert document["summary"]["wire"] == {
        "breaking": 0,
        "non-breaking": 0,
        "potentially-breaking": 0,
    }


def test_not_openapi_fails_naming_the_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n", "utf-8")
    assert main(["diff", str(SPEC), str(other)]) == EXIT_SPEC
    err = capsys.readouterr().err
    assert f"[NEW] {other}#: not an OpenAPI 3 description" in err
    assert "[OLD]" not in err


def test_invalid_spec_reports_pointer(
    variants: Variants, capsys: pytest.CaptureFixture[str]
) -> None:
    def dangling(data: dict[str, Any]) -> None:
        data["components"]["schemas"]["Hook"]["properties"]["x"] = {
            "$ref": "#/components/schemas/Nope"
        }

    bad = variants("dangling-ref", dangling)
    assert main(["diff", str(bad), str(SPEC)]) == EXIT_SPEC
    err = capsys.readouterr().err
    assert f"[OLD] {bad}#/components/schemas/Hook/properties/x/$ref" in err


def test_unknown_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "no-such-rev-xyz", str(SPEC)]) == EXIT_SPEC
    assert (
        "[OLD] no-such-rev-xyz#: not a file, and not readable from git" in capsys.readouterr().err
    )
