"""Per-call overhead of the runtime client against raw httpx, on loopback.

Usage:
    .venv/bin/python bench/bench_overhead.py [--calls 300] [--rounds 15] [--no-callgrind]

A small keep-alive server (a subprocess, so it never competes for this
process's GIL) returns one fixed JSON order. The same GET is then sent by:

    raw        httpx.Client.get(url, headers=...)             the baseline
    raw+json   the same plus response.json()
    raw+pydantic  the same, the body validated into the response model by pydantic
               (validate_json, as the client does): the per-call goal's baseline
    runtime    SyncAPIClient._send(Request) into OrderResponse (or a local model)
    generated  OrderClient.get_checkout_order(id)            if generated/ exists

Wall clock: interleaved rounds (every round times each variant once, in a
shuffled order), median per call. Instructions: when `valgrind` is on PATH,
each variant runs in its own child under `valgrind --tool=callgrind`, once
with --calls calls and once with 0 (same imports, client and warm-up), and
the difference divided by --calls is the instruction count per call. This
process and the server are not measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
RUNTIME = ROOT / "templates" / "runtime"
API_KEY = "bench-key"
HEADERS = {"x-merchant": "norce", "x-channel": "1"}
PATH = "/checkout/order/api/v0/checkout/orders/o_yClTSySjyAuuBjmiBlHCjuEcTf"
WARMUP = 20

ORDER = {
    "id": "o_yClTSySjyAuuBjmiBlHCjuEcTf",
    "merchant": "norce",
    "channel": "1",
    "reference": "R-1001",
    "created": "2026-01-12T08:21:29Z",
    "lastModified": "2026-01-12T08:25:00Z",
    "state": {"currentStatus": "checkout", "transitions": []},
    "culture": "sv-SE",
    "currency": "SEK",
    "country": "SE",
    "cart": {
        "reference": "c-1",
        "items": [
            {
                "id": f"ci_{n}",
                "reference": f"A00012{n}",
                "name": "T-Shirt XL",
                "sku": f"A00012{n}",
                "quantity": 2,
                "unit": "st",
                "price": {"includingVat": 250, "excludingVat": 200},
                "total": {"includingVat": 500, "excludingVat": 400},
                "vatRate": 0.25,
            }
            for n in range(3)
        ],
        "total": {"includingVat": 1500, "excludingVat": 1200},
    },
    "customer": {
        "type": "Person",
        "billing": {
            "givenName": "Rosalinainho",
            "familyName": "Undulatsson",
            "streetAddress": "Strandgatan 1",
            "postalCode": "955 60",
            "city": "Boden",
            "country": "SE",
            "email": "rosalinainho.undulatsson@example.com",
        },
    },
    "total": {"includingVat": 1500, "excludingVat": 1200},
}
BODY = json.dumps(ORDER).encode()


# -- server -------------------------------------------------------------------


def serve() -> None:
    """Answer every request on every keep-alive connection with ORDER."""
    response = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        b"content-length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
    )
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)

    def handle(conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                _, _, buffer = buffer.partition(b"\r\n\r\n")  # GETs carry no body
                conn.sendall(response)

    def exit_when_parent_is_done() -> None:
        sys.stdin.read()  # EOF: the parent closed our stdin, or died
        os._exit(0)

    threading.Thread(target=exit_when_parent_is_done, daemon=True).start()
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


# -- variants -----------------------------------------------------------------


def load_package() -> tuple[Any, bool]:
    """The generated package if present, else the runtime copied into a temp package."""
    if (GENERATED / "norce_checkout_order" / "_client.py").exists():
        sys.path.insert(0, str(GENERATED))
        import norce_checkout_order

        return norce_checkout_order, True
    tmp = Path(tempfile.mkdtemp(prefix="norce-bench-"))
    (tmp / "_norce_runtime").mkdir()
    for source in RUNTIME.glob("*.py"):
        shutil.copy(source, tmp / "_norce_runtime" / source.name)
    (tmp / "_norce_runtime" / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp))
    import _norce_runtime

    return _norce_runtime, False


def make_variants(base: str) -> dict[str, Callable[[], object]]:
    """Build each variant's client once; return name -> one call."""
    import httpx

    url = base + PATH
    raw = httpx.Client()
    variants: dict[str, Callable[[], object]] = {
        "raw": lambda: raw.get(url, headers={"authorization": API_KEY, **HEADERS}),
        "raw+json": lambda: raw.get(url, headers={"authorization": API_KEY, **HEADERS}).json(),
    }

    package, generated = load_package()
    import importlib

    import pydantic

    base_client = importlib.import_module(package.__name__ + "._base_client")
    request_mod = importlib.import_module(package.__name__ + "._request")
    types_mod = importlib.import_module(package.__name__ + "._types")
    if generated:
        model: Any = package.models.OrderResponse
    else:

        class Order(pydantic.BaseModel):
            model_config = pydantic.ConfigDict(extra="allow")
            id: str
            merchant: str

        model = Order

    runtime = base_client.SyncAPIClient(
        base_url=base + "/checkout/order/", api_key=API_KEY, default_headers=HEADERS
    )

    def runtime_call() -> object:
        request = request_mod.Request(
            method="GET",
            path="/api/v0/checkout/orders/{order_id}",
            path_params={"order_id": ORDER["id"]},
            query={},
            headers={"x-adapterid": types_mod.NOT_GIVEN},
            body=types_mod.NOT_GIVEN,
            response_type=model,
            idempotent=True,
            operation_id="GetCheckoutOrder",
        )
        return runtime._send(request)

    # The baseline the client is held to: raw httpx plus pydantic validating the body's bytes.
    adapter = pydantic.TypeAdapter(model)
    variants["raw+pydantic"] = lambda: adapter.validate_json(
        raw.get(url, headers={"authorization": API_KEY, **HEADERS}).content
    )
    variants["runtime"] = runtime_call
    if generated:
        client = package.OrderClient(
            api_key=API_KEY, merchant="norce", channel="1", base_url=base + "/checkout/order/"
        )
        order_id = str(ORDER["id"])
        variants["generated"] = lambda: client.get_checkout_order(order_id)
    for call in variants.values():
        for _ in range(WARMUP):
            call()
    return variants


