"""No-op regeneration: ``generate`` skips the build when the inputs' key and the output are unchanged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from support import run_generator

from generator.build.freshness import KEY_FILE, input_key, is_up_to_date
from generator.build.versions import installed_version
from generator.settings import PROJECT_ROOT as ROOT
from generator.settings import load_settings

SPEC = ROOT / "spec" / "norce-checkout-order.yaml"


def test_second_generate_is_a_no_op_until_an_input_or_file_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_generator("generate", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "generated" in first.stdout and (out / KEY_FILE).is_file()

    again = run_generator("generate", "--out", str(out))
    assert again.returncode == 0 and "up to date" in again.stdout

    # check ignores the key file; its semantics are unchanged
    assert run_generator("check", "--out", str(out)).returncode == 0

    edited = out / "norce_checkout_order" / "_logs.py"
    edited.write_text(edited.read_text("utf-8") + "# edited by hand\n", "utf-8")
    assert not is_up_to_date(out, input_key(SPEC, load_settings()))
    rebuilt = run_generator("generate", "--out", str(out))
    assert rebuilt.returncode == 0 and "generated" in rebuilt.stdout
    assert "edited by hand" not in edited.read_text("utf-8")

    (out / "norce_checkout_order" / "stray.py").write_text("x = 1\n", "utf-8")
    assert not is_up_to_date(out, input_key(SPEC, load_settings()))
    # A file generate did not write is never deleted: the rebuild is refused (tests/build/test_write.py).
    assert run_generator("generate", "--force", "--out", str(out)).returncode == 3
    assert (out / "norce_checkout_order" / "stray.py").is_file()


def test_key_covers_spec_templates_and_settings(tmp_path: Path) -> None:
    settings = load_settings()
    base = input_key(SPEC, settings)
    assert input_key(SPEC, settings) == base
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(SPEC.read_bytes() + b"\n# comment\n")
    assert input_key(spec, settings) != base
    assert input_key(SPEC, {**settings, "client-class": "Other"}) != base
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    assert input_key(SPEC, settings, templates) == base
    (templates / "package" / "README.md.j2").write_text("changed\n", "utf-8")
    assert input_key(SPEC, settings, templates) != base


def test_a_corrupt_key_file_means_rebuild(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("{not json", "utf-8")
    assert not is_up_to_date(tmp_path, "k")
    (tmp_path / KEY_FILE).write_text(json.dumps({"key": "k", "files": []}), "utf-8")
    assert not is_up_to_date(tmp_path, "k")


_IMPORTS_AFTER = """
import sys
from generator.cli import main
code = main(sys.argv[1:])
loaded = [m for m in sys.modules if m.startswith(("griffe", "generator.diff.", "generator.build."))]
print(code, " ".join(sorted(loaded)))
"""
_DIFF_MACHINERY = ("griffe", "generator.diff.specs", "generator.diff.python_api")


def _generate_and_list_modules(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS_AFTER, "generate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    code, _, modules = result.stdout.strip().splitlines()[-1].partition(" ")
    assert code == "0", result.stderr
    return set(modules.split())


def test_generate_loads_the_diff_machinery_only_for_a_new_build(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    first = _generate_and_list_modules("--out", out)  # a fresh CHANGELOG: nothing to compare
    assert "generator.build.pipeline" in first
    assert not {m for m in first if m.startswith(_DIFF_MACHINERY)}, first
    forced = _generate_and_list_modules("--out", out, "--force")  # same build: carried over
    assert not {m for m in forced if m.startswith(_DIFF_MACHINERY)}, forced
    noop = _generate_and_list_modules("--out", out)  # up to date: not even the pipeline
    assert "generator.build.pipeline" not in noop and "black" not in noop


@pytest.mark.parametrize("name", ["black", "datamodel-code-generator", "jinja2", "pydantic"])
def test_tool_versions_agree_with_importlib_metadata(name: str) -> None:
    assert installed_version(name) == metadata.version(name)
    assert installed_version("no-such-distribution-norce") == "absent"
