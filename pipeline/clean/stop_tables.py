"""jusText's stop lists and their hash tables (word_counts' stop-word count), saved once at install.

Reading a list (~2,300 lines, casefolded) costs ~1.5-2 ms and hashing it into the kernel's table ~2.5-4 ms, in
every process and for every language it meets: ~0.15 CPU-s a worker on 25 languages, again in every Airflow
task. `python -m pipeline.langid_build` saves both for every list beside the builds, one `.npy` per kind of
array for all lists, named by a digest of the code that computes them and jusText's version; a process
memory-maps them and slices the lists it meets (~1 ms a language, the frozenset included). Without the
files, or with files of other code, they are computed as before: same lists, same tables.
"""

from __future__ import annotations

import contextlib
import glob
import os
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.aot_builds import PACKAGE_DIR, build_name, remove_stale, save_array

PREFIX = "_stop_tables_"
# Every list's lines (UTF-8, joined by newlines) and its table's arrays as word_counts._stop_table returns
# them after its bit count (which the slots' number gives), each kind concatenated over the lists in
# `list_names()` order into one `.npy`; OFFSETS says where each list's part starts.
PARTS = ("lines", "slot_hashes", "slot_words", "starts", "letters")
OFFSETS = "offsets"


def list_names() -> list[str]:
    """The lists saved, in the order they are concatenated."""
    from pipeline.clean.stopwords import STOPLIST_NAMES

    return sorted(set(STOPLIST_NAMES.values()))


def _justext_version() -> str | None:
    """jusText's installed version, from its dist-info folder's name (importlib.metadata takes ~80 ms)."""
    from pipeline.clean.stopwords import _stoplist_dir

    with contextlib.suppress(ImportError):
        site = os.path.dirname(os.path.dirname(_stoplist_dir()))
        found = glob.glob(os.path.join(site, "justext-*.dist-info"))
        if len(found) == 1:
            return os.path.basename(found[0])[len("justext-"):-len(".dist-info")]
    return None


@cache
def tables_name() -> str | None:
    """The saved files' common name for the current code and jusText, or None when jusText's version is
    unknown."""
    version = _justext_version()
    if version is None:
        return None
    return build_name(PREFIX, "pipeline.clean", ("stop_tables.py", "stopwords.py", "word_counts.py"),
                      version.encode())


def part_path(part: str, folder: Path = PACKAGE_DIR) -> Path | None:
    name = tables_name()
    return None if name is None else folder / f"{name}.{part}.npy"


@cache
def _saved(folder: Path = PACKAGE_DIR) -> dict[str, tuple[np.ndarray, ...]] | None:
    """Each list's saved parts, slices of the memory-mapped files (~1 ms for all), or None without them."""
    with contextlib.suppress(OSError, ValueError, TypeError):
        mapped = {part: np.load(part_path(part, folder), mmap_mode="r", allow_pickle=False)
                  for part in (*PARTS, OFFSETS)}
        offsets = mapped[OFFSETS].tolist()
        names = list_names()
        if len(offsets) != len(names) + 1:
            return None
        return {name: tuple(mapped[part][begin[k]:end[k]] for k, part in enumerate(PARTS))
                for name, begin, end in zip(names, offsets, offsets[1:], strict=False)}
    return None


def warm_up() -> None:
    """Map the saved files, e.g. once in a process that forks workers (each language is sliced on first use)."""
    _saved()


def saved_lines(name: str, folder: Path = PACKAGE_DIR) -> tuple[str, ...] | None:
    """The casefolded lines of jusText's list `name` as saved at install, or None."""
    saved = _saved(folder)
    if saved is None or name not in saved:
        return None
    text = saved[name][0].tobytes().decode("utf-8")
    return tuple(text.split("\n")) if text else ()


Table = tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def saved_table(name: str, folder: Path = PACKAGE_DIR) -> Table | None:
    """word_counts' stop table of jusText's list `name` as saved at install, or None."""
    saved = _saved(folder)
    if saved is None or name not in saved:
        return None
    _, slot_hashes, slot_words, starts, letters = saved[name]
    return len(slot_hashes).bit_length() - 1, slot_hashes, slot_words, starts, letters


def save(folder: Path = PACKAGE_DIR) -> Path | None:
    """Compute every list and its table and save them into `folder` (each file atomically, the offsets last);
    other versions there are removed. The offsets' path, or None when jusText's version is unknown."""
    from pipeline.clean import stopwords, word_counts

    if tables_name() is None:
        return None
    pieces: dict[str, list[np.ndarray]] = {part: [] for part in PARTS}
    for name in list_names():
        lines = stopwords.read_lines(name)
        pieces["lines"].append(np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8))
        _, *table = word_counts.computed_stop_table(frozenset(lines))
        for part, array in zip(PARTS[1:], table, strict=True):
            pieces[part].append(array)
    lengths = np.array([[len(piece) for piece in pieces[part]] for part in PARTS], dtype=np.int64).T
    offsets = np.zeros((len(lengths) + 1, len(PARTS)), dtype=np.int64)
    np.cumsum(lengths, axis=0, out=offsets[1:])
    arrays = {part: np.concatenate(pieces[part]) for part in PARTS} | {OFFSETS: offsets}
    saved = [save_array(part_path(part, folder), array) for part, array in arrays.items()]
    remove_stale(folder, PREFIX, {path.name for path in saved}.__contains__)
    return saved[-1]
