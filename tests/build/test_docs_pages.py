"""The generated docs as a reader meets them: a page per model class an operation uses, links
that lead somewhere, and files without stray whitespace (issue "docs", items 1 and 6)."""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from norce_checkout_order import models, operations
from support import GENERATED, SPEC, cached_build, load_yaml

from generator.build.docpages import page_paths
from generator.build.pipeline import Result
from generator.settings import load_settings

DOCS = GENERATED / "norce_checkout_order" / "docs"
MARKDOWN = sorted(DOCS.rglob("*.md")) + [DOCS.parent / "README.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_MODEL_LINK = re.compile(r"\[`models\.(\w+)`\]\(([^)]+)\)")


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    for target in _LINK.findall(page.read_text("utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        assert (page.parent / target.split("#")[0]).resolve().is_file(), (page.name, target)


def _classes_named(annotation: Any) -> set[str]:
    names = set(re.findall(r"\b(?:models\.)?([A-Z]\w*)", str(annotation)))
    return {
        name
        for name in names
        if getattr(getattr(models, name, None), "__module__", "") == models.__name__
    }


def test_every_class_an_operation_sends_or_returns_has_a_page() -> None:
    pages = {p.stem for p in (DOCS / "models").glob("*.md")}
    used: set[str] = set()
    for name in operations.__all__:
        hints = getattr(operations, name).__annotations__
        for annotation in hints.values():
            used |= _classes_named(annotation)
    assert {"OrderResponse", "OrderRequest", "Address", "OrderStatus"} <= used
    assert used <= pages
    index = (DOCS / "index.md").read_text("utf-8")
    linked = {name for name, target in _MODEL_LINK.findall(index) if target == f"models/{name}.md"}
    assert linked == pages  # the index lists every page, each once
    for page in pages:
        assert isinstance(getattr(models, page), type), page


def test_operation_pages_link_their_body_and_response_models() -> None:
    page = (DOCS / "operations" / "get_checkout_order.md").read_text("utf-8")
    assert "| 200 | [`models.OrderResponse`](../models/OrderResponse.md) | OK |" in page
    assert "Returns [`models.OrderResponse`](../models/OrderResponse.md);" in page
    body = (DOCS / "operations" / "update_checkout_order_state.md").read_text("utf-8")
    assert "`body`: [`models.StateRequest`](../models/StateRequest.md) (required)" in body


@pytest.mark.parametrize(
    "enum_class",
    [c for c in vars(models).values() if isinstance(c, type) and issubclass(c, enum.Enum)],
    ids=lambda c: c.__name__,
)
def test_enum_pages_list_every_member(enum_class: type[enum.Enum]) -> None:
    path = DOCS / "models" / f"{enum_class.__name__}.md"
    if not path.exists():
        return  # no operation reaches it (none in the Norce spec: every enum has a page)
    rows = re.findall(r"^\| `models\.\w+\.(\w+)` \| `([^`]*)` \|$", path.read_text("utf-8"), re.M)
    assert rows == [(m.name, m.value) for m in enum_class], path.name


def test_parameter_tables_show_the_wire_name_only_where_it_differs() -> None:
    page = (DOCS / "operations" / "get_checkout_orders.md").read_text("utf-8")
    assert "| `offset` | query | `int \\| None` | no |" in page
    assert "| `merchant` (`x-merchant`) | header |" in page
    for page_path in MARKDOWN:
        repeated = re.findall(r"`(\w+)` \(`\1`\)", page_path.read_text("utf-8"))
        assert not repeated, (page_path.name, repeated)


def test_tables_show_python_types_not_json_names() -> None:
    for page_path in sorted(DOCS.rglob("*.md")):
        for row in re.findall(r"^\|.*\|$", page_path.read_text("utf-8"), re.M):
            assert not re.search(r"\| (string|integer|number|boolean|object|array of \w+)", row), (
                page_path.name,
                row,
            )


def test_page_names_are_bounded_and_distinct_ignoring_case() -> None:
    long = "A" * 120
    paths = page_paths(["Foo", "FOO", "Bar", long])
    assert paths["Bar"] == "models/Bar.md"
    assert paths["FOO"] == "models/FOO.md"  # first of the case twins in sorted order
    assert paths["Foo"].startswith("models/Foo_") and paths["Foo"] != "models/Foo.md"
    assert len(Path(paths[long]).name) <= 96 + 3
    assert len({p.casefold() for p in paths.values()}) == 4
    assert page_paths(["Foo", "FOO", "Bar", long]) == paths  # the same names, the same paths


def _prose_spec(tmp_path: Path) -> Path:
    """The real spec with multi-line prose whose lines end in spaces, everywhere prose goes."""
    data: dict[str, Any] = load_yaml(SPEC.read_text("utf-8"))
    prose = "First line.  \nSecond line\t\n\n  Third, indented.   "
    data["info"]["description"] += "\n" + prose
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                op["description"] = prose
                for param in op.get("parameters") or []:
                    if isinstance(param, dict) and "$ref" not in param:
                        param["description"] = prose
    for schema in data["components"]["schemas"].values():
        schema["description"] = prose
        for prop in (schema.get("properties") or {}).values():
            if isinstance(prop, dict):
                prop["description"] = prose
    out = tmp_path / "prose.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    prose = _prose_spec(tmp_path_factory.mktemp("prose"))
    return [cached_build(SPEC, load_settings()), cached_build(prose, load_settings())]


def test_no_generated_file_has_trailing_whitespace(builds: list[Result]) -> None:
    for result in builds:
        for path, data in result.files.items():
            for number, line in enumerate(data.decode("utf-8").split("\n"), 1):
                assert line == line.rstrip(), f"{path}:{number}: {line!r}"


def test_markdown_pages_have_single_blank_lines_and_one_final_newline(
    builds: list[Result],
) -> None:
    for result in builds:
        for path, data in result.files.items():
            if path.endswith(".md"):
                text = data.decode("utf-8")
                assert "\n\n\n" not in text, (path, text[text.index("\n\n\n") - 200 :][:400])
                assert text.endswith("\n") and not text.endswith("\n\n"), path
