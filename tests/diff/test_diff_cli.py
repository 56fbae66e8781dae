"""`python -m generator diff`: exit codes, the per-level gate, the allow-list, CI formats, safe inputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from diff_support import SPEC, Variants, api, body_op, write_spec

from generator.cli import EXIT_CHANGES, EXIT_OK, EXIT_SPEC, main
from generator.diff import schema
from generator.settings import CACHE_ENV, PROJECT_ROOT

ORDER = "/api/v0/checkout/orders/{order_id}"


def _remove_operation(data: dict[str, Any]) -> None:
    del data["paths"][ORDER]["delete"]


def _add_enum_value(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["PaymentState"]["enum"].append("chargedBack")


def _rename_auth_header(data: dict[str, Any]) -> None:
    """Breaks every call on the wire; the generated Python API stays the same."""
    data["components"]["securitySchemes"]["Bearer"]["name"] = "X-Api-Key"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fail_on_breaking_only_when_breaking(
    variants: Variants, capsys: pytest.CaptureFixture[str]
) -> None:
    softer = variants("response-enum", _add_enum_value)
    assert _run(capsys, str(SPEC), str(softer), "--fail-on", "breaking")[0] == EXIT_OK
    assert (
        _run(capsys, str(SPEC), str(softer), "--fail-on", "potentially-breaking")[0] == EXIT_CHANGES
    )
    removed = variants("remove-op", _remove_operation)
    code, out, err = _run(capsys, str(SPEC), str(removed), "--fail-on", "breaking")
    assert code == EXIT_CHANGES and "fails the gate" in out and "fail the gate" in err
    assert _run(capsys, str(SPEC), str(removed))[0] == EXIT_OK  # no --fail-on: report only


def test_fail_on_per_level(variants: Variants, capsys: pytest.CaptureFixture[str]) -> None:
    wire_only = variants("auth-header", _rename_auth_header)
    code, out, _ = _run(capsys, str(SPEC), str(wire_only), "--format", "json")
    kinds = {(c["level"], c["kind"]) for c in json.loads(out)["changes"]}
    assert kinds == {("wire", "security-scheme-changed")}
    assert _run(capsys, str(SPEC), str(wire_only), "--fail-on", "python:breaking")[0] == EXIT_OK
    assert _run(capsys, str(SPEC), str(wire_only), "--fail-on", "wire:breaking")[0] == EXIT_CHANGES
    both = "wire:potentially-breaking,python:breaking"
    assert _run(capsys, str(SPEC), str(wire_only), "--fail-on", both)[0] == EXIT_CHANGES
    code, _, err = _run(capsys, str(SPEC), str(wire_only), "--fail-on", "wire:fatal")
    assert code == EXIT_SPEC and "LEVEL:SEVERITY" in err


def test_same_spec_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(SPEC), str(SPEC), "--format", "json", "--fail-on", "breaking")
    document = json.loads(out)
    assert code == EXIT_OK and document["changes"] == [] and document["gate"]["passed"]
    assert document["summary"]["wire"] == {
        "breaking": 0,
        "non-breaking": 0,
        "potentially-breaking": 0,
    }


def test_allow_list(variants: Variants, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    removed = variants("remove-op", _remove_operation)
    _, out, _ = _run(capsys, str(SPEC), str(removed), "--format", "json", "--fail-on", "breaking")
    failing = [c for c in json.loads(out)["changes"] if c["severity"] == "breaking"]
    assert failing
    entries = [
        {"fingerprint": c["fingerprint"][:16], "reason": "retired on purpose (NCO-1)"}
        for c in failing
    ]
    stale = {"fingerprint": "0" * 64, "reason": "an old decision"}
    accept = tmp_path / "accepted.yaml"
    accept.write_text(yaml.safe_dump({"accept": [*entries, stale]}), "utf-8")
    code, out, err = _run(
        capsys, str(SPEC), str(removed), "--fail-on", "breaking", "--accept", str(accept)
    )
    assert code == EXIT_OK
    assert "### Accepted" in out and "retired on purpose (NCO-1)" in out
    assert "000000000000 matches no change (stale)" in err
    accept.write_text(
        yaml.safe_dump({"accept": [{"fingerprint": failing[0]["fingerprint"], "reason": ""}]}),
        "utf-8",
    )
    code, _, err = _run(capsys, str(SPEC), str(removed), "--accept", str(accept))
    assert code == EXIT_SPEC and "needs a reason" in err


def test_a_git_side_that_is_not_yaml_is_named_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    """`diff HEAD:README.md NEW`: the parser's message names HEAD:README.md, not a temp file."""
    code, out, err = _run(capsys, "HEAD:README.md", str(SPEC))
    assert (code, out) == (EXIT_SPEC, "")
    assert (
        err.startswith("error: [OLD] HEAD:README.md: invalid YAML/JSON: ")
        and "norce-diff-" not in err
    )
    assert 'in "HEAD:README.md", line ' in err, err


