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

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")


def backend() -> str:
    """The backend of Arrow's default pool in this process ('jemalloc' unless pyarrow was in use before)."""
    import pyarrow as pa

    return pa.default_memory_pool().backend_name
