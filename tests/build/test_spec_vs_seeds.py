"""spec/ agrees with the published pages (tests/seeds): the pages win where they disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from seed_support import SEED_REQUESTS, SPEC_DATA
from support import SEEDS

PAGES = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
OPERATIONS = [
    op
    for item in SPEC_DATA["paths"].values()
    for key, op in item.items()
    if key in ("get", "put", "post", "delete", "patch")
]


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _nodes(child)


def _spec_values(key: str) -> list[Any]:
    return [node[key] for node in _nodes(SPEC_DATA) if isinstance(node, dict) and key in node]


def test_build_title_and_servers_match_the_pages() -> None:
    assert SPEC_DATA["info"]["description"].startswith("Build 2026-01-12 08:21:29")
    assert SPEC_DATA["info"]["version"] == "0.1"
    published = re.findall(r"^(https://\{slug\}[^\s]+)$", PAGES, re.MULTILINE)
    assert sorted(set(published)) == sorted(s["url"] for s in SPEC_DATA["servers"])


def test_every_published_request_is_an_operation() -> None:
    for seed in SEED_REQUESTS:
        assert seed.method.lower() in SPEC_DATA["paths"][seed.path], (seed.method, seed.path)


def test_published_headers_are_on_every_operation() -> None:
    for operation in OPERATIONS:
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["x-merchant"]["required"] and headers["x-channel"]["required"]
        # "non-empty" on the pages
        assert headers["x-merchant"]["schema"]["minLength"] == 1
        assert headers["x-channel"]["schema"]["minLength"] == 1
        assert not headers["x-adapterid"].get("required", False)
        assert [headers[h]["example"] for h in ("x-merchant", "x-channel", "x-adapterid")] == [
            "norce",
            "1",
            "qliro_checkout_adapter",
        ]
    assert SPEC_DATA["components"]["securitySchemes"]["Bearer"]["name"] == "Authorization"


def test_published_enums_are_in_the_spec() -> None:
    enums = [tuple(e) for e in _spec_values("enum")]
    published = [
        tuple(re.findall(r'"([^"]+)"', line)) for line in re.findall(r"^Enum(.*)$", PAGES, re.M)
    ]
    assert published
    for values in published:
        assert values in enums, values


def test_published_examples_are_in_the_spec() -> None:
    examples = {str(v) for v in _spec_values("example")}
    published = {m.strip('"') for m in re.findall(r"^Example: (.*)$", PAGES, re.MULTILINE)}
    assert len(published) >= 15
    assert published - examples == set()
