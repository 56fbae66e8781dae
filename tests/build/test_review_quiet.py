"""Review-quiet regeneration: a spec change touches only the files whose content it changes.

No file carries the spec's sha256 (it lives in MANIFEST.json), so a new build of the spec that edits
one summary changes exactly the files that show that summary, plus the manifest; the runtime files
are byte-identical whatever the spec says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SPEC, cached_build

from generator.build.pipeline import Result
from generator.settings import TEMPLATES, load_settings

OLD_SUMMARY, NEW_SUMMARY = "Update Order State", "Move an order to another state"
# A property of a shared schema: its model page and the body tables that show it change, no other.
OLD_FIELD, NEW_FIELD = "Given name or first name.", "First name, or given name."
PACKAGE = "norce_checkout_order"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Result]:
    text = SPEC.read_text("utf-8")
    assert text.count(f"summary: {OLD_SUMMARY}\n") == 1
    changed = tmp_path_factory.mktemp("spec") / "changed.yaml"
    changed.write_text(text.replace(f"summary: {OLD_SUMMARY}\n", f"summary: {NEW_SUMMARY}\n"))
    return cached_build(SPEC, load_settings()), cached_build(changed, load_settings())


def test_one_summary_change_touches_only_the_files_that_show_it(
    builds: tuple[Result, Result],
) -> None:
    before, after = builds
    assert before.doc.sha256 != after.doc.sha256
    assert before.files.keys() == after.files.keys()
    changed = {path for path in before.files if before.files[path] != after.files[path]}
    showing = {
        path
        for path in before.files
        if OLD_SUMMARY.encode() in before.files[path] or NEW_SUMMARY.encode() in after.files[path]
    }
    assert len(showing) >= 3  # the client's docstrings, the operation's page, the index
    assert changed == showing | {f"{PACKAGE}/MANIFEST.json"}


def test_one_property_description_touches_only_the_pages_that_show_it(tmp_path: Path) -> None:
    text = SPEC.read_text("utf-8")
    assert text.count(f"description: {OLD_FIELD}\n") == 1
    changed_spec = tmp_path / "changed.yaml"
    changed_spec.write_text(
        text.replace(f"description: {OLD_FIELD}\n", f"description: {NEW_FIELD}\n")
    )
    before, after = cached_build(SPEC, load_settings()), cached_build(changed_spec, load_settings())
    changed = {path for path in before.files if before.files[path] != after.files[path]}
    showing = {path for path in before.files if OLD_FIELD.encode() in before.files[path]}
    assert f"{PACKAGE}/docs/models/Address.md" in showing and len(showing) == 4  # + 2 body tables
    assert changed == showing | {f"{PACKAGE}/MANIFEST.json"}


def test_runtime_files_are_identical_across_spec_changes(builds: tuple[Result, Result]) -> None:
    before, after = builds
    runtime = [f"{PACKAGE}/{p.name}" for p in sorted((TEMPLATES / "runtime").glob("*.py"))]
    assert runtime
    for path in [*runtime, f"{PACKAGE}/py.typed"]:
        assert before.files[path] == after.files[path], path


def test_the_manifest_carries_the_spec_identity(builds: tuple[Result, Result]) -> None:
    for result in builds:
        record = json.loads(result.files[f"{PACKAGE}/MANIFEST.json"])
        assert record["spec_sha256"] == result.doc.sha256
        assert record["spec_build"] == "Build 2026-01-12 08:21:29"
        assert all(result.doc.sha256.encode() not in data for data in _without_manifest(result))


def _without_manifest(result: Result) -> list[bytes]:
    return [data for path, data in result.files.items() if not path.endswith("MANIFEST.json")]
