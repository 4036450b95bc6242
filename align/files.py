"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from align.exceptions import OutputError, PlanAlignError


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in blocks: a document's fingerprint for caches and exports."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_digest(*folders: Path) -> str:
    """A digest of the Python code in ``folders``: a cache keyed on it is never served to another
    release, whose parsing or features may read the same input differently."""
    digest = hashlib.sha256()
    for path in sorted(path for folder in folders for path in Path(folder).glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


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
    if path.is_dir():  # else the rename would fail with a bare "Is a directory"
        raise OutputError(
            f"Could not write {path}: it is a folder. Give a file name, e.g. {path / ('out' + (path.suffix or '.csv'))}.",
            zh=f"{path} 是一个文件夹，请给出文件名",
        )
    try:
        _write_via_temporary(path, write, durable=durable)
    except PlanAlignError:  # a write that refused on purpose says why itself
        raise
    except Exception as exc:
        if (reason := _os_failure(exc)) is None:
            if not disk_nearly_full(path.parent):
                raise
            # a writer that ran out of room mid-file may say only that its output is malformed
            reason = f"the disk is full ({describe_free(path.parent)})"
        raise OutputError(
            f"Could not write {path}: {reason}. Check that its folder exists and is writable, "
            "and that the disk is not full.",
            zh=f"请检查 {path} 所在的文件夹是否存在、是否可写，磁盘是否已满",
        ) from exc


#: Below this much free space a failed write or a store that will not open is put down to the disk.
NEARLY_FULL_BYTES = 1 << 20


def disk_nearly_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` has under :data:`NEARLY_FULL_BYTES` free: parquet and
    SQLite, out of room, report a broken file format or a "disk I/O error", not a full disk."""
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def describe_free(folder: Path) -> str:
    """``12 KB free on /data`` for a message."""
    return f"{shutil.disk_usage(folder).free // 1024} KB free on {folder}"


# How an OS error reads inside a writer library's own exception (polars: "… (os error 28)").
_OS_ERROR_TEXT = re.compile(
    r"No space left on device|Disk quota exceeded|Permission denied|Read-only file system|Input/output error"
    r"|File too large|os error \d+",
    re.IGNORECASE,
)


def _os_failure(exc: BaseException) -> str | None:
    """The operating system's reason when writing failed, also when a writer wrapped it in an error of
    its own (xlsxwriter's FileCreateError, polars' ComputeError); ``None`` for any other error, which is
    a bug to see, not a disk to blame."""
    for error in (exc, *exc.args, exc.__cause__, exc.__context__):
        if isinstance(error, OSError):
            return " ".join(str(error.strerror or error).split())
    if match := _OS_ERROR_TEXT.search(str(exc)):
        return match.group(0)
    return None


def write_atomic_pair(main: Path, write_main: Callable[[Path], object], beside: Path,
                      write_beside: Callable[[Path], object]) -> None:
    """Two files that are read together (a CSV export and its list of documents): both replaced, or, when
    writing fails, neither. Both are written in full first; the main file is put in place, then the other,
    and should that fail (a file held open by Excel, a folder in its place), the main file goes back to
    what it was (a new export beside the old document list, the old export lost, was the alternative).
    A kill between the two renames, a moment, can still leave the new main file beside the old list."""
    main = Path(main)
    backup: Path | None = None
    placed = False

    def main_then_beside(tmp_beside: Path) -> None:
        nonlocal backup, placed
        write_beside(tmp_beside)
        if main.is_file():
            backup = _kept_copy(main)
        write_atomic(main, write_main)
        placed = True

    try:
        write_atomic(beside, main_then_beside)
    except BaseException:
        if placed and backup is not None:
            os.replace(backup, main)
            backup = None
        elif placed:
            main.unlink(missing_ok=True)
        raise
    finally:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _kept_copy(path: Path) -> Path:
    """The file as it is now, under a hidden name beside it: a second link to it where the disk allows."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old")
    os.close(fd)
    os.unlink(name)
    try:
        os.link(path, name)
    except OSError:
        shutil.copy2(path, name)
    return Path(name)


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
