"""Arrow's memory pool for the run's processes: one that hands freed memory back to the system.

pyarrow's default pool on Linux is mimalloc, which keeps what it freed for reuse: a pool worker's resident
memory then stays at the high-water mark of every Arrow read and write it has done. Cleaning one 12,223-page
part of a staged 64 MB shard peaked at 279 MB under mimalloc and 246 MB under jemalloc (same process, same
part; docs/performance.md, "Memory"). The Parquet reader and writer allocate from Arrow's C++ default pool,
which `pa.set_memory_pool` does not change: it is chosen by ARROW_DEFAULT_MEMORY_POOL when Arrow first
allocates, so this module sets it before importing pyarrow (`pipeline/__init__.py` imports it first). A
pool chosen by the user is kept.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from functools import cache

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")


def backend() -> str:
    """The backend of Arrow's default pool in this process ('jemalloc' unless pyarrow was in use before)."""
    import pyarrow as pa

    return pa.default_memory_pool().backend_name


def release_freed() -> None:
    """Hand back to the system what a finished step freed but the allocators kept: Arrow's pool, and glibc's
    heap, where freed page texts and Python objects leave free pages among live ones that `free` never
    returns (35 MB of a cleaning worker's 57 MB heap after a 12,223-page part). Called between a process's
    steps, so that the next one starts from what is live, not from the last one's high-water mark."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim among the symbols the process has loaded; None elsewhere (musl, macOS)."""
    return getattr(ctypes.CDLL(None), "malloc_trim", None)
