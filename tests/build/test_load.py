"""The libyaml loader and the pure-Python loader: same dict, same refusals, same bounds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.build.load import DEFAULT_LOADER, MAX_DEPTH, Loader, parse_spec_bytes
from generator.diagnostics import SpecError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [
    ROOT / "spec" / "norce-checkout-order.yaml",
    *sorted((ROOT / "tests" / "hostile").glob("*.yaml")),
]
HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


# Refusals of our own making; libyaml words its syntax errors differently from PyYAML's scanner.
OWN = re.compile(
    r"duplicate key|nesting deeper|YAML aliases|keys must be strings|digits is longer|is not a date"
    r"|merge keys|not a JSON number|expand to more than|recursive YAML alias"
    r"|expected a mapping|not an OpenAPI 3|not UTF-8|byte limit"
)


def _outcome(raw: bytes, loader: Loader) -> tuple[str, object]:
    try:
        return "parsed", parse_spec_bytes(raw, "spec.yaml", loader)
    except SpecError as exc:
        return "refused", str(exc)


def test_libyaml_is_the_default_where_available() -> None:
    assert DEFAULT_LOADER == "c"


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_both_loaders_give_the_same_dict_or_the_same_refusal(path: Path) -> None:
    raw = path.read_bytes()
    c_kind, c_result = _outcome(raw, "c")
    py_kind, py_result = _outcome(raw, "python")
    assert c_kind == py_kind
    if c_kind == "parsed" or OWN.search(str(py_result)):
        assert c_result == py_result


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a: 1\na: 2\n", "spec.yaml: invalid YAML/JSON: duplicate key 'a' (line 5)"),
        ("x:\n  ? {a: 1}\n  : 2\n", "#/x: a key is a mapping; keys must be strings (line 5)"),
        ("x:\n  ? [a]\n  : 2\n", "#/x: a key is a list; keys must be strings (line 5)"),
        (
            "x:\n  y: " + "9" * 5000 + "\n",
            "#/x/y: an integer of 5000 digits is longer than Python reads (4,300); quote it (line 5)",
        ),
        ("x: [1, {z: 2024-13-45}]\n", "#/x/1/z: '2024-13-45' is not a date"),
        ("b: &b {c: 1}\na:\n  <<: *b\n", "merge keys (<<) are not supported (line 6)"),
        ("x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nesting deeper than 200"),
        ("x: .inf\n", "#/x: inf is not a JSON number"),
    ],
)
def test_both_loaders_refuse_with_the_same_pointed_message(body: str, message: str) -> None:
    raw = (HEAD + body).encode()
    for loader in ("c", "python"):
        kind, result = _outcome(raw, loader)  # type: ignore[arg-type]
        assert kind == "refused", loader
        assert message in str(result), (loader, result)
        assert "Traceback" not in str(result)


def test_both_loaders_refuse_a_lone_surrogate() -> None:
    raw = (HEAD + 'x: "\\ud800"\n').encode()
    assert _outcome(raw, "python") == (
        "refused",
        "spec.yaml#/x: text contains a lone UTF-16 surrogate",
    )
    kind, message = _outcome(raw, "c")  # libyaml refuses the escape itself
    assert kind == "refused" and "invalid Unicode character escape" in str(message)


def test_libyaml_never_sees_nesting_that_would_crash_it() -> None:
    """libyaml composes recursively in C: a million open brackets would kill the process."""
    code = (
        "from generator.build.load import parse_spec_bytes\n"
        "from generator.diagnostics import SpecError\n"
        "try:\n"
        "    parse_spec_bytes(b'openapi: 3.0.3\\nx: ' + b'[' * 1_000_000, 'deep.yaml', 'c')\n"
        "except SpecError as exc:\n"
        "    print(exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "nesting deeper than 200 levels" in run.stdout
