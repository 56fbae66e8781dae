"""Jinja2 rendering: templates print what the IR holds; no logic beyond loops and conditionals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .naming import doc_text, py_literal, table_cell


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
    # Markdown tables: ``|cell`` keeps spec prose inside its cell.
    env.filters["cell"] = table_cell
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    """Render one template with the given context."""
    return env.get_template(template).render(**context)
