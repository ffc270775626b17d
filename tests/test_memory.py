"""Memory a step freed goes back to the system between steps."""

from __future__ import annotations

import platform

import pytest

from pipeline import memory


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc's heap")
def test_release_freed_returns_a_fragmented_heap() -> None:
    # Page-sized texts, one in 16 kept: what cleaning leaves behind. `free` gives none of the pages back, as
    # the kept ones pin the heap's top; trimming returns the free pages between them.
    texts = [str(n).rjust(6_000, "x") for n in range(16_000)]
    kept = texts[::16]
    del texts
    before = _resident_mb()
    memory.release_freed()
    assert before - _resident_mb() > 40  # of the ~90 MB freed
    assert len(kept) == 1_000
