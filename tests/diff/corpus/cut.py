"""Cut a published OpenAPI document down to a few paths and the components they reference.

    python tests/diff/corpus/cut.py SOURCE.json OUT.json --path '^/orgs/\\{org\\}/issue-types'

Both versions of a pair are cut with the same path patterns, so the pair stays a real pair: every
difference between the two cut files is a difference Norce-unrelated maintainers published. Example
payloads (``example``/``examples``) and prose (``description``/``summary``) are dropped to keep the
files small; the diff ignores both.
Output is compact JSON with sorted keys (stable across runs).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

_DROP = ("example", "examples")
_PROSE = ("description", "summary")
_NAME_MAPS = ("properties", "patternProperties", "schemas", "responses", "parameters", "headers")


def cut(document: dict[str, Any], patterns: list[str]) -> dict[str, Any]:
    """``document`` with only the paths matching one of ``patterns`` and what they reference."""
    keep = [re.compile(p) for p in patterns]
    paths = {p: item for p, item in document["paths"].items() if any(k.search(p) for k in keep)}
    out = {
        k: v
        for k, v in document.items()
        if k not in ("paths", "components", "webhooks", "x-webhooks")
    }
    out["paths"] = _strip(paths)
    components: dict[str, dict[str, Any]] = {}
    pending = _refs(out["paths"])
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, section, name = ref.split("/", 3)[1:]
        node = _strip(document["components"][section][name], f"{section}:item")
        components.setdefault(section, {})[name] = node
        pending |= _refs(node)
    # Security schemes are referenced by name, not by $ref.
    schemes = (document.get("components") or {}).get("securitySchemes")
    if schemes:
        components["securitySchemes"] = schemes
    out["components"] = components
    return out


def _strip(node: Any, parent: str = "") -> Any:
    """Drop sample data and prose. Under a map of names (``properties``) every key is kept; a
    Response Object keeps its (required) ``description``, emptied."""
    if isinstance(node, list):
        return [_strip(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if parent in _NAME_MAPS:
            out[key] = _strip(value, f"{parent}:item")
        elif key in _DROP:
            continue
        elif key in _PROSE and isinstance(value, str):
            if parent == "responses:item":
                out[key] = ""
        else:
            out[key] = _strip(value, key)
    return out


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                found.add(ref)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--path", action="append", required=True, help="regex over path keys")
    args = parser.parse_args()
    document = json.loads(args.source.read_text("utf-8-sig"))
    text = json.dumps(cut(document, args.path), sort_keys=True, separators=(",", ":"))
    args.out.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
