"""Python names and literals from spec text: the one place where spec strings become code."""

from __future__ import annotations

import builtins
import hashlib
import keyword
import math
import re
import unicodedata

# Names a generated parameter or method must not take: they would shadow something the code uses.
_RESERVED = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {
        "self",
        "cls",
        "options",
        "models",
        "operations",
        "httpx",
        "typing",
        "Request",
        "NOT_GIVEN",
        "NotGiven",
        "RequestOptions",
        "Any",
    }
    # Public attributes of the generated clients (runtime _base_client.py + _client.py.j2): an
    # operation called "close" must not replace the method that closes the connection pool.
    | {"close", "aclose", "base_url", "retry_policy", "with_raw_response", "send"}
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
# Characters that change how text *looks* without being visible: line separators, bidi overrides, NUL.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"  # lone surrogates (JSON "\\ud800") cannot even be encoded as UTF-8
)


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name)
    text = text.encode("ascii", "ignore").decode("ascii")
    text = _CAMEL_BOUNDARY.sub(" ", text)
    return [w for w in _NON_WORD.split(text) if w]


def snake_case(name: str) -> str:
    """``CreateCheckoutOrder`` -> ``create_checkout_order``; always a safe identifier."""
    ident = "_".join(w.lower() for w in _words(name)) or "unnamed"
    if ident[0].isdigit():
        ident = "n" + ident
    if ident in _RESERVED or ident.startswith("_"):
        ident += "_"
    return ident


def pascal_case(name: str) -> str:
    """``checkout payment`` -> ``CheckoutPayment``; always a safe identifier."""
    ident = "".join(w[:1].upper() + w[1:] for w in _words(name)) or "Unnamed"
    if ident[0].isdigit():
        ident = "N" + ident
    return ident + "_" if ident in _RESERVED else ident


def unique(names: list[str]) -> list[str]:
    """Suffix repeats deterministically: ``a, a, a`` -> ``a, a_2, a_3``."""
    seen: dict[str, int] = {}
    taken = set(names)
    result = []
    for name in names:
        if name not in seen:
            seen[name] = 1
            result.append(name)
            continue
        count = seen[name]
        candidate = name
        while candidate in taken or candidate in result:
            count += 1
            candidate = f"{name}_{count}"
        seen[name] = count
        result.append(candidate)
    return result


def py_literal(value: object) -> str:
    """A Python literal for a JSON value; ``repr`` escapes every quote and control character."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(str(value))  # repr(inf) is the bare name ``inf``, not a literal
    if isinstance(value, str | int | float | bool) or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    return repr(str(value))


def clean_text(text: object) -> str:
    """Spec prose made safe for a docstring or Markdown: no invisible or line-breaking tricks."""
    value = str(text) if text is not None else ""
    value = (
        value.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )
    return _INVISIBLE.sub("", value).strip()


def doc_text(text: object) -> str:
    """Text safe inside a triple-quoted docstring: backslashes and quote runs cannot end it."""
    value = clean_text(text).replace("\\", "\\\\").replace('"', '\\"')
    return value


def one_line(text: object) -> str:
    """First sentence-ish line of spec prose, for summaries and tables."""
    first = clean_text(text).split("\n", 1)[0].strip()
    return first


# Longest docs page name (without ".md"); many file systems stop at 255 bytes per name.
PAGE_NAME_LIMIT = 96


def page_stem(name: str, *, cut: bool = False) -> str:
    """``name`` as a docs page name: as it is up to ``PAGE_NAME_LIMIT`` characters (unless ``cut``),
    else cut and ended with a digest of the whole name, so it is bounded, stable and unique."""
    if len(name) <= PAGE_NAME_LIMIT and not cut:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"{name[: PAGE_NAME_LIMIT - 17]}_{digest}"