# -- measurements -------------------------------------------------------------


def wall_clock(base: str, calls: int, rounds: int) -> dict[str, float]:
    variants = make_variants(base)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    rng = random.Random(0)
    for _ in range(rounds):
        rng.shuffle(names)
        for name in names:
            call = variants[name]
            start = time.perf_counter()
            for _ in range(calls):
                call()
            samples[name].append((time.perf_counter() - start) / calls)
    return {name: statistics.median(values) for name, values in samples.items()}


def callgrind_child(base: str, variant: str, calls: int) -> None:
    call = make_variants(base)[variant]
    for _ in range(calls):
        call()


def instructions(base: str, variant: str, calls: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--child",
                variant,
                "--url",
                base,
                "--calls",
                str(calls),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        assert match, "no totals in callgrind output"
        return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--calls", type=int, default=300, help="calls per round / per callgrind run"
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument("--variants", help="comma-separated subset for callgrind, e.g. raw,runtime")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve()
    if args.child:
        return callgrind_child(args.url, args.child, args.calls)

    server, base = start_server()
    try:
        medians = wall_clock(base, args.calls, args.rounds)
        print(f"wall clock: median of {args.rounds} interleaved rounds x {args.calls} calls")
        for name, seconds in medians.items():
            ratio = seconds / medians["raw"]
            print(f"  {name:<12} {seconds * 1e6:8.1f} us/call  {ratio:5.3f}x raw")
        if args.no_callgrind or shutil.which("valgrind") is None:
            print("callgrind: skipped" + ("" if args.no_callgrind else " (valgrind not on PATH)"))
            return
        calls = max(args.calls // 3, 50)
        print(f"callgrind: instructions per call, ({calls} calls - 0 calls) / {calls}")
        per_call: dict[str, float] = {}
        chosen = args.variants.split(",") if args.variants else list(medians)
        for name in ["raw", *(n for n in chosen if n != "raw")]:
            full = instructions(base, name, calls)
            startup = instructions(base, name, 0)
            per_call[name] = (full - startup) / calls
            ratio = per_call[name] / per_call["raw"]
            print(f"  {name:<12} {per_call[name]:12,.0f} Ir/call  {ratio:5.3f}x raw", flush=True)
        if "generated" in per_call and "raw+pydantic" in per_call:
            ratio = per_call["generated"] / per_call["raw+pydantic"]
            print(f"generated / raw+pydantic: {ratio:5.3f}x instructions per call")
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=5)


if __name__ == "__main__":
    main()
