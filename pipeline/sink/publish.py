"""Make a date's new output visible in one step, and keep two runs of one date apart."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from pipeline import faultpoint

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class DateLocked(RuntimeError):
    """Another run holds this date."""


@contextmanager
def date_lock(output: str, partition: str) -> Iterator[None]:
    """An exclusive lock on one date. The kernel drops it when its process dies, so a crash never leaves it stuck."""
    directory = os.path.join(output, "_locks")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{partition}.lock")
    handle = open(path, "a+")  # noqa: SIM115 - held for the context's lifetime
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise DateLocked(f"another run of {partition} is in progress ({holder}); lock file {path}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


def _renameat2_exchange(source: str, target: str) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), target)


def swap_directory(staged: str, target: str, retired: str) -> None:
    """Put `staged` at `target`; the previous `target`, if any, ends at `retired` (for the caller to delete).

    With an old target the two are exchanged in one atomic step, so readers see the old or the new
    directory, never neither. Without renameat2 the fallback leaves a moment with no directory.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target):
        os.rename(staged, target)
        return
    if _renameat2_exchange(staged, target):
        faultpoint.reached("swap")
        os.rename(staged, retired)
        return
    os.rename(target, retired)
    os.rename(staged, target)


def replace_file(staged: str, target: str) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.replace(staged, target)


def publish_partition(output: str, partition: str, staging: str, manifest: str, retired: str) -> None:
    """Swap a date's staged articles, then its quarantine, then its manifest into `output`.

    Each step is atomic on its own; the manifest goes last, so a manifest naming this run means all of it
    is visible. A crash between steps leaves every directory complete (old or new), and the rerun replaces
    whatever is still old. The previous outputs end under `retired`, which the caller deletes.
    """
    os.makedirs(retired, exist_ok=True)
    faultpoint.reached("publish")
    swap_directory(os.path.join(staging, "articles"), os.path.join(output, "articles", partition),
                   os.path.join(retired, "articles"))
    faultpoint.reached("publish")
    swap_directory(os.path.join(staging, "quarantine"), os.path.join(output, "quarantine", partition),
                   os.path.join(retired, "quarantine"))
    faultpoint.reached("publish")
    replace_file(manifest, os.path.join(output, "manifests", f"{partition}.json"))
    faultpoint.reached("publish")


def remove_abandoned_work(date_work: str, prefix: str, keep: str) -> list[str]:
    """Delete the work directories under `date_work` named `prefix*`, except `keep`; returns what went.

    Only for callers holding the date's lock for a whole run (the CLI): every other run with such a
    directory held that lock too, so it is dead, and its half-made files would only fill the disk.
    """
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for name in sorted(os.listdir(date_work)):
            if name.startswith(prefix) and name != keep:
                remove_tree(os.path.join(date_work, name))
                removed.append(name)
    return removed


def remove_tree(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
