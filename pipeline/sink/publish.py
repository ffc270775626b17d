"""Make a date's new output visible in one step, and keep two runs of one date apart.

On a local (or shared POSIX) filesystem: directories swapped with renameat2 and a flock per date. On object
storage (s3://), which has no rename and no flock: the date's files get names unique to the run, the
manifest is written last as the commit record listing exactly the date's files, and the lock is a lease
object with an owner and an expiry (see the README, "Pointing at S3", for its limits).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import fcntl
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pipeline import faultpoint, storage

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class DateLocked(RuntimeError):
    """Another run holds this date."""


@contextmanager
def date_lock(output: str, partition: str) -> Iterator[None]:
    """An exclusive lock on one date. The kernel drops it when its process dies, so a crash never leaves it stuck.

    On object storage: a lease (see `lease_lock`)."""
    if storage.is_remote(output):
        with lease_lock(output, partition):
            yield
        return
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


LEASE_SECONDS = int(os.environ.get("NEWSETL_LOCK_LEASE_SECONDS", str(2 * 3600)))
LEASE_SETTLE_SECONDS = float(os.environ.get("NEWSETL_LOCK_SETTLE_SECONDS", "1"))


@contextmanager
def lease_lock(output: str, partition: str, lease_seconds: int | None = None) -> Iterator[None]:
    """A date lock on object storage: the object OUT/_locks/<partition>.lock names its owner and an expiry.

    A live lease held by another owner refuses the run (DateLocked); an expired one is taken over, so a
    crashed run blocks the date for at most the lease (at once on the same host, where a dead pid is seen).
    Taking it is write, wait `LEASE_SETTLE_SECONDS`,
    read back: of two runs writing within that wait, only the last writer proceeds. It is not a consensus
    lock (plain S3 PUTs have no compare-and-swap): a run whose read-then-write spans more than the wait, or
    that outlives its lease, can overlap another. The lease is removed on exit if still ours.
    """
    lease_seconds = LEASE_SECONDS if lease_seconds is None else lease_seconds
    location = storage.join(output, "_locks", f"{partition}.lock")
    owner = f"{socket.gethostname()} pid {os.getpid()} {uuid.uuid4().hex[:12]}"
    held = _read_lease(location)
    if held is not None and held.get("expires", 0) > time.time() and not _holder_dead(held):
        raise DateLocked(f"another run of {partition} is in progress ({held.get('owner', 'unknown')}, lease until "
                         f"{_iso(held.get('expires', 0))}); lock object {location}")
    now = time.time()
    storage.write_json(location, {"owner": owner, "host": socket.gethostname(), "pid": os.getpid(),
                                  "acquired": _iso(now), "expires": now + lease_seconds,
                                  "expires_at": _iso(now + lease_seconds)})
    time.sleep(LEASE_SETTLE_SECONDS)
    held = _read_lease(location)
    if held is None or held.get("owner") != owner:
        raise DateLocked(f"another run of {partition} took the lock at the same moment "
                         f"({(held or {}).get('owner', 'unknown')}); lock object {location}")
    try:
        yield
    finally:
        held = _read_lease(location)
        if held is not None and held.get("owner") == owner:
            storage.remove(location)


def _holder_dead(held: dict[str, Any]) -> bool:
    """A lease taken on this host by a process that no longer exists (killed): stale before its expiry."""
    if held.get("host") != socket.gethostname() or not isinstance(held.get("pid"), int):
        return False
    try:
        os.kill(held["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _read_lease(location: str) -> dict[str, Any] | None:
    try:
        return storage.read_json(location)
    except (OSError, ValueError):
        return None


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def commit_remote(output: str, partition: str, manifest_file: str, outputs: list[dict[str, Any]]) -> list[str]:
    """Publish a date on object storage whose files are already written under run-unique names.

    The manifest (a local file, listing `outputs`) is written last (one PUT, which replaces the old one
    atomically): it is the commit record, listing exactly the date's files, so a reader that goes through it
    sees the old date or the new one, never a mix. Then the date's files that it does not list (the previous
    run's, or a crashed run's leftovers) are deleted; returns them.
    """
    faultpoint.reached("publish")
    storage.upload(manifest_file, storage.join(output, "manifests", f"{partition}.json"))
    faultpoint.reached("publish")
    listed = {storage.join(output, *output_location(entry["path"], partition)) for entry in outputs}
    removed = []
    for kind in ("articles", "quarantine"):
        for url, _size in storage.list_files(storage.join(output, kind, partition), recursive=True):
            if url not in listed:
                storage.remove(url)
                removed.append(url)
    return removed


def output_location(relative: str, partition: str) -> tuple[str, ...]:
    """Where a manifest `outputs` path lives under the output root: 'articles/language=en/part-0.parquet'
    is articles/<partition>/language=en/part-0.parquet."""
    kind, _, rest = relative.replace(os.sep, "/").partition("/")
    return (kind, partition, *rest.split("/"))


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
    if storage.is_remote(date_work):
        for name in storage.list_dirs(date_work):
            if name.startswith(prefix) and name != keep:
                storage.remove_tree(storage.join(date_work, name))
                removed.append(name)
        return removed
    with contextlib.suppress(FileNotFoundError):
        for name in sorted(os.listdir(date_work)):
            if name.startswith(prefix) and name != keep:
                remove_tree(os.path.join(date_work, name))
                removed.append(name)
    return removed


def remove_stale_work(date_work: str, keep: str, older_than: dt.timedelta) -> list[str]:
    """Delete the work directories under `date_work`, except `keep`, untouched for longer than `older_than`.

    For runs that do not hold the date's lock from start to end (Airflow's: a DAG run that failed for good
    leaves its staged shards for a later "clear and retry"); a directory nothing has written to for days
    belongs to a run nobody is going to resume. Returns the names removed.
    """
    names = storage.list_dirs(date_work)
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for name in names:
        if name == keep:
            continue
        changed = storage.last_modified(storage.join(date_work, name))
        if changed is not None and changed < cutoff:
            remove_tree(storage.join(date_work, name))
            removed.append(name)
    return removed


def remove_tree(path: str) -> None:
    if storage.is_remote(path):
        storage.remove_tree(path)
        return
    shutil.rmtree(path, ignore_errors=True)
