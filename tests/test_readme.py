"""The README's Python snippets are real code: they parse and name only what the package exports."""

from __future__ import annotations

import ast
import re

import norce_checkout_order
from support import ROOT

SNIPPETS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.DOTALL)


def test_readme_snippets_parse_and_import_real_names() -> None:
    assert len(SNIPPETS) >= 2
    for snippet in SNIPPETS:
        tree = ast.parse(snippet)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "norce_checkout_order":
                for alias in node.names:
                    assert hasattr(norce_checkout_order, alias.name), alias.name


def test_readme_calls_exist_on_the_client() -> None:
    methods = {
        m
        for snippet in SNIPPETS
        for m in re.findall(r"client\.(?:with_raw_response\.)?(\w+)\(", snippet)
    }
    assert methods
    for method in methods:
        assert hasattr(norce_checkout_order.OrderClient, method), method
