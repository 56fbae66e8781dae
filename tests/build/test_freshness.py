"""No-op regeneration: ``generate`` skips the build when the inputs' key and the output are unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support import run_generator

from generator.build.freshness import KEY_FILE, input_key, is_up_to_date
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
