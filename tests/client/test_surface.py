"""The public surface: sync and async twins agree, with_raw_response wraps each method with the same
signature (also for type checkers), and importing the package loads neither pydantic's machinery
nor the models nor the async client until they are used."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import norce_checkout_order
from norce_checkout_order import AsyncOrderClient, OrderClient
from support import GENERATED, mypy_strict


def _public(cls: type) -> dict[str, inspect.Signature]:
    # close() and aclose() are the one intended difference.
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name not in ("close", "aclose")
    }


def test_the_async_client_has_the_same_methods_and_signatures() -> None:
    sync, asynchronous = _public(OrderClient), _public(AsyncOrderClient)

    assert sync.keys() == asynchronous.keys() and len(sync) >= 33
    assert sync == asynchronous
    assert all(inspect.iscoroutinefunction(getattr(AsyncOrderClient, n)) for n in asynchronous)
    init = inspect.signature(OrderClient.__init__).parameters
    async_init = inspect.signature(AsyncOrderClient.__init__).parameters
    assert [p for p in init if p != "http_client"] == [p for p in async_init if p != "http_client"]


def test_with_raw_response_wraps_every_method_with_its_signature() -> None:
    for cls in (OrderClient, AsyncOrderClient):
        client = cls(api_key="k", merchant="m", channel="1", base_url="http://127.0.0.1:1")
        raw = client.with_raw_response
        methods = {
            n: m for n, m in inspect.getmembers(client, inspect.ismethod) if not n.startswith("_")
        }
        operations = {n for n in methods if n not in ("close", "aclose")}
        assert set(vars(raw)) == operations
        for name in operations:
            wrapper = getattr(raw, name)
            assert inspect.signature(wrapper) == inspect.signature(methods[name]), name
            assert wrapper.__doc__ == methods[name].__doc__, name


def test_type_checkers_see_raw_responses_with_the_same_parameters(tmp_path: Path) -> None:
    snippet = tmp_path / "use_raw.py"
    snippet.write_text(textwrap.dedent("""
            from norce_checkout_order import OrderClient, RawResponse, models

            client = OrderClient(api_key="k", merchant="m", channel="1")
            ok: RawResponse[models.OrderResponse] = client.with_raw_response.get_checkout_order("o")
            client.with_raw_response.get_checkout_order(1)
            """))
    result = subprocess.run(
        mypy_strict(str(snippet)),
        cwd=GENERATED,
        capture_output=True,
        text=True,
        timeout=300,
    )

    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout
    assert (
        'use_raw.py:6: error: Argument 1 has incompatible type "int"; expected "str"' in errors[0]
    )


def test_importing_the_package_loads_only_what_is_used() -> None:
    code = textwrap.dedent("""
        import json, sys
        def loaded():
            names = ("pydantic.main", "norce_checkout_order.models",
                     "norce_checkout_order._async_client")
            return [n for n in names if n in sys.modules]
        steps = {}
        import norce_checkout_order
        from norce_checkout_order import OrderClient, NotFoundError
        steps["import"] = loaded()
        norce_checkout_order.AsyncOrderClient
        steps["async"] = loaded()
        norce_checkout_order.models.Address
        steps["models"] = loaded()
        steps["built"] = norce_checkout_order.models.OrderResponse.__pydantic_complete__
        print(json.dumps(steps))
        """)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "", "PYTHONPATH": str(GENERATED)},
    )

    steps = json.loads(result.stdout or result.stderr)
    assert steps["import"] == []
    assert steps["async"] == ["norce_checkout_order._async_client"]
    assert steps["built"] is False  # defer_build: validators are built on first use
    assert set(steps["models"]) == {
        "pydantic.main",
        "norce_checkout_order.models",
        "norce_checkout_order._async_client",
    }


def test_dir_and_all_list_the_lazy_names_too() -> None:
    assert {"AsyncOrderClient", "models", "OrderClient"} <= set(dir(norce_checkout_order))
    assert sorted(norce_checkout_order.__all__) == dir(norce_checkout_order)


def test_every_model_is_on_the_runtime_base_with_the_rust_regex_engine() -> None:
    from norce_checkout_order import _model, models

    classes = [
        c for c in vars(models).values() if isinstance(c, type) and c.__module__ == models.__name__
    ]
    model_classes = [c for c in classes if issubclass(c, _model.Model)]
    assert len(model_classes) >= 40
    assert all(issubclass(c, _model.Model) for c in classes if hasattr(c, "model_config"))
    for cls in model_classes:
        assert cls.model_config.get("regex_engine") == "rust-regex", cls
        assert cls.model_config.get("extra") == "allow", cls


def test_annotations_resolve_at_run_time_although_models_load_lazily() -> None:
    import typing

    for cls in (OrderClient, AsyncOrderClient):
        for name, member in _public(cls).items():
            hints = typing.get_type_hints(getattr(cls, name))
            assert "return" in hints, (cls.__name__, name, member)
