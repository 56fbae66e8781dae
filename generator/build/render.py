"""Jinja2 rendering: templates print what the IR holds; no logic beyond loops and conditionals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .markdown import md_block, md_cell, md_cell_code, md_code, md_inline
from .naming import doc_text, py_literal


def environment(templates: Path) -> jinja2.Environment:
    """A strict environment: an undefined name fails the build instead of printing nothing."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # we emit Python and Markdown; escaping happened in the IR (naming.py)
    )
    # The same escaping path as the IR, for the few raw values a template prints into Python:
    # ``|py`` makes a literal, ``|doc`` makes docstring text.
    env.filters["py"] = py_literal
    env.filters["doc"] = doc_text
    # Markdown: spec text is never markup (markdown.py). ``|md`` paragraphs, ``|mdline`` one line
    # (headings, list items), ``|code`` a code span; ``|cell``/``|cellcode`` inside a table cell.
    env.filters["md"] = md_block
    env.filters["mdline"] = md_inline
    env.filters["code"] = md_code
    env.filters["cell"] = md_cell
    env.filters["cellcode"] = md_cell_code
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    """Render one template with the given context."""
    return env.get_template(template).render(**context)
