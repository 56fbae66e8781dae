"""Markdown as a reader sees it: CommonMark plus GFM tables and strikethrough (markdown-it-py)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_tokens(text: str) -> list[Token]:
    """Every token of ``text``, inline children included."""
    found: list[Token] = []
    stack = list(PARSER.parse(text))
    while stack:
        token = stack.pop()
        found.append(token)
        stack.extend(token.children or [])
    return found
