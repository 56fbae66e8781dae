"""Project settings from [tool.norce-codegen] in pyproject.toml, and the pinned model options."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
CACHE_ENV = "NORCE_CODEGEN_CACHE"

DEFAULTS: dict[str, Any] = {
    "spec": "spec/norce-checkout-order.yaml",
    "out": "generated",
    "package": "norce_checkout_order",
    "client-class": "OrderClient",
    "header-names": {},
    "required-headers": [],
    "environments": {},
    # The Authorization scheme put before the API key: "auto" reads it from the spec's security
    # scheme; "none" sends the key as it is; any other value is the scheme word (e.g. "Bearer").
    "auth-scheme": "auto",
    # Client arguments not passed fall back to <env-prefix>_<ARGUMENT> (NORCE_CHECKOUT_API_KEY, ...).
    "env-prefix": "NORCE_CHECKOUT",
}


def load_settings(root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """Defaults overlaid with the project's [tool.norce-codegen] table."""
    settings = dict(DEFAULTS)
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        table = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("norce-codegen", {})
        settings.update(table)
    return settings


def cache_root() -> Path:
    """Where caches that only save time live: git-ignored ``.cache/``, or ``$NORCE_CODEGEN_CACHE``."""
    return Path(os.environ.get(CACHE_ENV) or PROJECT_ROOT / ".cache")
