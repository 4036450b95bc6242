"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from align.exceptions import OutputError


def write_atomic(path: Path, write: Callable[[Path], object], *, durable: bool = False) -> None:
    """Write through ``write(tmp)`` to a temporary file beside ``path``, then rename it over ``path``.

    An interrupted or failing write leaves the old file as it was. ``durable`` also
    flushes the new file to disk before the rename (for the registry, which is the
    only copy of what the user typed). The file gets the permissions a plain write would
    give it (an existing file's, else read-write for the owner and readable by others),
    not the owner-only mode of a temporary file, so an exported table can be shared. A file
    that cannot be written is an :class:`OutputError` naming it, not a traceback.
    """
    path = Path(path)
    try:
        _write_via_temporary(path, write, durable=durable)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(
            f"Could not write {path}: {exc.strerror or exc}. Check that its folder exists and is writable, "
            "and that the disk is not full.",
            zh=f"请检查 {path} 所在的文件夹是否存在、是否可写，磁盘是否已满",
        ) from exc


def _write_via_temporary(path: Path, write: Callable[[Path], object], *, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode())
        write(Path(tmp))
        if durable:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """0o666 less the process umask, as ``open(path, "w")`` would create it (read without changing it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    return 0o644
