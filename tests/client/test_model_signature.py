"""`help(models.X)` and `inspect.signature(models.X)` show the Python field names a user passes,
keyword-only, before and after the model is built; the wire names still construct (issue 16)."""

from __future__ import annotations

import inspect
import json
import pydoc
import subprocess
import sys
from typing import Annotated, ClassVar

from norce_checkout_order import models
from norce_checkout_order._model import Model
from pydantic import Field
from support import GENERATED

ADDRESS_START = (
    "(*, type: CustomerType | CustomerTypeLiteral | None = None, given_name: str | None = None, "
    "family_name: str | None = None, care_of: str | None = None, "
)


class _Base(Model):
    order_id: Annotated[str, Field(alias="orderId", min_length=1)]


class _Tagged(_Base):
    _additional_properties: ClassVar[bool] = True
    tags: Annotated[list[str], Field(default_factory=list, alias="tagList")]
    note: str | None = "n/a"


def _parameters(model: type[Model]) -> list[tuple[str, str, str, object]]:
    return [
        (p.name, p.kind.name, str(p.annotation), p.default)
        for p in inspect.signature(model).parameters.values()
    ]


def test_every_model_signature_lists_its_python_field_names_keyword_only() -> None:
    classes = [
        c
        for _, c in inspect.getmembers(models, inspect.isclass)
        if issubclass(c, Model) and c.__module__ == models.__name__
    ]
    assert len(classes) > 40
    for model in classes:
        parameters = inspect.signature(model).parameters.values()
        assert [p.name for p in parameters] == list(model.model_fields), model.__name__
        assert {p.kind for p in parameters} <= {inspect.Parameter.KEYWORD_ONLY}, model.__name__


def test_annotations_read_as_the_source_writes_them_and_required_fields_have_no_default() -> None:
    assert str(inspect.signature(models.Address)).startswith(ADDRESS_START)
    order = dict(
        (name, (annotation, default))
        for name, _, annotation, default in _parameters(models.OrderResponse)
    )
    assert order["merchant"] == ("str", inspect.Parameter.empty)  # required by the spec
    assert order["last_modified"] == ("AwareDatetime | None", None)
    assert order["state"] == ("StateResponse | None", None)
    assert "lastModified" not in order


def test_inherited_fields_factories_and_additional_members_show_too() -> None:
    assert _parameters(_Tagged) == [
        ("order_id", "KEYWORD_ONLY", "str", inspect.Parameter.empty),
        ("tags", "KEYWORD_ONLY", "list[str]", _parameters(_Tagged)[1][3]),
        ("note", "KEYWORD_ONLY", "str | None", "n/a"),
        ("additional", "VAR_KEYWORD", "Any", inspect.Parameter.empty),
    ]
    assert repr(_parameters(_Tagged)[1][3]) == "<factory>"
    assert "additional" not in inspect.signature(_Base).parameters
    # Both spellings still construct; the signature only documents the Python one.
    assert _Tagged(order_id="o-1", tagList=["a"]).tags == _Tagged(orderId="o-1", tags=["a"]).tags


def test_help_shows_python_names() -> None:
    text = pydoc.render_doc(models.Address, renderer=pydoc.plaintext)
    header = next(line for line in text.splitlines() if "Address(*" in line)
    assert header.strip(" |").startswith("Address" + ADDRESS_START), header
    assert "givenName" not in header and "extra_data" not in header


def test_the_signature_survives_the_first_build_and_does_not_cause_it() -> None:
    """In a fresh interpreter: asking for the signature builds nothing; building (on first use)
    keeps it, though pydantic then sets a signature of wire names of its own."""
    script = """
import inspect, json
from norce_checkout_order import models
before = str(inspect.signature(models.StateResponse))
built_by_asking = models.StateResponse.__pydantic_complete__
models.StateResponse.model_validate({"currentStatus": "checkout"})
print(json.dumps([before, built_by_asking, models.StateResponse.__pydantic_complete__,
                  str(inspect.signature(models.StateResponse))]))
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(GENERATED)},
    )
    assert run.returncode == 0, run.stderr
    before, built_by_asking, built, after = json.loads(run.stdout)
    assert built_by_asking is False and built is True
    assert before == after
    assert "current_status: OrderStatus | OrderStatusLiteral | None = None" in after
    assert "currentStatus" not in after


def test_an_instance_has_no_signature_of_its_own() -> None:
    address = models.Address(givenName="Rosa")
    assert address.given_name == "Rosa"
    assert not hasattr(address, "__signature__")
