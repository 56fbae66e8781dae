"""Unit checks of the hardening pieces: write containment, loader bounds, AST allow-list, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build.astcheck import check_source
from generator.build.load import MAX_ALIASES, MAX_DEPTH, parse_spec_bytes
from generator.build.naming import doc_text, py_literal, snake_case, unique
from generator.build.write import WriteError, write_tree
from generator.cli import main
from generator.diagnostics import SpecError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "relpath", ["../x.py", "/etc/x", "a/../../x", "a\\..\\x", "a/\x00", "", "a//b", "./a"]
)
def test_write_tree_refuses_escaping_paths(tmp_path: Path, relpath: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(WriteError):
        write_tree(out, {"ok.py": b"", relpath: b"x"})
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # staging cleaned up


def test_write_tree_refuses_symlinked_dirs_and_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    link = tmp_path / "out"
    link.symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError):
        write_tree(link, {"a.py": b"x"})
    assert list(outside.iterdir()) == []


def test_default_out_must_be_inside_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.cli as cli

    settings = {**cli.load_settings(), "out": str(tmp_path / "elsewhere")}
    monkeypatch.setattr(cli, "load_settings", lambda: settings)
    assert main(["generate"]) == 3
    assert "outside" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere").exists()


def _yaml(body: str) -> bytes:
    return ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n" + body).encode()


def test_loader_depth_limit() -> None:
    parse_spec_bytes(_yaml("x: " + "[" * (MAX_DEPTH - 5) + "]" * (MAX_DEPTH - 5) + "\n"), "ok")
    with pytest.raises(SpecError, match="nesting deeper"):
        parse_spec_bytes(
            _yaml("x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"), "deep"
        )


def test_loader_alias_limits() -> None:
    ok = "a: &a [1]\nb: [" + ", ".join(["*a"] * MAX_ALIASES) + "]\n"
    parse_spec_bytes(_yaml(ok), "ok")
    with pytest.raises(SpecError, match="aliases"):
        parse_spec_bytes(
            _yaml("a: &a [1]\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"), "many"
        )
    levels = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(SpecError, match="expand to more than"):
        parse_spec_bytes(_yaml("\n".join(levels) + "\n"), "bomb")


def test_loader_refuses_unsafe_tags_and_non_json_values() -> None:
    with pytest.raises(SpecError, match="constructor"):
        parse_spec_bytes(_yaml("x: !!python/object/apply:os.system [id]\n"), "tag")
    with pytest.raises(SpecError, match="not a JSON number"):
        parse_spec_bytes(_yaml("x: .nan\n"), "nan")


@pytest.mark.parametrize(
    "source",
    [
        "import os\n",
        "from subprocess import run\n",
        "x = __import__('os')\n",
        "class A:\n    y = print('hi')\n",
        "def f():\n    return eval('1')\n",
        "def f(x=open('/etc/passwd')):\n    pass\n",
        "for i in []:\n    pass\n",
        "x = ''.__class__.__subclasses__\n",
        "x = 'a\u202eb'\n",
        "x = '''\n",
    ],
)
def test_astcheck_refuses(source: str) -> None:
    assert check_source(source, strict=True)


def test_astcheck_allows_declarations() -> None:
    source = (
        '"""Doc."""\nfrom __future__ import annotations\nimport re\nfrom typing import Annotated\n'
        "from pydantic import BaseModel, ConfigDict, Field\nfrom . import models\n"
        "_R = re.compile('x')\n\nclass A(BaseModel):\n    model_config = ConfigDict(extra='allow')\n"
        "    open: Annotated[str | None, Field(alias='open')] = None\n\n"
        "def f(x: int = 1) -> int:\n    return len(str(x))\n\nA.model_rebuild()\n"
    )
    assert check_source(source, strict=True) == []


@pytest.mark.parametrize(
    "text", ['"""', "\\", 'a"', "\r\n\u2028\u2029\x85", "\x00\u202e", "\ud800", "''' \\N{x}"]
)
def test_doc_text_cannot_break_a_docstring(text: str) -> None:
    source = f'def f():\n    """{doc_text(text)}\n    """\n'
    compile(source, "t", "exec")
    assert check_source(source, strict=True) == []


@pytest.mark.parametrize("value", ["'\"", "\x00", "\u202e", float("inf"), {"a'": [1, None, True]}])
def test_py_literal_round_trips_or_is_a_string(value: object) -> None:
    import ast

    assert ast.literal_eval(py_literal(value)) in (value, str(value))


def test_identifiers() -> None:
    for name in [
        "class",
        "match",
        "print",
        "model_config",
        "__init__",
        "1abc",
        "ﬁeld",
        "close",
        "",
        "é",
    ]:
        ident = snake_case(name)
        assert ident.isidentifier() and ident.isascii(), name
    assert snake_case("close") == "close_" and snake_case("class") == "class_"
    assert unique([snake_case("ﬁeld"), snake_case("field")]) == ["field", "field_2"]


# Template expressions that print into Python: each must be a derived identifier, an escaped
# field (…_literal, …_doc, docstring) or go through |py / |doc. Raw spec text is not on the list.
_SAFE_EXPRESSIONS = {
    "a.annotation",
    "a.default",
    "a.name",
    "check",  # operations._checks builds it from py_literal pieces and fixed words
    "api.client_class",
    "api.heading_doc",
    "api.import_path",
    "api.package",
    "api.sample_call",
    'api.typing_imports | join(", ")',  # names from a fixed set ("Any", "Literal")
    "api.version_literal",
    "h.doc",
    "h.python_name",
    "h.wire_literal",
    "http_client_type",
    "op.call_args",
    "op.docstring | indent(4)",
    "op.docstring | indent(8)",
    "op.body.annotation",
    "op.idempotent",
    "op.literals.method",
    "op.literals.operation_id",
    "op.literals.path",
    "op.python_name",
    "op.success_annotation",
    "op.summary_doc",
    "p.python_name",
    "p.wire_literal",
    "returns",
    "s.name",
    "s.url_literal",
}


def test_python_templates_print_only_escaped_values() -> None:
    for template in sorted((ROOT / "templates" / "package").glob("*.py.j2")):
        for expr in re.findall(r"{{-?\s*(.*?)\s*-?}}", template.read_text("utf-8")):
            if expr.endswith(("| py", "| doc")) or expr.startswith(
                ("signature(", "client_init(", '"', "'")
            ):
                continue
            assert (
                expr in _SAFE_EXPRESSIONS
            ), f"{template.name}: {{{{ {expr} }}}} prints unescaped text"


def test_table_cell_keeps_spec_prose_in_one_markdown_cell() -> None:
    from generator.build.markdown import md_cell

    assert md_cell("a | b\r\nc\u2028d") == "a \\| b c d"
