"""datamodel-code-generator, run only when the schemas changed.

DCG reads ``components`` alone (``openapi_scopes=[Schemas]``), so it gets only that part of the
document: the same output (checked on the Norce, petstore3 and Xero specs), less to parse, and a new
Norce build that rewords an operation or bumps the build line reuses the last output from the cache
(key: that input, the options, and the versions of DCG and of the libraries that shape its output).
A document whose schemas ``$ref`` anything outside ``components`` is passed whole.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .cache import Cache, digest
from .versions import installed_version

CACHE_NAME = "dcg"
_SHAPING = ("datamodel-code-generator", "pydantic", "jinja2", "inflect", "genson")


def run_dcg(
    data: Mapping[str, Any], options: Mapping[str, Any], aliases: Mapping[str, str]
) -> tuple[str, Any]:
    """DCG's models module for ``data`` and its model metadata (which class came from which
    schema). Raises what DCG raises; a failure is never cached."""
    text = json.dumps(_input(data))
    key = digest(
        *(f"{name} {installed_version(name)}" for name in _SHAPING),
        f"python {sys.version_info[:2]}",
        repr(sorted(options.items())),
        json.dumps(aliases, sort_keys=True),
        text,
    )
    cache = Cache.named(CACHE_NAME)
    hit = cache.get(key)
    if hit is not None:
        found = json.loads(hit)
        return str(found["source"]), found["metadata"]
    from datamodel_code_generator import generate

    with tempfile.TemporaryDirectory(prefix="norce-models-") as tmp:
        metadata_path = Path(tmp) / "models.json"
        source = generate(text, **options, aliases=dict(aliases), emit_model_metadata=metadata_path)
        metadata = json.loads(metadata_path.read_text("utf-8"))
    if not isinstance(source, str):
        raise TypeError("model generation produced several modules")
    cache.put(key, json.dumps({"source": source, "metadata": metadata}).encode("utf-8"))
    cache.prune()
    return source, metadata


def _input(data: Mapping[str, Any]) -> Mapping[str, Any]:
    components = data.get("components")
    if not isinstance(components, dict) or any(
        not ref.startswith("#/components/") for ref in _refs(components)
    ):
        return data
    # info is required by the validator DCG runs; its text never reaches the models.
    return {
        "openapi": data.get("openapi"),
        "info": {"title": "models", "version": "0"},
        "components": components,
    }


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
