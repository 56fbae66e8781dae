"""Parameter types a user enjoys: enum values as plain strings, datetimes for date-time queries.

Checked where it matters: on the wire (a loopback server sees the query) and in a type checker
(mypy --strict accepts the friendly call and still refuses a value the enum does not have).
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path
from typing import Any

from norce_checkout_order import models
from support import GENERATED, mypy_strict

LISTING = "/checkout/order/api/v0/checkout/orders"


def test_enum_literals_and_datetimes_go_out_as_their_wire_values(
    client: Any, httpserver: Any
) -> None:
    httpserver.expect_request(LISTING).respond_with_json({})
    client.with_raw_response.get_checkout_orders(
        order_by="cartTotal",
        order_by_direction=models.OrderListOrderByDirection.desc,
        status=["checkout", models.OrderStatus.processing],
        date_from=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        date_to="2026-02-01T00:00:00Z",
    )
    request, _ = httpserver.log[-1]
    assert request.args.to_dict(flat=False) == {
        "order_by": ["cartTotal"],
        "order_by_direction": ["desc"],
        "status": ["checkout", "processing"],
        "date_from": ["2026-01-02T03:04:05+00:00"],
        "date_to": ["2026-02-01T00:00:00Z"],
    }


USER_CODE = """\
import datetime

from norce_checkout_order import OrderClient, models


def use(client: OrderClient) -> None:
    client.get_checkout_orders(
        order_by="cartTotal",
        order_by_direction=models.OrderListOrderByDirection.desc,
        status=["checkout", models.OrderStatus.processing],
        date_from=datetime.datetime.now(datetime.UTC),
        date_to="2026-02-01T00:00:00Z",
        adapter_id=None,
    )
    client.get_checkout_orders(order_by="cart_total")  # line 15: not a value of the enum
    client.get_checkout_orders(channel=None)  # line 16: a required header cannot be left out
"""


def test_mypy_accepts_plain_values_and_refuses_unknown_ones(tmp_path: Path) -> None:
    (tmp_path / "user_code.py").write_text(USER_CODE, "utf-8")
    result = subprocess.run(
        mypy_strict("user_code.py"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, result.stdout + result.stderr
    assert errors[0].startswith("user_code.py:15: error:") and "'cart_total'" in errors[0]
    assert errors[1].startswith("user_code.py:16: error:") and '"channel"' in errors[1]
