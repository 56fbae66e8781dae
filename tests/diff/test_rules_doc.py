"""docs/diff-rules.md states the rule table the code applies: same kinds, same severities."""

from __future__ import annotations

import re

from generator.diff.rules import RULES
from generator.settings import PROJECT_ROOT

_ROW = re.compile(
    r"^\| `(?P<kind>[a-z-]+)` \| (?P<request>[^|]+) \| (?P<response>[^|]+) \|", re.MULTILINE
)
_WORDS = {
    "**breaking**": "breaking",
    "potentially": "potentially-breaking",
    "non-breaking": "non-breaking",
}


def test_the_documented_table_is_the_applied_table() -> None:
    text = (PROJECT_ROOT / "docs" / "diff-rules.md").read_text("utf-8")
    wire_part, python_part = text.split("## Python API rules")
    for level, part in (("wire", wire_part), ("python", python_part)):
        documented = {
            m["kind"]: (_WORDS[m["request"].strip()], _WORDS[m["response"].strip()])
            for m in _ROW.finditer(part)
        }
        applied = {kind: (r.request, r.response) for kind, r in RULES[level].items()}
        assert documented == applied, level
