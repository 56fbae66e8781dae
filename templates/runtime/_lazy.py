"""Modules loaded on first use, so importing the package stays cheap.

pydantic's validation machinery and the generated models cost more to
import than httpx itself; a program that only builds a client, or a CLI
that never calls the API, should not pay for them. Type checkers see the
real modules through `TYPE_CHECKING` imports next to each `LazyModule`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any

__all__ = ["LazyModule", "import_attribute"]


class LazyModule:
    """Stands in for a module and imports it on the first attribute access.

    Example:
        ```python
        if TYPE_CHECKING:
            import pydantic
        else:
            pydantic = LazyModule("pydantic")
        ```
    """

    # __dict__ keeps each attribute once fetched: later reads are plain instance lookups that
    # never reach __getattr__ (the runtime reads `pydantic.BaseModel` per node of a body).
    __slots__ = ("_module", "_name", "__dict__")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        module = self._module
        if module is None:
            # import_module takes the import lock: two threads get one module.
            module = self._module = importlib.import_module(self._name)
        value = getattr(module, attr)
        self.__dict__[attr] = value
        return value

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<LazyModule {self._name!r} ({state})>"


def import_attribute(package: str, name: str, lazy: Mapping[str, str]) -> Any:
    """A package's PEP 562 `__getattr__`: import the module that defines `name` first.

    Args:
        package: The package's `__name__`.
        name: The attribute asked for.
        lazy: Attribute name -> relative module name (".models"); an
            attribute named like its module is the module itself.

    Raises:
        AttributeError: `name` is not one of `lazy`.
    """
    module_name = lazy.get(name)
    if module_name is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    # Importing a submodule also sets it as the package attribute: later reads skip this.
    module = importlib.import_module(module_name, package)
    return module if module_name == f".{name}" else getattr(module, name)
