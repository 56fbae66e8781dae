"""docs/architecture.md names every module there is, so the one-page tour cannot fall behind."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text("utf-8")


def test_every_generator_module_is_named() -> None:
    modules = [
        p
        for p in sorted((ROOT / "generator").rglob("*.py"))
        if p.name not in ("__init__.py", "__main__.py")
    ]
    assert len(modules) > 50
    missing = [
        str(p.relative_to(ROOT))
        for p in modules
        if f"`{p.name}`" not in DOC and (f"{p.parent.name}/{p.name}`" not in DOC)
    ]
    assert missing == [], f"docs/architecture.md does not name {missing}"


def test_every_template_and_runtime_module_is_named() -> None:
    templates = sorted((ROOT / "templates").rglob("*.py")) + sorted(
        (ROOT / "templates").rglob("*.j2")
    )
    names = {p.name.removesuffix(".j2") for p in templates}
    missing = sorted(n for n in names if n not in DOC)
    assert missing == [], f"docs/architecture.md does not name {missing}"
