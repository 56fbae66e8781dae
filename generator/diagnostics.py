"""Errors that point at a place in the spec (file + RFC 6901 JSON pointer)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def json_pointer(parts: Iterable[object]) -> str:
    """Encode path parts as a URI-fragment JSON pointer, e.g. ``#/paths/~1orders/get``."""
    encoded = [str(p).replace("~", "~0").replace("/", "~1") for p in parts]
    return "#/" + "/".join(encoded) if encoded else "#"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a spec."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        # The root pointer "#" adds nothing, and after a URL it reads as an empty fragment.
        return f"{self.file}{'' if self.pointer == '#' else self.pointer}: {self.message}"


class SpecError(Exception):
    """The spec cannot be turned into a client; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def fail(file: str, parts: Iterable[object], message: str) -> SpecError:
    """Build a SpecError with a single diagnostic (``raise fail(...)``)."""
    return SpecError([Diagnostic(file, json_pointer(parts), message)])


_WARNED: set[str] = set()


def warn(diagnostic: Diagnostic) -> None:
    """Print ``warning: <diagnostic>`` to stderr, once per process (one run may build twice)."""
    text = f"warning: {diagnostic}"
    if text not in _WARNED:
        _WARNED.add(text)
        print(text, file=sys.stderr)
