"""Malformed YAML keys and values, and a corrupt spec.lock: one clear line and exit 2 from every
command that reads a spec (generate, check, diff, update-spec), never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.intake.lock import LOCK_NAME, MAX_LOCK_BYTES, verify

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
MALFORMED = {
    "mapping_key": (
        HEAD + "      responses:\n        ? {a: 1}\n        : {description: ok}\n",
        "#/paths/~1x/get/responses: a key is a mapping; keys must be strings (line 7)",
    ),
    "list_key": (
        HEAD + "      responses:\n        ? [200]\n        : {description: ok}\n",
        "#/paths/~1x/get/responses: a key is a list; keys must be strings (line 7)",
    ),
    "huge_int": (
        HEAD + "      responses:\n        ? " + "9" * 5000 + "\n        : {description: ok}\n",
        "#/paths/~1x/get/responses: an integer of 5000 digits is longer than Python reads",
    ),
    "bool_key": (
        HEAD + "      operationId: getX\n      responses:\n        yes: {description: ok}\n",
        "#/paths/~1x/get/responses: key True is a bool, not a string",
    ),
}


@pytest.fixture(params=sorted(MALFORMED))
def malformed(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    text, message = MALFORMED[request.param]
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    return path, message


@pytest.mark.parametrize(
    "command",
    [
        ["generate", "--spec", "{spec}", "--out", "{tmp}/out"],
        ["check", "--spec", "{spec}", "--out", "{tmp}/out"],
        ["diff", "{spec}", "{spec}"],
        ["update-spec", "{spec}", "--spec", "{tmp}/target/spec.yaml"],
    ],
    ids=["generate", "check", "diff", "update-spec"],
)
def test_each_command_refuses_malformed_yaml_with_a_pointer(
    malformed: tuple[Path, str],
    command: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec, message = malformed
    args = [a.format(spec=spec, tmp=tmp_path) for a in command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not (tmp_path / "out").exists() and not (tmp_path / "target").exists()


@pytest.mark.parametrize(
    ("lock", "message"),
    [
        ('{"sha256": 5', " is not JSON (JSONDecodeError)"),
        ("[" * 60_000, " is not JSON (RecursionError)"),
        ('["a"]', " holds a JSON list, not an object"),
        ('{"sha256": 5}', ": 'source' is missing or not a str"),
        ("\xff\xfe", " is not JSON (UnicodeDecodeError)"),
        ("{}" + " " * MAX_LOCK_BYTES, " is over 65536 bytes; a lock is a few hundred"),
    ],
)
def test_a_corrupt_lock_is_one_clear_message(tmp_path: Path, lock: str, message: str) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copyfile(SPEC, spec)
    (tmp_path / LOCK_NAME).write_bytes(lock.encode("latin-1"))
    assert verify(spec) == (
        f"{tmp_path / LOCK_NAME}{message}; rewrite it from the spec as it is: "
        f"`norce-codegen update-spec {spec} --spec {spec}`"
    )


def test_check_reports_a_corrupt_lock_and_update_spec_rewrites_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copyfile(SPEC, spec)
    (tmp_path / LOCK_NAME).write_text('{"sha256": 5', "utf-8")
    assert main(["check", "--spec", str(spec)]) == 1
    assert "spec.lock is not JSON (JSONDecodeError)" in capsys.readouterr().err
    assert main(["update-spec", str(spec), "--spec", str(spec)]) == 0
    assert f"wrote {tmp_path / LOCK_NAME}" in capsys.readouterr().out
    assert verify(spec) is None
