"""Spec text into Markdown: the one escaping path for docs, READMEs, the CHANGELOG and diff reports.

Spec prose is data, never markup: whatever a description holds (raw HTML, ``[x](javascript:…)``, a
``#`` heading, an unclosed code fence, a table pipe), it renders as the same characters, inside the
block the template put it in. Every character CommonMark could read as syntax is backslash-escaped
(CommonMark lets any ASCII punctuation be escaped); leading indentation, which would open a code
block, is dropped. Characters that are syntax only at the start of a line (list markers, setext
underlines) are escaped only there, so ordinary prose stays readable in a raw diff.
"""

from __future__ import annotations

import re

from .naming import clean_text

# Characters that open or close an inline construct anywhere in a line: emphasis, code, links and
# images, raw HTML and autolinks, entities, table pipes, GFM strikethrough and math, ATX headings.
# An underscore between two letters or digits cannot open emphasis, so ``order_id`` stays as it is.
_INLINE_SYNTAX = re.compile(r"([\\`*\[\]<>&|~$#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# Syntax only at the start of a line: a list item (``-``, ``+``, ``1.``, ``1)`` then a space), or a
# line of ``=``/``-`` (a setext underline or a thematic break).
_LINE_START = re.compile(r"^(?:[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]+\s*$)")
_LONGEST_TICKS = re.compile(r"`+")


def md_inline(text: object) -> str:
    """Spec text as one line of Markdown inline content (headings, list items, table cells)."""
    return _escape(" ".join(clean_text(text).split()))


def md_block(text: object) -> str:
    """Spec prose as Markdown paragraphs: line breaks and blank lines kept, nothing else is syntax."""
    lines = [line.strip() for line in clean_text(text).split("\n")]
    return "\n".join(_escape(" ".join(line.split())) for line in lines)


def md_cell(text: object) -> str:
    """Spec text as one GFM table cell: ``md_inline``, which also escapes ``|``."""
    return md_inline(text)


def md_code(text: object) -> str:
    """Spec text as an inline code span (a path, a type, a URL), whatever backticks it holds."""
    return _code_span(" ".join(clean_text(text).split()))


def md_cell_code(text: object) -> str:
    """A code span inside a GFM table cell: there ``|`` ends the cell even inside backticks."""
    return _code_span(" ".join(clean_text(text).split()).replace("|", "\\|"))


def _code_span(value: str) -> str:
    if not value:
        return "` `"
    runs = _LONGEST_TICKS.findall(value)
    fence = "`" * (max((len(run) for run in runs), default=0) + 1)
    # A space inside the fence keeps a leading or trailing backtick from joining it.
    pad = " " if value.startswith("`") or value.endswith("`") or value.startswith(" ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _escape(line: str) -> str:
    escaped = _INLINE_SYNTAX.sub(r"\\\1", line)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if escaped[0].isdigit():  # "1. x" -> "1\. x": the marker is the punctuation after the digits
        end = start.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


__all__ = ["md_block", "md_cell", "md_cell_code", "md_code", "md_inline"]
