"""Every subcommand given a missing or wrong path: one clear line, the documented exit code, nothing
written, never a traceback; and the exit codes ``--help`` lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A scratch folder holding a file, a folder and an empty DEST; nothing else may appear."""
    (tmp_path / "a-file").write_text("not a folder\n")
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "dest").mkdir()
    return tmp_path


@pytest.mark.parametrize("bad", ["missing.yaml", "a-folder", "a-file/spec.yaml"])  # the last: ENOTDIR
@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        (["generate", "--spec", "{bad}", "--out", "{tmp}/out"], 2, "{bad}: cannot read spec: "),
        (["check", "--spec", "{bad}", "--out", "{tmp}/out"], 2, "{bad}: cannot read spec: "),
        (["vendor", "{tmp}/dest", "--spec", "{bad}"], 2, "{bad}: cannot read spec: "),
        (["diff", "{bad}", "{spec}"], 2, "[OLD] {bad}: not a file"),
        (["diff", "{spec}", "{bad}"], 2, "[NEW] {bad}: not a file"),
        (["diff", "{spec}", "{spec}", "--accept", "{bad}"], 2, "--accept {bad}: cannot read"),
        (["update-spec", "{bad}", "--spec", "{tmp}/t/spec.yaml"], 5, "cannot read {bad}: "),
    ],
    ids=["generate", "check", "vendor", "diff-old", "diff-new", "diff-accept", "update-spec"],
)
def test_a_bad_spec_path_is_one_line_and_writes_nothing(
    place: Path,
    bad: str,
    command: list[str],
    code: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _files(place)
    fill = {"bad": str(place / bad), "tmp": str(place), "spec": str(SPEC)}
    assert main([part.format(**fill) for part in command]) == code
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message.format(**fill) in err, err
    assert err.count("error: ") == 1 and "Traceback" not in err
    assert _files(place) == before


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        (["generate", "--out", "{tmp}/a-file"], 3, "refusing to replace {tmp}/a-file: it is not a folder"),
        (["check", "--out", "{tmp}/a-file"], 2, "error: {tmp}/a-file is not a folder"),
        (["check", "--out", "{tmp}/missing"], 1, "{tmp}/missing does not exist (run `make generate`)"),
        (["vendor", "{tmp}/a-file"], 2, "error: {tmp}/a-file is not an existing folder"),
        (["vendor", "{tmp}/missing"], 2, "error: {tmp}/missing is not an existing folder"),
        (["verify", "{tmp}/a-file"], 2, "error: {tmp}/a-file is not a folder"),
        (["verify", "{tmp}/missing"], 2, "error: {tmp}/missing has no MANIFEST.json"),
        (["update-spec", "{spec}", "--spec", "{tmp}/a-folder"], 2, "error: --spec {tmp}/a-folder is a folder"),
    ],
    ids=["generate-out-file", "check-out-file", "check-out-missing", "vendor-file", "vendor-missing",
         "verify-file", "verify-missing", "update-spec-target-folder"],
)  # fmt: skip
def test_a_bad_output_or_folder_argument_is_one_line_and_writes_nothing(
    place: Path, command: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(place)
    fill = {"tmp": str(place), "spec": str(SPEC)}
    assert main([part.format(**fill) for part in command]) == code
    err = capsys.readouterr().err
    assert message.format(**fill) in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _files(place) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty (no YAML or JSON document in it)"),
        ("# only a comment\n", "the file is empty"),
        ("- 1\n- 2\n", "expected a mapping (an OpenAPI document) at the top level, got a list"),
        ("openapi: 3.0.1\ninfo: [unclosed\n", 'in "{spec}", line 3, column 1'),
    ],
)
def test_spec_file_messages_name_the_file_and_the_problem(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    assert main(["check", "--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"error: {spec}: " in err and message.format(spec=spec) in err, err
    assert "<unicode string>" not in err and "NoneType" not in err and f"{spec}#" not in err


def test_a_path_template_mismatch_is_one_line_at_the_operation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /orders/{orderId}:\n    get:\n"
        "      operationId: getOrder\n      parameters:\n"
        "        - {name: order_id, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n        '200': {description: ok}\n"
    )
    assert main(["check", "--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {spec}#/paths/~1orders~1{{orderId}}/get: the path has {{orderId}} but no path "
        "parameter of that name; path parameter 'order_id' is not in the path (use the same "
        "names in both)\n"
    )


def test_help_lists_every_exit_code() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    codes = result.stdout.split("exit codes", 1)[1]
    for line in ("  0  success", "  1  check: ", "verify: the copy", "  2  usage error",
                 "  3  cannot write", "  4  diff: ", "  5  update-spec: "):  # fmt: skip
        assert line in codes, line


@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "ten"])
def test_a_timeout_that_is_not_a_positive_finite_number_is_a_usage_error(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "spec.yaml"
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "update-spec",
                "https://127.0.0.1:9/x.yaml",
                "--spec",
                str(target),
                f"--timeout={value}",
            ]
        )
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --timeout: invalid number of seconds value: '{value}'" in err
    assert "Traceback" not in err and not target.exists()
