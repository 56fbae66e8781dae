"""Spec text never becomes Markdown syntax: checked by rendering with a CommonMark (+ GFM tables) parser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_support import PARSER, markdown_tokens
from support import SPEC, load_yaml

from generator.build.markdown import md_block, md_cell, md_cell_code, md_code, md_inline
from generator.build.pipeline import build
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

# One payload per injection class: each would add markup if it reached Markdown unescaped.
INJECTIONS = {
    "raw_html": '<img src=x onerror="alert(1)"><script>alert(2)</script>',
    "html_block": "<div>\n<iframe src=https://evil.example></iframe>\n</div>",
    "js_link": "[click](javascript:alert(document.cookie))",
    "autolink": "<javascript:alert(1)> and <https://evil.example>",
    "reference_link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "image": "![pixel](https://evil.example/track.png)",
    "heading": "# Injected heading\n## Another",
    "setext_heading": "Injected\n========",
    "fence": "```python\nimport os\n",
    "tilde_fence": "~~~\nunclosed",
    "table_pipe": "a | b | c",
    "emphasis": "**bold** _em_ ~~strike~~",
    "list": "- item\n1. numbered\n+ plus",
    "blockquote": "> quoted",
    "entity": "&lt;script&gt; &#x3C;img&#x3E;",
    "indented_code": "text\n\n    indented code block",
    "thematic_break": "---",
    "code_span": "`tick` and ``double``",
}

_MARKUP = {
    "html_block",
    "html_inline",
    "link_open",
    "image",
    "heading_open",
    "fence",
    "code_block",
    "em_open",
    "strong_open",
    "s_open",
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "hr",
    "table_open",
}


def _markup(text: str) -> set[str]:
    return {t.type for t in markdown_tokens(text)} & _MARKUP


def _rendered_text(text: str) -> str:
    return "".join(t.content for t in markdown_tokens(text) if t.type in ("text", "code_inline"))


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_each_injection_renders_as_its_own_text(name: str) -> None:
    payload = INJECTIONS[name]
    one_line = " ".join(payload.split())
    for escaped in (md_inline(payload), md_cell(payload)):
        assert _markup(escaped) == set(), escaped
        assert _rendered_text(escaped) == one_line
    assert _markup(md_block(payload)) == set(), md_block(payload)
    code = md_code(payload)
    assert {t.type for t in markdown_tokens(code)} & _MARKUP == set()
    assert _rendered_text(code) == one_line


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_injections_stay_inside_their_table_cell(name: str) -> None:
    payload = INJECTIONS[name]
    table = f"| a | b | c |\n|---|---|---|\n| {md_cell(payload)} | {md_cell_code(payload)} | z |\n"
    cells = [t for t in markdown_tokens(table) if t.type == "td_open"]
    assert len(cells) == 3, table
    assert _markup(table) == {"table_open"}


def test_ordinary_prose_stays_readable() -> None:
    text = (
        "Full valid url to be called by POST. If it contains '{order_id}', it is replaced; 0.1 - 5."
    )
    assert md_inline(text) == text


def _injected_spec(tmp_path: Path) -> Path:
    """The real spec with a payload in every piece of prose and every name the docs print."""
    data: dict[str, Any] = load_yaml(SPEC.read_text("utf-8"))
    payload = " ".join(INJECTIONS.values())
    data["info"]["title"] = "Norce " + INJECTIONS["raw_html"]
    data["info"]["description"] = INJECTIONS["heading"] + "\nBuild 2026-01-12 08:21:29 " + payload
    data["tags"] = [{"name": t["name"], "description": payload} for t in data.get("tags") or []]
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                op["summary"] = "Summary " + INJECTIONS["js_link"] + " " + INJECTIONS["fence"]
                op["description"] = payload
                op["tags"] = [INJECTIONS["heading"]]
                for response in op["responses"].values():
                    if isinstance(response, dict) and "description" in response:
                        response["description"] = payload
    for schema in data["components"]["schemas"].values():
        schema["description"] = payload
        for prop in (schema.get("properties") or {}).values():
            if isinstance(prop, dict):
                prop["description"] = payload
                if prop.get("type") == "string":
                    prop["format"] = INJECTIONS["raw_html"]
    out = tmp_path / "injected.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return out


def test_generated_markdown_has_no_markup_from_the_spec(tmp_path: Path) -> None:
    result = build(_injected_spec(tmp_path), load_settings(), formatted=False)
    pages = {path: data.decode() for path, data in result.files.items() if path.endswith(".md")}
    assert len(pages) > 30
    for path, page in pages.items():
        # The stamp on the first line is our own HTML comment; everything after it is checked.
        text = (
            page.split("\n", 1)[1] if page.startswith("<!-- Generated by norce-codegen") else page
        )
        tokens = markdown_tokens(text)
        types = [t.type for t in tokens]
        assert "html_block" not in types and "html_inline" not in types, path
        assert "image" not in types, path
        for token in tokens:
            href = str(token.attrGet("href") or "")
            assert (
                token.type != "link_open"
                or not re.match(r"[a-z]+:", href)
                or (href.startswith("https://"))
            ), (path, href)
        # Headings and fences are the templates' own: none comes from a payload.
        blocks = PARSER.parse(text)
        headings = [blocks[i + 1].content for i, t in enumerate(blocks) if t.type == "heading_open"]
        assert not any(h.startswith(("Injected", "Another")) for h in headings), (path, headings)
        for fence in (t for t in blocks if t.type in ("fence", "code_block")):
            assert "import os" not in fence.content and "unclosed" not in fence.content, path


# Template expressions that print into Markdown: each is derived (an identifier we made) or goes
# through one of the Markdown filters of render.py.
_DERIVED = {
    "api.client_class",
    "api.import_path",
    "api.package",
    "api.sample_call",
    "f.python_name",
    "generator_version",
    "h.python_name",
    "m.name",
    "module",
    "op.body.model.doc_path",
    "op.body.model.name",
    "op.doc_path",
    "op.example.code",
    "op.python_name",
    "p.location",
    "p.python_name",
    "page.doc_path",
    "page.literal_alias",
    "page.name",
    '(page.half ~ " half") if page.half else page.kind',
    "part.page",
    "root",
    "s.name",
    "u.doc_path",
    "u.operation",
}
_FILTERS = ("| md", "| mdline", "| code", "| cell", "| cellcode")
# Calls of the docs macros (templates/docs/_macros.md.j2), whose own expressions are checked here.
_MACROS = ("type(", "fields(")


def test_markdown_templates_print_only_escaped_values() -> None:
    templates = sorted((ROOT / "templates").rglob("*.md.j2"))
    assert templates
    for template in templates:
        for expr in re.findall(r"{{-?\s*(.*?)\s*-?}}", template.read_text("utf-8")):
            if expr.startswith(('"', "'") + _MACROS) or expr in _DERIVED:
                continue
            assert any(f in expr for f in _FILTERS), f"{template.name}: {{{{ {expr} }}}} is raw"
