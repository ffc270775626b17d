"""A page's block fingerprints in one compiled pass (site_chrome.page_fingerprints' fast path).

The loop is pipeline.clean.fingerprint_kernels' (this module loads it, without numba), built ahead of time
with langid's kernels into an extension module (`python -m pipeline.langid_build`, run at install), which
needs numpy but not numba. Without that build (or with one of other source) `line_fingerprints` answers
None and site_chrome computes the same fingerprints in Python, only slower; numba is never imported here.
The build also saves the kernel's Unicode tables (`save_tables`): made at run time they cost ~70 ms a
process, which a run of a few pages would not win back.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np

from pipeline.aot_builds import build_name, character_class_table, load_build


def aot_module_name() -> str:
    """Name of the ahead-of-time build of the kernel's current source: a stale build is never loaded."""
    return build_name("_fingerprints_aot_", "pipeline.clean", ("fingerprint_kernels.py", "fingerprints.py"))


@cache
def _kernels() -> ModuleType | None:
    return load_build(aot_module_name())


def available() -> bool:
    """Whether the compiled fingerprints are at hand (the build of the kernel's current source is installed)."""
    return _kernels() is not None


@cache
def digit_characters() -> np.ndarray:
    """For every code point, whether `\\d` matches it (~30 ms, once per process)."""
    return character_class_table(r"\d")


@cache
def casefoldings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`str.casefold` of every code point, as fingerprint_kernels.line_fingerprints reads it: the code point
    each folds to, or -1 - j for the j-th of those folding to several, whose code points are
    expansions[starts[j]:starts[j + 1]]. Folded from this Python, a chunk of Unicode at a time (casefolding
    maps each code point on its own); only the few chunks holding a longer folding go code point by code
    point (~40 ms in all, once per process)."""
    size = sys.maxunicode + 1
    everything = np.arange(size, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    fold = np.arange(size, dtype=np.int32)
    longer: list[str] = []
    for start in range(0, size, _FOLD_CHUNK):
        chunk = everything[start:start + _FOLD_CHUNK]
        folded = chunk.casefold()
        if folded == chunk:
            continue
        if len(folded) == len(chunk):  # a folding is never empty: no code point here folds to several
            fold[start:start + len(chunk)] = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            continue
        for offset, character in enumerate(chunk):
            folded = character.casefold()
            if len(folded) == 1:
                fold[start + offset] = ord(folded)
            else:
                fold[start + offset] = -1 - len(longer)
                longer.append(folded)
    starts = np.zeros(len(longer) + 1, dtype=np.int32)
    np.cumsum([len(folded) for folded in longer], out=starts[1:])
    expansions = np.frombuffer("".join(longer).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int32)
    return fold, starts, expansions


_FOLD_CHUNK = 512


def tables_name() -> str:
    """The file of the kernel's tables, saved beside its build."""
    return f"{aot_module_name()}.tables.npz"


def save_tables(folder: Path) -> Path:
    """Save the kernel's tables into `folder` (the build's), with the Unicode version they were made from."""
    path = folder / tables_name()
    fold, starts, expansions = casefoldings()
    np.savez(path, digit=digit_characters(), fold=fold, starts=starts, expansions=expansions,
             unicode=np.array(unicodedata.unidata_version))
    return path


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """digit_characters() and casefoldings(): as saved by the build when it was of this Python's Unicode."""
    with contextlib.suppress(OSError, ValueError, KeyError), \
            np.load(Path(__file__).resolve().parent.parent / tables_name()) as saved:
        if str(saved["unicode"]) == unicodedata.unidata_version:
            return saved["digit"], saved["fold"], saved["starts"], saved["expansions"]
    return digit_characters(), *casefoldings()


def warm_up() -> None:
    """Load the compiled kernel and its tables now, where processes forked later inherit them."""
    if available():
        _tables()


def line_fingerprints(joined: str, lines: int) -> list[int] | None:
    """The fingerprint of each of the `lines` lines of `joined` (blocks joined by newlines), or None without
    the compiled kernel or when `joined` holds another number of lines."""
    kernels = _kernels()
    if kernels is None:
        return None
    data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    values = kernels.line_fingerprints(data, *_tables(), lines)
    return values.tolist() if len(values) == lines else None
