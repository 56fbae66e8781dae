"""The only module that writes: a whole tree into place atomically, never outside its folder.

Folders and files get the modes the umask gives (``tempfile`` would make them ``0700``/``0600``, and
a service running as another user could not import the package). A folder is only replaced when
everything in it is ours (``check_replaceable``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import NoReturn

from .manifest import MANIFEST, ManifestError, is_cache, read_manifest

# Files the generator keeps for itself in the output root (e.g. the no-op key); never "output".
PRIVATE_PREFIX = ".norce-codegen"
_FOREIGN_SHOWN = 5


class WriteError(Exception):
    """The output could not be written; the previous output is untouched."""


def safe_relpath(relpath: str) -> PurePosixPath:
    """Reject paths that could leave the output folder (absolute, ``..``, backslashes, NUL)."""
    path = PurePosixPath(relpath)
    if (
        not relpath
        or path.is_absolute()
        or "\\" in relpath
        or "\x00" in relpath
        or any(part in ("", ".", "..") for part in relpath.split("/"))
    ):
        raise WriteError(f"refusing to write unsafe path {relpath!r}")
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def folder_mode() -> int:
    """The mode ``mkdir`` gives a new folder under the current umask."""
    return 0o777 & ~_umask()


def file_mode() -> int:
    """The mode ``open(..., "w")`` gives a new file under the current umask."""
    return 0o666 & ~_umask()


def check_replaceable(out: Path, files: Mapping[str, bytes]) -> None:
    """Refuse to replace ``out`` when it holds anything norce-codegen did not write.

    A missing or empty folder is fine. Otherwise it must carry a manifest of ours
    (``MANIFEST.json`` in it or in a package folder inside it), and each file in it must be
    listed there, be about to be written (``files``), be a private file of the generator or a
    run-time cache. Edited files of ours are fine: regenerating restores them.
    """
    if out.is_symlink() or not out.exists():
        return  # nothing to lose, or _swap refuses it
    if not out.is_dir():
        raise WriteError(f"refusing to replace {out}: it is not a folder")
    if (out / MANIFEST).is_file() and MANIFEST not in files:
        # generate writes a package folder *inside* out; out itself carrying a manifest is a
        # package (generated/<package> or a vendored copy) that would end up nested in itself.
        raise WriteError(
            f"refusing to replace {out}: it is a package folder (it has {MANIFEST}); --out names "
            f"the folder that holds the package, e.g. {out.parent}"
        )
    ours = set(files)
    manifests = 0
    for folder in manifest_folders(out):
        try:
            record = read_manifest(folder)
        except ManifestError:
            continue
        manifests += 1
        prefix = "" if folder == out else folder.name + "/"
        ours.update(prefix + relpath for relpath in record["files"])
        ours.add(prefix + MANIFEST)
    if not manifests:
        # Not ours: one file anywhere in it is enough to refuse, so a careless `--out ~` (or `/`)
        # is refused at once instead of after a walk through everything below it.
        if _holds_a_file(out):
            raise WriteError(
                f"refusing to replace {out}: it is not empty and carries no MANIFEST.json of "
                "norce-codegen, so generate did not write it; choose a new or empty folder"
            )
        return
    try:
        present = {
            path.relative_to(out).as_posix()
            for path in out.rglob("*")
            if path.is_file() or path.is_symlink()
        }
    except OSError as exc:
        raise WriteError(
            f"refusing to replace {out}: cannot read all of it ({exc.strerror or exc})"
        ) from None
    foreign = sorted(
        relpath
        for relpath in present - ours
        if not is_cache(relpath) and not relpath.startswith(PRIVATE_PREFIX)
    )
    if foreign:
        shown = ", ".join(foreign[:_FOREIGN_SHOWN])
        more = f" and {len(foreign) - _FOREIGN_SHOWN} more" if len(foreign) > _FOREIGN_SHOWN else ""
        raise WriteError(
            f"refusing to replace {out}: it holds files norce-codegen did not write "
            f"({shown}{more}); move them out of the folder first"
        )


def manifest_folders(out: Path) -> list[Path]:
    """The folders that may hold a manifest of ours: ``out`` itself and the folders right in it."""
    try:
        return [out, *sorted(p.parent for p in out.glob(f"*/{MANIFEST}"))]
    except OSError:
        return [out]


def looks_generated(out: Path, files: Mapping[str, bytes]) -> bool:
    """Whether the existing folder ``out`` may be compared file by file with ``files``: it is empty,
    carries a manifest, or holds one of the names ``files`` puts at its top (a copy with its
    manifest deleted by hand is still ours, and edited). Anything else (a home folder) is not."""
    tops = {relpath.split("/")[0] for relpath in files}
    try:
        return (
            not any(out.iterdir())
            or any((folder / MANIFEST).is_file() for folder in manifest_folders(out))
            or any((out / top).exists() for top in tops)
        )
    except OSError:
        return False


def _holds_a_file(out: Path) -> bool:
    """Whether any file (or symlink) is anywhere under ``out``; stops at the first one. A folder
    it cannot read counts as holding one: what is in it is unknown, so nothing may replace it."""
    try:
        for root, dirs, names in os.walk(out, onerror=_raise):
            if names or any(os.path.islink(os.path.join(root, d)) for d in dirs):
                return True
    except OSError:
        return True
    return False


def _raise(exc: OSError) -> NoReturn:
    raise exc


def write_tree(out: Path, files: Mapping[str, bytes]) -> None:
    """Replace ``out`` with exactly ``files`` (relative POSIX paths -> bytes), all or nothing.

    The tree is written to a sibling temp folder first, then swapped in with two renames, so a
    failure at any point leaves the old ``out`` as it was.
    """
    out = out.absolute()
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
        staging.chmod(folder_mode())
    except OSError as exc:
        raise WriteError(f"cannot write into {parent}: {exc.strerror}") from None
    try:
        for relpath, data in sorted(files.items()):
            target = staging.joinpath(*safe_relpath(relpath).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.resolve().is_relative_to(staging.resolve()):
                raise WriteError(f"refusing to write {relpath!r}: it resolves outside {out}")
            target.write_bytes(data)
        _swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {out}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if out.is_symlink():
        raise WriteError(f"refusing to replace {out}: it is a symlink")
    if not out.exists():
        os.rename(staging, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    backup.rmdir()
    os.rename(out, backup)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def write_file(path: Path, data: bytes) -> None:
    """Replace one file atomically (temp file + rename in the same folder)."""
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.fchmod(handle, file_mode())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except OSError as exc:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` as {relative POSIX path: bytes}; skips caches and the
    generator's own ``.norce-codegen*`` files in the root."""
    files: dict[str, bytes] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and "__pycache__" not in path.parts
            and ".mypy_cache" not in path.parts
            and not (path.parent == root and path.name.startswith(PRIVATE_PREFIX))
        ):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files
