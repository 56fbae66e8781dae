"""Black spent well: pieces join to exactly what black makes of the whole file, the cache only saves time."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import black
import pytest
from support import GENERATED, ROOT, SPEC

from generator.build.cache import Cache
from generator.build.format import _black, _pieces, format_sources, mode
from generator.build.pipeline import build
from generator.settings import load_settings

RUNTIME = sorted((ROOT / "templates" / "runtime").glob("*.py"))

# Every kind of boundary black treats specially: one-line stubs, decorators, comments in the gap,
# class docstrings, nested and async defs, tabs on blank lines, statements after a class.
EDGES = '''"""Module docstring."""
import os
x = 1
def one_liner(): ...

@overload
def stub(a: int) -> int: ...
@overload
def stub(a: str) -> str: ...
def stub(a): return a

def after_one_liner( a,b ):
    return [1,2,3,]
def no_blank_line_before_me():
    pass



@decorator
@other(  1,2 )
def decorated( a,b ):
    pass
\t
# a comment in the gap keeps both sides in one piece
def commented():
    pass

class Stub: ...

class WithDocstring:
    """Only a docstring."""

class Methods(Base):
    """Doc."""
    attr = 1
    def first(self): return 1

    def second(self):
        def nested(): ...
        return nested

    @property
    def third(self):
        x = {'a':1,
        'b':2}
        return x


    async def fourth(self):
        # trailing comment inside the body

        pass
        # a comment after the last statement
    def fifth(self): pass

    class Inner:
        def m(self): pass

        def n(self): pass

    def last(self): ...
after_class = 2
if x:
    def conditional(): pass
else:
    pass

def end(
    argument_one: int, argument_two: str = "a default long enough to need a split", three: int = 3
) -> None:
    pass
'''


def _whole(source: str) -> str:
    return black.format_str(source, mode=mode())


def _raw_sources() -> dict[str, str]:
    """The spec-derived Python files of the Norce package, before black."""
    raw = build(SPEC, load_settings(), formatted=False)
    runtime = {path.name for path in RUNTIME}
    return {
        relpath: data.decode("utf-8").split("\n", 1)[1]
        for relpath, data in raw.files.items()
        if relpath.endswith(".py") and Path(relpath).name not in runtime
    }


def test_pieces_join_to_black_of_the_whole_file(tmp_path: Path) -> None:
    assert len(_pieces(EDGES)) >= 8, "the edge cases must exercise cuts at both depths"
    assert {piece.depth for piece in _pieces(EDGES)} == {0, 1}
    assert format_sources({"edges.py": EDGES}, Cache(tmp_path))["edges.py"] == _whole(EDGES)


def test_generated_files_equal_black_of_the_whole_file(tmp_path: Path) -> None:
    sources = _raw_sources()
    assert len(_pieces(sources["norce_checkout_order/_client.py"])) > 30
    formatted = format_sources(sources, Cache(tmp_path))
    for relpath, source in sources.items():
        assert formatted[relpath] == _whole(source), relpath


@pytest.mark.parametrize(
    "module",
    [
        "httpx._models",
        "jinja2.nodes",
        "pydantic.fields",
        "click.core",
        "yaml.constructor",
        "_pytest.fixtures",
        "jinja2.lexer",
    ],
)
def test_pieces_match_black_on_third_party_code(module: str, tmp_path: Path) -> None:
    """Code nobody here wrote: installed modules with classes, decorators and comments everywhere."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).with_name(module.rsplit(".")[-1] + ".py").read_text("utf-8")
    assert len(_pieces(source)) > 5
    assert format_sources({"m.py": source}, Cache(tmp_path))["m.py"] == _whole(source)


# Black's first pass drops the parentheses around the condition and splits at the comment; only its
# second pass joins ``listing(item.parent)`` again.
TWO_PASSES = """def check(items):
    for item in items:
        if (
            store.has_entry(store.join(store.text(item)[:-3], "__init__.py"))  # noqa: E501, X100
            and item.label[:-3] in listing(item.parent)
        ):
            return item
"""


def test_the_second_pass_runs_where_it_changes_the_result() -> None:
    once = black._format_str_once(TWO_PASSES, mode=mode())
    assert black._format_str_once(once, mode=mode()) != once, "the case must need a second pass"
    assert _black(TWO_PASSES) == (True, _whole(TWO_PASSES))


def test_files_that_cannot_be_cut_are_formatted_whole(tmp_path: Path) -> None:
    for source in ("def a():\n    pass\n\n# fmt: off\ndef b( ):\n  pass\n", "def a():\r\n  pass\r\n"):
        assert len(_pieces(source)) == 1
        assert format_sources({"x.py": source}, Cache(tmp_path))["x.py"] == _whole(source)


