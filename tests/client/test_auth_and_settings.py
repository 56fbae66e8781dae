"""Auth as Norce's own clients send it, settings from environment variables, the User-Agent, and
the 401 hint: what arrives at a loopback server."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from norce_checkout_order import (
    ENV_VARS,
    AsyncOrderClient,
    AuthenticationError,
    OrderClient,
)
from support import GENERATED
from werkzeug import Response

ORDER_PATH = "/checkout/order/api/v0/checkout/orders/o-1"
ORDER = {"id": "o-1", "merchant": "norce", "channel": "1"}


@pytest.fixture(autouse=True)
def _no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)


def _headers_of_one_get(httpserver: Any, kind: str = "sync", **settings: Any) -> Any:
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_json(ORDER)
    settings.setdefault("base_url", httpserver.url_for("/checkout/order/"))
    if kind == "sync":
        with OrderClient(**settings) as client:
            client.get_checkout_order("o-1")
    else:

        async def go() -> None:
            async with AsyncOrderClient(**settings) as client:
                await client.get_checkout_order("o-1")

        asyncio.run(go())
    return httpserver.log[-1][0].headers


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("api_key", ["t0k", "Bearer t0k"])
def test_the_token_arrives_in_the_bearer_form(kind: str, api_key: str, httpserver: Any) -> None:
    headers = _headers_of_one_get(httpserver, kind, api_key=api_key, merchant="m", channel="1")

    assert headers["Authorization"] == "Bearer t0k"


def test_the_documented_variables() -> None:
    assert ENV_VARS == {
        "api_key": "NORCE_CHECKOUT_API_KEY",
        "merchant": "NORCE_CHECKOUT_MERCHANT",
        "channel": "NORCE_CHECKOUT_CHANNEL",
        "adapter_id": "NORCE_CHECKOUT_ADAPTER_ID",
        "environment": "NORCE_CHECKOUT_ENVIRONMENT",
        "slug": "NORCE_CHECKOUT_SLUG",
        "base_url": "NORCE_CHECKOUT_BASE_URL",
    }


def test_every_setting_can_come_from_the_environment(httpserver: Any, monkeypatch) -> None:
    monkeypatch.setenv("NORCE_CHECKOUT_API_KEY", "env-token")
    monkeypatch.setenv("NORCE_CHECKOUT_MERCHANT", "env-merchant")
    monkeypatch.setenv("NORCE_CHECKOUT_CHANNEL", "env-channel")
    monkeypatch.setenv("NORCE_CHECKOUT_ADAPTER_ID", "env-adapter")
    monkeypatch.setenv("NORCE_CHECKOUT_BASE_URL", httpserver.url_for("/checkout/order/"))

    headers = _headers_of_one_get(httpserver, base_url=None)

    assert headers["Authorization"] == "Bearer env-token"
    assert headers["x-merchant"] == "env-merchant"
    assert headers["x-channel"] == "env-channel"
    assert headers["x-adapterid"] == "env-adapter"


def test_explicit_arguments_win_over_the_environment(httpserver: Any, monkeypatch) -> None:
    monkeypatch.setenv("NORCE_CHECKOUT_API_KEY", "env-token")
    monkeypatch.setenv("NORCE_CHECKOUT_MERCHANT", "env-merchant")
    monkeypatch.setenv("NORCE_CHECKOUT_ENVIRONMENT", "production")  # explicit base_url wins

    headers = _headers_of_one_get(
        httpserver, api_key="arg-token", merchant="arg-merchant", channel="1"
    )

    assert headers["Authorization"] == "Bearer arg-token"
    assert headers["x-merchant"] == "arg-merchant"


def test_environment_and_slug_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("NORCE_CHECKOUT_ENVIRONMENT", "stage")
    monkeypatch.setenv("NORCE_CHECKOUT_SLUG", "acme-shop")

    with OrderClient(api_key="k", merchant="m", channel="1") as client:
        assert client.base_url == "https://acme-shop.api-se.stage.norce.tech/checkout/order"
    with OrderClient(api_key="k", merchant="m", channel="1", slug="other") as client:
        assert client.base_url == "https://other.api-se.stage.norce.tech/checkout/order"


@pytest.mark.parametrize(
    ("missing", "variable"),
    [("api_key", "NORCE_CHECKOUT_API_KEY"), ("merchant", "NORCE_CHECKOUT_MERCHANT")],
)
def test_a_missing_setting_names_the_argument_and_the_variable(missing: str, variable: str) -> None:
    settings = {"api_key": "k", "merchant": "m", "channel": "1", "base_url": "http://127.0.0.1:1"}
    del settings[missing]

    with pytest.raises(
        ValueError, match=f"{missing} is required: pass {missing}=... or set {variable}"
    ):
        OrderClient(**settings)


@pytest.mark.parametrize("api_key", ["", "   "])
def test_an_empty_key_is_refused_not_sent_as_a_bare_scheme(api_key: str) -> None:
    with pytest.raises(ValueError, match="api_key must be a non-empty string"):
        OrderClient(api_key=api_key, merchant="m", channel="1", base_url="http://127.0.0.1:1")


def test_a_missing_location_names_the_variables_too() -> None:
    with pytest.raises(ValueError, match="NORCE_CHECKOUT_ENVIRONMENT and NORCE_CHECKOUT_SLUG"):
        OrderClient(api_key="k", merchant="m", channel="1")


def test_the_user_agent_names_the_package_and_httpx(httpserver: Any) -> None:
    headers = _headers_of_one_get(httpserver, api_key="k", merchant="m", channel="1")

    assert (
        headers["User-Agent"] == f"norce-checkout-order-python/0.1 python-httpx/{httpx.__version__}"
    )


def test_the_user_agent_follows_a_vendored_rename(tmp_path: Path) -> None:
    shutil.copytree(GENERATED / "norce_checkout_order", tmp_path / "acme_norce")
    code = "import acme_norce._client as c; print(c.user_agent())"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )

    assert result.stdout.startswith("acme-norce-python/0.1 python-httpx/"), result.stderr


@pytest.mark.parametrize(
    ("api_key", "hint"),
    [
        ("t0k", "the key was sent as 'Authorization: Bearer <token>'; check the token"),
        ("Token t0k", "not sent in the form Norce expects: 'Authorization: Bearer <token>'"),
    ],
)
def test_a_401_says_how_the_key_was_sent(api_key: str, hint: str, httpserver: Any) -> None:
    httpserver.expect_oneshot_request(ORDER_PATH).respond_with_handler(
        lambda _request: Response('{"message": "Unauthorized"}', 401, mimetype="application/json")
    )

    with (
        OrderClient(
            api_key=api_key,
            merchant="m",
            channel="1",
            base_url=httpserver.url_for("/checkout/order/"),
        ) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.get_checkout_order("o-1")

    assert hint in str(caught.value)
    assert "t0k" not in str(caught.value)
