"""Network stand-ins for the README test: Norce's servers behind a loopback HTTPS proxy.

The README's client examples build real URLs (``https://acme.api-se.playground.norce.tech/...``). Run
with ``HTTPS_PROXY`` pointing here and ``SSL_CERT_FILE`` at ``certificate()``, httpx opens a CONNECT
tunnel to this proxy, which answers the TLS handshake itself with a throwaway certificate for those
host names and serves canned JSON, recording every request. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

HOSTS = ("acme.api-se.playground.norce.tech", "acme.api-se.stage.norce.tech")
ORDERS = "/checkout/order/api/v0/checkout/orders"
NOT_FOUND = {"code": "order-not-found", "message": "Order with id:o_123 not found."}
# (method, path pattern) -> (status, JSON body or None); anything else is NOT_FOUND.
ROUTES: dict[tuple[str, str], tuple[int, object]] = {
    ("PUT", rf"{ORDERS}/o_123/customer/shipping"): (204, None),
    ("GET", rf"{ORDERS}/o_123/payments"): (200, []),
    ("POST", rf"{ORDERS}/o_123/payments"): (200, {"id": "p_1"}),
}
_TIMEOUT = 10.0  # seconds a tunnel may sit idle; bounds every thread


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate (and key) for HOSTS, made with the openssl command line tool."""
    cert, key = folder / "proxy-cert.pem", folder / "proxy-key.pem"
    names = ",".join(f"DNS:{host}" for host in HOSTS)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=norce-readme-test"]
        + ["-addext", f"subjectAltName={names}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@dataclass
class Seen:
    """One request as the origin received it."""

    method: str
    host: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Tunnel)
        self.context = context
        self.seen: list[Seen] = []


class _Tunnel(socketserver.StreamRequestHandler):
    """``CONNECT host:443``, then TLS with our certificate, then HTTP served by ``_Origin``."""

    timeout = _TIMEOUT
    server: _Proxy

    def handle(self) -> None:
        request_line = self.rfile.readline(8192).decode("latin-1").split()
        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
            pass
        if len(request_line) != 3 or request_line[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        tls = self.server.context.wrap_socket(self.connection, server_side=True)
        _Origin(tls, self.client_address, self.server)


class _Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _TIMEOUT
    server: _Proxy  # type: ignore[assignment]

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        host = self.headers.get("host", "")
        self.server.seen.append(
            Seen(self.command, host, self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        status, body = next(
            (
                answer
                for (method, pattern), answer in ROUTES.items()
                if method == self.command and re.fullmatch(pattern, self.path)
            ),
            (404, NOT_FOUND),
        )
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", "req-readme-1")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = _answer  # noqa: N815 - http.server's naming

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def norce_proxy(folder: Path) -> Iterator[tuple[dict[str, str], list[Seen]]]:
    """Run the proxy; yield the environment a client process needs and the list of requests."""
    cert, key = certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    proxy = _Proxy(context)
    thread = threading.Thread(target=proxy.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        env = {
            "HTTPS_PROXY": f"http://127.0.0.1:{proxy.server_address[1]}",
            "SSL_CERT_FILE": str(cert),
        }
        yield env, proxy.seen
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=_TIMEOUT)
