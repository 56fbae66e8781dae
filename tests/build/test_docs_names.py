"""Every Python name a Markdown page shows exists in the package: model classes, their fields,
enum members, the types in field tables (issue 16, "Docs pages show the real Python field names").

Pages: the generated package's README and docs (index, every operation and model page) and this
project's README. A page that names ``models.State`` (a schema name) where the class is
``StateRequest``, or ``id_`` where the field is ``id``, fails here.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest
from norce_checkout_order import models
from norce_checkout_order._types import fields_of
from support import GENERATED

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = GENERATED / "norce_checkout_order"
OPERATION_PAGES = sorted((PACKAGE / "docs" / "operations").glob("*.md"))
MODEL_PAGES = sorted((PACKAGE / "docs" / "models").glob("*.md"))
PAGES = [
    ROOT / "README.md",
    PACKAGE / "README.md",
    PACKAGE / "docs" / "index.md",
    *OPERATION_PAGES,
    *MODEL_PAGES,
]
_MODEL_REF = re.compile(r"\bmodels\.([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?")
_CALL = re.compile(r"\bmodels\.(\w+)\(([^()]*)\)")
_KEYWORD = re.compile(r"(?:^|,)\s*(\w+)\s*=")
# The class whose fields a page's table lists: the model page's own, or an operation's body.
_TITLE = re.compile(r"^# `models\.(\w+)`$", re.MULTILINE)
_BODY_FIELDS = re.compile(r"^The fields of \[`models\.(\w+)`\]", re.MULTILINE)
# | `python` (`wire`) | type | yes/no[, default ...] | description |
_ROW = re.compile(r"^\| `(\w+)`(?: \(`([^`]+)`\))? \| (.+?) \| (yes|no)\b", re.MULTILINE)
_LEFT_OUT = re.compile(r"^`(\w+)`(?: \(`([^`]+)`\))?[,.]$", re.MULTILINE)
# The README's example of a typo the client refuses.
_TYPOS = {"given_nam"}


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
            assert attribute in fields_of(model) or hasattr(
                model, attribute
            ), f"{_page_id(page)} names models.{name}.{attribute}, which does not exist"
    for name, arguments in _CALL.findall(text):
        fields = fields_of(getattr(models, name))
        for keyword in set(_KEYWORD.findall(arguments)) - _TYPOS:
            assert keyword in fields, f"{_page_id(page)}: models.{name}({keyword}=...)"


def _table_class(page: Path) -> type[models.Address] | None:
    text = page.read_text("utf-8")
    found = _TITLE.search(text) or _BODY_FIELDS.search(text)
    model = getattr(models, found[1]) if found else None
    return model if isinstance(model, type) and not issubclass(model, enum.Enum) else None


@pytest.mark.parametrize("page", OPERATION_PAGES + MODEL_PAGES, ids=_page_id)
def test_field_tables_list_exactly_the_fields_of_their_class(page: Path) -> None:
    text = page.read_text("utf-8")
    rows = _ROW.findall(text.split("## Responses")[0].split("## Body")[-1])
    model = _table_class(page)
    if model is None:
        assert "## Body" not in text or "The fields of" not in text, _page_id(page)
        return
    fields = fields_of(model)
    if "No fields." not in text and getattr(model, "__pydantic_root_model__", False) is False:
        assert [python for python, *_ in rows] == list(fields), _page_id(page)
    for python_name, wire, type_cell, required in rows:
        field = fields[python_name]
        assert (wire or python_name) == (field.alias or python_name), (_page_id(page), python_name)
        assert (required == "yes") == field.is_required(), (_page_id(page), python_name)
        for name, _ in _MODEL_REF.findall(type_cell):  # the classes the field really holds
            held = getattr(models, name)
            if isinstance(held, type):
                assert re.search(rf"\b{name}\b", str(field.annotation)), (
                    f"{_page_id(page)}: {model.__name__}.{python_name} is {field.annotation}, "
                    f"the page says {name}"
                )
    read_only = getattr(model, "_read_only", {})
    left_out = _LEFT_OUT.findall(text.split("Read-only, so not fields here")[-1])
    if "Read-only, so not fields here" in text:
        assert {wire or python for python, wire in left_out} == set(read_only), _page_id(page)
    else:
        assert not read_only, f"{_page_id(page)} does not list {model.__name__}'s read-only fields"


def test_the_pages_show_split_classes_where_they_are_used() -> None:
    """Not vacuous: the Norce spec's read-only splits reach the tables, each half where it is met."""
    sent = (PACKAGE / "docs/operations/create_checkout_order.md").read_text("utf-8")
    assert "[`models.StateRequest`]" in sent and "[`models.CallbackRequest`]" in sent
    assert "`last_modified` (`lastModified`)," in sent  # read-only: listed as left out
    read = (PACKAGE / "docs/models/OrderResponse.md").read_text("utf-8")
    assert "[`models.ShippingResponse`]" in read and "[`models.OrderRequest`]" in read
    assert "| `merchant` | `str` | yes | Read-only: set by the server." in read