def test_an_accept_file_that_is_not_yaml_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accept = tmp_path / "accepted.yaml"
    accept.write_text("accept: [\n", "utf-8")
    code, out, err = _run(capsys, str(SPEC), str(SPEC), "--accept", str(accept))
    assert (code, out) == (EXIT_SPEC, "")
    assert err.startswith(f"error: --accept {accept}: not YAML or JSON (") and "line 2" in err, err
    assert "<unicode string>" not in err and len(err.strip().splitlines()) == 1, err


def test_fingerprints_ignore_examples_and_prose(
    variants: Variants, capsys: pytest.CaptureFixture[str]
) -> None:
    def with_prose(data: dict[str, Any]) -> None:
        _remove_operation(data)
        data["components"]["schemas"]["Address"]["properties"]["givenName"]["example"] = "Greta"
        data["paths"][ORDER + "/hooks"]["post"]["description"] = "Reworded"

    plain = variants("remove-op", _remove_operation)
    prose = variants("remove-op-prose", with_prose)
    prints = [
        [
            c["fingerprint"]
            for c in json.loads(_run(capsys, str(SPEC), str(path), "--format", "json")[1])[
                "changes"
            ]
        ]
        for path in (plain, prose)
    ]
    assert prints[0] and prints[0] == prints[1]


def test_github_annotations(variants: Variants, capsys: pytest.CaptureFixture[str]) -> None:
    removed = variants("remove-op", _remove_operation)
    code, out, _ = _run(
        capsys, str(SPEC), str(removed), "--format", "github", "--fail-on", "breaking"
    )
    assert code == EXIT_CHANGES
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert errors and all("title=breaking (" in line for line in errors)
    wire = next(line for line in errors if "operation-removed" in line)
    assert f"file={removed}" in wire and ",line=" in wire  # annotated where the operation was
    assert "%0A" in next(line for line in errors if "method-removed" in line)  # newlines escaped
    assert lines[-1].startswith("norce-codegen diff:") and lines[-1].endswith("fails")


def test_junit_report(variants: Variants, capsys: pytest.CaptureFixture[str]) -> None:
    removed = variants("remove-op", _remove_operation)
    _, out, _ = _run(capsys, str(SPEC), str(removed), "--format", "json", "--fail-on", "breaking")
    failing = json.loads(out)["gate"]["failing"]
    code, out, _ = _run(
        capsys, str(SPEC), str(removed), "--format", "junit", "--fail-on", "breaking"
    )
    root = ET.fromstring(out)
    assert code == EXIT_CHANGES and root.tag == "testsuites"
    assert int(root.get("failures", "-1")) == failing == len(root.findall(".//failure"))
    assert {s.get("name", "").split()[0] for s in root.findall("testsuite")} == {"wire", "python"}


def test_git_revisions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "HEAD", "HEAD:spec/norce-checkout-order.yaml", "--format", "json")
    assert code == EXIT_OK and json.loads(out)["old"]["label"] == "HEAD"


def test_arguments_are_never_git_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "written-by-git"
    code, _, err = _run(capsys, "--", f"--output={target}:", str(SPEC))
    assert code == EXIT_SPEC and not target.exists()
    assert "not a git revision" in err
    code, _, err = _run(capsys, "no-such-rev-xyz", str(SPEC))
    assert (
        code == EXIT_SPEC
        and "[OLD] no-such-rev-xyz: not a file, and 'no-such-rev-xyz' is not a git revision" in err
    )
    assert not list(PROJECT_ROOT.glob("written-by-git*"))


def test_not_openapi_fails_naming_the_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n", "utf-8")
    code, out, err = _run(capsys, str(SPEC), str(other))
    assert code == EXIT_SPEC and out == ""
    assert f"[NEW] {other}: not an OpenAPI 3 description" in err and "[OLD]" not in err


def test_invalid_spec_reports_pointer(
    variants: Variants, capsys: pytest.CaptureFixture[str]
) -> None:
    def dangling(data: dict[str, Any]) -> None:
        data["components"]["schemas"]["Hook"]["properties"]["x"] = {
            "$ref": "#/components/schemas/Nope"
        }

    bad = variants("dangling-ref", dangling)
    code, _, err = _run(capsys, str(bad), str(SPEC))
    assert code == EXIT_SPEC and f"[OLD] {bad}#/components/schemas/Hook/properties/x/$ref" in err


