"""The Markdown report and CHANGELOG entry: spec text stays text, and the report stays under the limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diff_support import api, body_op, report, write_spec
from markdown_support import markdown_tokens

from generator.diff.changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, Change
from generator.diff.gate import Gate
from generator.diff.report import MAX_CHARS, changelog_entry, to_markdown
from generator.diff.specs import Report, SideInfo

PAYLOADS = [
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(document.cookie))",
    "<https://evil.example>",
    "![pixel](https://evil.example/t.png)",
    "# Injected heading",
    "```python",
    "a | b | c",
    "**bold**",
    "&lt;script&gt;",
]


def _hostile(tmp_path: Path) -> Report:
    thing: dict[str, Any] = {
        "type": "object",
        "properties": {
            "state": {"type": "string", "enum": ["ok", *PAYLOADS]},
            **{payload: {"type": "string"} for payload in PAYLOADS[:3]},
        },
    }
    hostile_path = "/x/[a](javascript:alert(1))<b>"
    old = api(
        {
            "/things": {"post": {**body_op("Thing", "Thing"), "operationId": "makeThing"}},
            hostile_path: {"get": {**body_op(None, None), "operationId": "getX"}},
        },
        {"Thing": thing},
        servers=[{"url": "https://<b>evil</b>|example/#x", "description": "Public"}],
    )
    new = api(
        {"/things": {"post": {**body_op("Thing", "Thing"), "operationId": "makeThing"}}},
        {"Thing": {"type": "object", "properties": {"state": {"type": "string", "enum": ["ok"]}}}},
        servers=[{"url": "https://example/", "description": "Public"}],
    )
    return report(write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new))


def test_spec_text_never_becomes_markup(tmp_path: Path) -> None:
    result = _hostile(tmp_path)
    assert {c.kind for c in result.changes} >= {
        "enum-value-removed",
        "operation-removed",
        "property-removed",
    }
    for text in (to_markdown(result, Gate.parse("breaking")), changelog_entry(result, "## v2")):
        tokens = markdown_tokens(text)
        ours = ("<details><summary>", "</details>")  # the report's own folding, no spec text in it
        html = [
            t.content
            for t in tokens
            if t.type.startswith("html") and not t.content.startswith(ours)
        ]
        assert html == []
        kinds = {t.type for t in tokens}
        assert not kinds & {"link_open", "image", "fence", "code_block"}, kinds
        headings = [t for t in tokens if t.type == "heading_open"]
        assert len(headings) == len([line for line in text.splitlines() if line.startswith("#")])


def _many(level: str, severity: str, count: int, subject: str) -> list[Change]:
    return [
        Change(level, "field-removed" if level == "python" else "operation-removed", severity,
               f"{subject}{i}", "", "x" * 80, "before", "", call_before=f"client.call_{i}(arg)")
        for i in range(count)
    ]  # fmt: skip


def test_report_stays_under_the_limit_and_every_section_gets_room() -> None:
    changes = (
        _many("python", BREAKING, 3000, "models.Thing.field")
        + _many("wire", BREAKING, 3000, "DELETE /a")
        + _many("wire", POTENTIALLY_BREAKING, 500, "GET /b")
        + _many("wire", NON_BREAKING, 500, "PUT /c")
    )
    side = SideInfo("old.yaml", "0" * 64, "1", "")
    text = to_markdown(
        Report(side, SideInfo("new.yaml", "1" * 64, "2", ""), tuple(changes)), Gate()
    )
    assert len(text) < MAX_CHARS
    sections = [
        "What breaks for code",
        "#### Breaking",
        "#### Potentially breaking",
        "Non-breaking (500)",
        "Python API changes",
    ]
    positions = [text.index(section) for section in sections]
    assert positions == sorted(positions)
    assert text.count("more rows left out to keep this report short; see `--format json`.") == 5
    assert text.count("| `DELETE /a") > 20 and text.count("client.call_") > 20
