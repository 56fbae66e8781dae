"""The generator as a user runs it: deterministic, checkable, and harmless on a bad spec."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import GENERATED, SPEC, mypy_strict, run_generator

from generator.build.write import read_tree

PACKAGE = GENERATED / "norce_checkout_order"


def test_generate_twice_gives_byte_identical_trees(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_generator("generate", "--out", str(first)).returncode == 0
    assert run_generator("generate", "--out", str(second)).returncode == 0
    assert read_tree(first) == read_tree(second)
    # The package is a function of the spec alone; CHANGELOG.md and .spec/ also carry the build
    # history of generated/ (a fresh folder starts a new log), so they are compared by `check`.
    package = "norce_checkout_order"
    assert read_tree(first / package) == read_tree(
        GENERATED / package
    ), "generated/ is stale: run `make generate`"


def test_every_generated_file_carries_the_stamp(tmp_path: Path) -> None:
    import hashlib

    sha = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    for relpath, data in read_tree(GENERATED).items():
        first_line = data.split(b"\n", 1)[0].decode()
        if relpath.endswith(".json"):
            continue  # JSON has no comments; MANIFEST.json holds the same fields as data
        assert "norce-codegen" in first_line and "Do not edit" in first_line, relpath
        assert sha not in first_line, relpath  # the spec's sha256 lives in MANIFEST.json only


def test_check_fails_after_a_one_byte_edit(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    assert run_generator("generate", "--out", str(out)).returncode == 0
    assert run_generator("check", "--out", str(out)).returncode == 0
    target = out / "norce_checkout_order" / "operations.py"
    data = bytearray(target.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord(" ")
    target.write_bytes(bytes(data))
    result = run_generator("check", "--out", str(out))
    assert result.returncode == 1
    assert "norce_checkout_order/operations.py" in result.stderr


BROKEN = {
    "invalid-yaml": ("openapi: 3.0.1\ninfo: [unclosed\n", ": invalid YAML/JSON"),
    "fails-validation": (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
        "      responses:\n        '200': {description: 5}\n",
        "#/paths/~1a/get/responses/200/description: 5 is not of type 'string'",
    ),
    "dangling-ref": (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref "
        "'#/components/schemas/Missing' does not resolve",
    ),
    # openapi-spec-validator checks a schema used twice once, walks on into it and used to raise
    # (UnknownType) on the default it could no longer check.
    "unknown-type-used-twice": (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      operationId: a\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Thing'}\n"
        "components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n"
        "        name: {type: text, default: thing}\n",
        "#/components/schemas/Thing/properties/name/type: 'text' is not one of",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_spec_is_refused_and_output_untouched(case: str, tmp_path: Path) -> None:
    text, expected = BROKEN[case]
    spec = tmp_path / "broken.yaml"
    spec.write_text(text)
    out = tmp_path / "generated"
    shutil.copytree(PACKAGE, out / "norce_checkout_order")
    before = read_tree(out)

    result = run_generator("generate", "--spec", str(spec), "--out", str(out))

    assert result.returncode == 2
    assert f"{spec}{expected}" in result.stderr
    assert "Traceback" not in result.stderr
    assert read_tree(out) == before


def test_unwritable_output_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores directory permissions; a regular file where the parent dir should be fails for all
        parent = tmp_path / "file-not-dir"
        parent.write_text("x")
        out = parent / "generated"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        out = locked / "generated"
    result = run_generator("generate", "--out", str(out))
    assert result.returncode == 3
    assert "error: cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_generated_package_passes_mypy_strict() -> None:
    result = subprocess.run(
        mypy_strict("-p", "norce_checkout_order"),
        cwd=GENERATED,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_package_does_not_import_the_generator() -> None:
    code = "import sys, norce_checkout_order; assert 'generator' not in sys.modules; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert result.stdout.strip() == "ok", result.stderr
