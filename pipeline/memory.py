"""Arrow's memory pool for the run's processes: one that hands freed memory back to the system.

pyarrow's default pool on Linux is mimalloc, which keeps what it freed for reuse: a pool worker's resident
memory then stays at the high-water mark of every Arrow read and write it has done. Cleaning one 12,223-page
part of a staged 64 MB shard peaked at 279 MB under mimalloc and 246 MB under jemalloc (same process, same
part; docs/performance.md, "Memory"). A pool chosen by the user (ARROW_DEFAULT_MEMORY_POOL) is kept.
"""

from __future__ import annotations

import contextlib
import os

import pyarrow as pa


def use_returning_pool() -> str:
    """Make jemalloc Arrow's default pool where pyarrow has it and the user chose none; returns the backend."""
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        with contextlib.suppress(NotImplementedError):  # a pyarrow built without jemalloc keeps its default
            pa.set_memory_pool(pa.jemalloc_memory_pool())
    return pa.default_memory_pool().backend_name
