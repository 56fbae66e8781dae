"""The curl examples on the published pages (tests/seeds), parsed once for every test that uses them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from support import SEEDS, SPEC, load_yaml

PLAYGROUND = "https://customer-slug.api-se.playground.norce.tech/checkout/order"
_CURL = re.compile(
    r"curl -i -X (?P<method>[A-Z]+) \\\s*'(?P<url>[^']+)'(?P<rest>(?:\s*\\\s*-H '[^']*')*)"
    r"(?:\s*\\\s*-d '(?P<body>[^']*)')?"
)
_HEADER = re.compile(r"-H '([^:]+): ([^']*)'")


@dataclass(frozen=True)
class SeedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    source: str


def _seed_requests() -> list[SeedRequest]:
    found = []
    for page in sorted(SEEDS.glob("*.txt")):
        for match in _CURL.finditer(page.read_text("utf-8")):
            assert match["url"].startswith(PLAYGROUND), match["url"]
            body = json.loads(match["body"]) if match["body"] is not None else None
            headers = dict(_HEADER.findall(match["rest"]))
            found.append(
                SeedRequest(
                    match["method"], match["url"][len(PLAYGROUND) :], headers, body, page.name
                )
            )
    return found


SEED_REQUESTS = _seed_requests()
SPEC_DATA = load_yaml(SPEC.read_text("utf-8"))


_ENUM_SPELLING = {
    str(v).lower(): v
    for schema in SPEC_DATA["components"]["schemas"].values()
    for v in schema.get("enum", [])
}


def canonical_enums(value: Any) -> Any:
    """The client sends the spec's enum spelling ("person"); Norce's examples say "Person"."""
    if isinstance(value, dict):
        return {k: canonical_enums(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_enums(v) for v in value]
    return _ENUM_SPELLING.get(value.lower(), value) if isinstance(value, str) else value


def python_name(operation_id: str) -> str:
    """The client method of an operationId: ``GetCheckoutOrder`` -> ``get_checkout_order``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id).lower()