def test_a_limit_hit_is_exit_2_not_no_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def chain(leaf: str) -> dict[str, Any]:
        schemas: dict[str, Any] = {
            f"L{i}": {
                "type": "object",
                "properties": {"next": {"$ref": f"#/components/schemas/L{i + 1}"}},
            }
            for i in range(20)
        }
        schemas["L20"] = {"type": "object", "properties": {"value": {"type": leaf}}}
        return api({"/deep": {"post": {**body_op("L0", "L0"), "operationId": "deep"}}}, schemas)

    old, new = write_spec(tmp_path / "old.yaml", chain("string")), write_spec(
        tmp_path / "new.yaml", chain("integer")
    )
    code, out, _ = _run(capsys, str(old), str(new), "--fail-on", "breaking")
    assert code == EXIT_CHANGES and "schema L20" in out
    monkeypatch.setattr(schema, "MAX_NESTING", 5)
    code, out, err = _run(capsys, str(old), str(new), "--fail-on", "breaking")
    assert (code, out) == (EXIT_SPEC, "")
    assert "cannot give a verdict" in err and "Traceback" not in err


def _make_diff(base: str) -> subprocess.CompletedProcess[str]:
    """`make diff BASE=... SPEC=spec/...` as typed in a shell: not inside another make (which
    would announce its directories)."""
    shell = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(
        ["make", "diff", f"BASE={base}", f"SPEC={SPEC.relative_to(PROJECT_ROOT)}"],
        cwd=PROJECT_ROOT,
        env=shell,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_diff_prints_only_the_report() -> None:
    """`make diff > report.md`: no echoed command or set-up output on stdout."""
    done = _make_diff("HEAD")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## API diff: `HEAD` → `spec/norce-checkout-order.yaml`\n")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_diff_takes_a_base_with_a_space_in_its_path(tmp_path: Path) -> None:
    """`make diff BASE="old spec.yaml"` compares that file (BASE and SPEC reach the command whole)."""
    old = tmp_path / "old spec.yaml"
    old.write_bytes(SPEC.read_bytes())
    done = _make_diff(str(old))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"## API diff: `{old}` → `spec/norce-checkout-order.yaml`\n")


def test_the_working_trees_generated_folder_is_the_same_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh generated/ stands in for building the project's own spec, with the same surface."""
    from generator.build import pipeline
    from generator.diff import sides
    from generator.diff.inputs import Input
    from generator.settings import load_settings

    settings = load_settings()
    spec = tmp_path / str(settings["spec"])
    spec.parent.mkdir(parents=True)
    spec.write_bytes(SPEC.read_bytes())
    assert (
        main(["generate", "--spec", str(spec), "--out", str(tmp_path / str(settings["out"]))]) == 0
    )
    capsys.readouterr()
    monkeypatch.setattr(sides, "PROJECT_ROOT", tmp_path)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))  # no side from another test
    item = Input(str(spec), spec, None, spec.name, str(spec))
    built = sides.side_of(item, settings, cache=False)

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the fresh generated/ should have been used")

    monkeypatch.setattr(pipeline, "build", refuse)
    reused = sides.side_of(item, settings, cache=True)
    assert reused == built


def test_the_side_cache_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.diff import sides

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    side = sides.Side("0" * 64, "1", "", "pkg", "Client", {}, (), {})
    size = len(side.to_json()) + 100  # an entry: the side and the cache's header line
    monkeypatch.setattr(sides, "CACHE_MAX_BYTES", 3 * size)
    for n, key in enumerate("abcde"):
        sides._cache_write(key, side)
        os.utime(tmp_path / "diff-sides" / key, (n, n))  # a is the oldest
    kept = sorted(p.name for p in (tmp_path / "diff-sides").iterdir())
    assert kept and len(kept) < 5 and kept == sorted("abcde")[5 - len(kept) :]
    assert sides._cache_read("e") == side and sides._cache_read("a") is None


def test_a_diff_build_is_only_the_python_files_and_has_the_same_surface() -> None:
    from generator.build.pipeline import build
    from generator.diff.surface import extract
    from generator.settings import load_settings

    settings = load_settings()
    package = str(settings["package"])
    lean = build(SPEC, settings, surface_only=True).files
    full = build(SPEC, settings).files
    assert lean and all(path.endswith(".py") for path in lean)
    assert set(lean) == {path for path in full if path.endswith(".py")}
    assert extract(lean, package) == extract(full, package)