def test_second_run_is_served_from_the_cache(tmp_path: Path) -> None:
    sources = {"edges.py": EDGES}
    pieces = len({p.black_input for p in _pieces(EDGES)})
    first = Cache(tmp_path)
    expected = format_sources(sources, first)
    assert first.writes == pieces + 1 and first.hits == 0  # every piece, and the whole file
    again = Cache(tmp_path)
    assert format_sources(sources, again) == expected
    assert again.writes == 0 and again.hits == 1  # the whole file, not even cut


def test_an_edited_file_reformats_only_the_edited_piece(tmp_path: Path) -> None:
    format_sources({"edges.py": EDGES}, Cache(tmp_path))
    edited = EDGES.replace("def second(self):", "def second(self, extra = 1):")
    cache = Cache(tmp_path)
    assert format_sources({"edges.py": edited}, cache)["edges.py"] == _whole(edited)
    assert cache.writes == 2  # the edited piece and the new whole file
    assert cache.hits == len(_pieces(edited)) - 1


def test_corrupt_entries_are_misses_and_get_rewritten(tmp_path: Path) -> None:
    expected = format_sources({"edges.py": EDGES}, Cache(tmp_path))
    entries = sorted(tmp_path.iterdir())
    for n, entry in enumerate(entries):
        data = entry.read_bytes()
        if n % 3 == 0:
            entry.write_bytes(b"garbage")
        elif n % 3 == 1:
            entry.write_bytes(data[:-1])  # truncated
        else:
            entry.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])  # one bit flipped
    cache = Cache(tmp_path)
    assert format_sources({"edges.py": EDGES}, cache) == expected
    assert cache.hits == 0 and cache.writes == len(entries)
    assert format_sources({"edges.py": EDGES}, Cache(tmp_path)) == expected


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", "utf-8")
    cache = Cache(blocked)
    assert format_sources({"edges.py": EDGES}, cache)["edges.py"] == _whole(EDGES)
    assert cache.writes == 0


def test_the_cache_is_bounded_and_keeps_recent_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path, max_bytes=2_000)
    for n in range(40):
        cache.put(f"{n:064x}", b"x" * 100)
        os.utime(tmp_path / f"{n:064x}", (n, n))  # entry n is n seconds old... in 1970
    cache.prune()
    kept = sorted(int(path.name, 16) for path in tmp_path.iterdir())
    assert sum(path.stat().st_size for path in tmp_path.iterdir()) <= 2_000
    assert kept and kept == list(range(40 - len(kept), 40))  # the newest survive


def test_a_template_bug_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"pkg/broken\.py is not valid Python"):
        format_sources({"pkg/broken.py": "def ok():\n    pass\n\n\ndef broken(:\n"}, Cache(tmp_path))


def _format_edges_in_a_fresh_process(setup: str, tmp_path: Path) -> tuple[int, str]:
    """(processes offered, EDGES formatted) in a fresh single-threaded interpreter, where children
    are forked, after running ``setup`` there."""
    script = (
        "import os, sys; from pathlib import Path\n"
        "import generator.build.format as F\n"
        "from generator.build.cache import Cache\n"
        "F.POOL_MIN_CHARS = 1\n"
        f"{setup}"
        "src = {'a.py': sys.stdin.read()}\n"
        "print(F._workers(src.values()))\n"
        "sys.stdout.write(F.format_sources(src, Cache(Path(sys.argv[1])))['a.py'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        input=EDGES,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    workers, _, formatted = result.stdout.partition("\n")
    return int(workers), formatted


def test_forked_children_give_the_same_bytes(tmp_path: Path) -> None:
    workers, formatted = _format_edges_in_a_fresh_process("", tmp_path)
    if (os.cpu_count() or 1) > 1:
        assert workers >= 2
    assert formatted == _whole(EDGES)


def test_a_dead_child_falls_back_to_formatting_in_process(tmp_path: Path) -> None:
    crash = (
        "parent, real = os.getpid(), F._black\n"
        "def crash(text):\n"
        "    return real(text) if os.getpid() == parent else os._exit(9)\n"
        "crash.__module__, crash.__qualname__ = F.__name__, '_black'  # what workers look up\n"
        "F._black = crash\n"
    )
    assert _format_edges_in_a_fresh_process(crash, tmp_path)[1] == _whole(EDGES)


@pytest.mark.parametrize("path", RUNTIME, ids=lambda path: path.name)
def test_runtime_files_are_black_clean_and_copied_as_they_are(path: Path) -> None:
    """Runtime files skip black in generation, so they must already be what black makes of them."""
    text = path.read_text("utf-8")
    assert _whole(text) == text, f"run black on {path}"
    copy = (GENERATED / "norce_checkout_order" / path.name).read_text("utf-8")
    assert copy.split("\n", 1)[1] == text

