"""The runtime under test: `templates/runtime/*.py`, imported in place as this package.

The generator copies those files verbatim into the generated package, where
they import each other relatively; pointing `__path__` at the folder gives
them the same package context here, so the runtime tests need neither a
copy nor a generated client.
"""

from pathlib import Path

__path__ = [str(Path(__file__).resolve().parents[3] / "templates" / "runtime")]
