"""One GET through the runtime client in a fresh interpreter; prints a JSON report.

Usage: python limits_child.py sync|async URL CLIENT_KWARGS_JSON OPTIONS_JSON

Run by `runtime_helpers.run_child` under `tests/peak_rss.py`, which adds the
peak memory; the report here names the exception that ended the call.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from _norce_runtime._base_client import AsyncAPIClient, SyncAPIClient
from runtime_helpers import API_KEY, get_order


def main(kind: str, url: str, client_json: str, options_json: str) -> None:
    kwargs: dict[str, Any] = {
        "base_url": url,
        "api_key": API_KEY,
        "default_headers": {"x-merchant": "norce", "x-channel": "1"},
        "max_retries": 0,
        **json.loads(client_json),
    }
    options = json.loads(options_json) or None
    request = get_order(response_type=Any)

    def sync_call() -> object:
        with SyncAPIClient(**kwargs) as client:
            return client._send(request, options)

    async def async_call() -> object:
        async with AsyncAPIClient(**kwargs) as client:
            return await client._send(request, options)

    started = time.monotonic()
    report: dict[str, Any] = {"mro": [], "message": ""}
    try:
        result = sync_call() if kind == "sync" else asyncio.run(async_call())
        report["result_chars"] = len(repr(result))
    except BaseException as exc:  # noqa: BLE001 - the report names whatever escaped
        report["mro"] = [cls.__name__ for cls in type(exc).__mro__]
        report["message"] = str(exc)[:500]
    report["seconds"] = time.monotonic() - started
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:5])
