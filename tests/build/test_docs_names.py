"""Every Python name a Markdown page shows exists in the package: model classes, their fields,
enum members, body-table types (issue 16, "Docs pages show the real Python field names").

Pages: the generated package's README and docs (index and every operation page) and this
project's README. A page that names ``models.State`` (a schema name) where the class is
``StateRequest``, or ``id_`` where the field is ``id``, fails here.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest
import yaml
from norce_checkout_order import models
from norce_checkout_order._types import fields_of
from support import GENERATED, SPEC

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = GENERATED / "norce_checkout_order"
PAGES = [
    ROOT / "README.md",
    PACKAGE / "README.md",
    PACKAGE / "docs" / "index.md",
    *sorted((PACKAGE / "docs" / "operations").glob("*.md")),
]
SCHEMAS = set(yaml.safe_load(SPEC.read_text("utf-8"))["components"]["schemas"])
_MODEL_REF = re.compile(r"\bmodels\.([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?")
_CALL = re.compile(r"\bmodels\.(\w+)\(([^()]*)\)")
_KEYWORD = re.compile(r"(?:^|,)\s*(\w+)\s*=")
_BODY = re.compile(r"^`body: (?:list\[)?models\.(\w+)", re.MULTILINE)
# | `wire` | `python` or — | type [(schema X)] | required | description |
_ROW = re.compile(r"^\| `[^`]+` \| (?:`(\w+)`|—) \| ([^|]+?) \| (?:yes|no) \|", re.MULTILINE)
_TYPE = re.compile(r"(?:array of )?(\w+)(?: \([\w-]+\))?(?: \(schema (\w+)\))?")
# The README's example of a typo the client refuses.
_TYPOS = {"given_nam"}
_PRIMITIVES = {"string", "integer", "number", "boolean", "object", "any", "array"}


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_models_name_on_the_page_exists(page: Path) -> None:
    text = page.read_text("utf-8")
    for name, attribute in _MODEL_REF.findall(text):
        model = getattr(models, name, None)
        assert model is not None, f"{_page_id(page)} names models.{name}, which does not exist"
        if attribute and isinstance(model, type) and issubclass(model, enum.Enum):
            assert attribute in model.__members__, f"models.{name}.{attribute}"
        elif attribute:  # a field, or a method such as model_validate
            assert attribute in fields_of(model) or hasattr(model, attribute), (
                f"{_page_id(page)} names models.{name}.{attribute}, which does not exist"
            )
    for name, arguments in _CALL.findall(text):
        fields = fields_of(getattr(models, name))
        for keyword in set(_KEYWORD.findall(arguments)) - _TYPOS:
            assert keyword in fields, f"{_page_id(page)}: models.{name}({keyword}=...)"


def _body_rows(page: Path) -> tuple[type[models.Address] | None, list[tuple[str, str]]]:
    text = page.read_text("utf-8")
    body = _BODY.search(text)
    return (getattr(models, body[1]) if body else None), _ROW.findall(text)


@pytest.mark.parametrize("page", PAGES[3:], ids=_page_id)
def test_body_tables_name_real_fields_and_the_classes_they_hold(page: Path) -> None:
    model, rows = _body_rows(page)
    if not rows:
        return
    assert model is not None, _page_id(page)
    fields = fields_of(model)
    for python_name, type_cell in rows:
        match = _TYPE.fullmatch(type_cell)
        assert match, f"{_page_id(page)}: type {type_cell!r}"
        shown, schema = match[1], match[2]
        if python_name:
            assert python_name in fields, f"{_page_id(page)}: {model.__name__} lacks {python_name}"
        if shown in _PRIMITIVES:
            continue
        assert isinstance(getattr(models, shown, None), type), f"{_page_id(page)}: {shown}"
        if python_name:  # the class the field really holds, not the schema's name
            assert re.search(rf"\b{shown}\b", str(fields[python_name].annotation)), (
                f"{_page_id(page)}: {model.__name__}.{python_name} is "
                f"{fields[python_name].annotation}, the page says {shown}"
            )
        if schema:
            assert schema in SCHEMAS and schema != shown, f"{_page_id(page)}: {type_cell}"
        else:
            assert shown in SCHEMAS, f"{_page_id(page)}: {shown} is no schema name"


def test_the_pages_show_split_classes_with_their_schema() -> None:
    """Not vacuous: the Norce spec's read-only splits reach the tables, each with its schema."""
    shown = {cell for page in PAGES[3:] for _, cell in _body_rows(page)[1] if "(schema " in cell}
    assert {"StateRequest (schema State)", "array of CallbackRequest (schema Callback)"} <= shown
    assert "array of ShippingResponse (schema Shipping)" in shown  # read-only: met in responses
