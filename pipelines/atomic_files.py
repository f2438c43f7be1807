"""Replacing a file or a folder so that a reader sees the old one or the whole new one, never half.

One way for the landed fetches (a folder of pages), the serving copy and the feeds: the new
content is written under a temporary name in the same folder, `.tmp-<pid>-<token>-<name>`, then
renamed into place, which POSIX makes atomic; on any error the temporary is removed. The pid
in the name tells a later clean-up whether the writer still runs, so what a killed process left
can be removed without touching what a live one is writing. A file that must never be replaced
once it exists (the warehouse) is created the same way but linked into place, which fails if
another process got there first.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".tmp-"


@contextmanager
def replaced_atomically(path: Path, *, durable: bool = False) -> Iterator[Path]:
    """Yield the temporary path to write `path`'s new content at (a file, or a folder the block
    creates); once the block ends without an error, rename it over `path`.

    `durable` flushes the file and then the folder to disk, so the new content survives a
    power cut as well as a crash: for the serving copy, which readers reopen by name.
    """
    temp = _temporary(path)
    try:
        yield temp
        if durable:
            _fsync(temp)
        os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise
    if durable:
        _fsync(path.parent)


@contextmanager
def created_atomically(path: Path) -> Iterator[Path]:
    """Yield the temporary path to write a new file at; once the block ends without an error,
    put it at `path` unless a file is there already (another process that created it first
    keeps its own). The temporary is removed either way, so `path` never shows half a file."""
    temp = _temporary(path)
    try:
        yield temp
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        except OSError:
            # A filesystem without hard links: a rename, which could replace a file another
            # process created a moment before, hence only when there is still none.
            if not path.exists():
                os.replace(temp, path)
    finally:
        _remove(temp)


def remove_abandoned(temporaries: Iterable[Path]) -> list[Path]:
    """Remove the temporaries (paths named by `replaced_atomically` or `created_atomically`)
    whose writing process no longer exists; return what was removed."""
    removed = []
    for temp in temporaries:
        pid = temp.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
        if pid.isdigit() and _process_alive(int(pid)):
            continue
        _remove(temp)
        removed.append(temp)
    return removed


def _temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}-{path.name}")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
