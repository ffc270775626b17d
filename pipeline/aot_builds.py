"""The ahead-of-time builds of the numba kernels (`python -m pipeline.langid_build`, run at install): each named
by a digest of the source it was built from, so that a stale build is never loaded, only left unused until
rebuilt; and the Unicode tables the kernels read instead of `re`'s character classes and `str.isprintable`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.resources
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import numpy as np

PACKAGE_DIR = Path(__file__).resolve().parent
# The character classes the kernels read as tables (pipeline.clean.word_counts, pipeline.clean.fingerprints),
# saved beside the builds at install.
CHARACTER_CLASSES = (r"\w", r"\d")
CHARACTER_CLASS_PREFIX = "_unicode_class_"
# `str.isprintable` of every code point below this (planes 0-2: every script, the CJK extensions), which
# pipeline.clean.normalize's stored-form check reads; saved under the same prefix as the classes.
PRINTABLE = "isprintable"
PRINTABLE_TABLE_SIZE = 0x30000


def code_points(text: str) -> np.ndarray:
    """The code points of `text` as the kernels read them: a writable little-endian uint32 array (lone
    surrogates kept as their own code points)."""
    return np.frombuffer(bytearray(text.encode("utf-32-le", "surrogatepass")), dtype="<u4")


def build_name(prefix: str, package: str, sources: Sequence[str], extra: bytes = b"") -> str:
    """`prefix` and a digest of the `sources` (files of `package`) and `extra` (constants baked in)."""
    folder = importlib.resources.files(package)
    source = b"".join(folder.joinpath(name).read_bytes() for name in sources) + extra
    return f"{prefix}{hashlib.blake2b(source, digest_size=6).hexdigest()}"


def load_build(name: str) -> ModuleType | None:
    """The installed build `name` (a module of the pipeline package), or None."""
    with contextlib.suppress(ImportError):
        return importlib.import_module(f"pipeline.{name}")
    return None


def character_class_table(character_class: str, folder: Path = PACKAGE_DIR) -> np.ndarray:
    """For every code point, whether the regex `character_class` (e.g. r"\\d") matches it: memory-mapped from
    the table `save_character_class_table` wrote into `folder` at install (~1 ms), else marked from the runs
    `re` itself finds in a text of all of Unicode (~40 ms a process), so the class is the regex's, in this
    Python. `PRINTABLE` names `printable_table`'s."""
    with contextlib.suppress(OSError, ValueError):
        return np.load(character_class_path(character_class, folder), mmap_mode="r", allow_pickle=False)
    return _computed(character_class)


def printable_table(folder: Path = PACKAGE_DIR) -> np.ndarray:
    """`str.isprintable` of each code point below PRINTABLE_TABLE_SIZE: mapped from the saved table (~1 ms),
    else computed here (~10-20 ms a process)."""
    return character_class_table(PRINTABLE, folder)


def character_class_path(character_class: str, folder: Path = PACKAGE_DIR) -> Path:
    """The saved table of `character_class`, named by the class and what `re` reads it from (this Python's
    version and Unicode database), so that a table of another Python is never read."""
    key = f"{character_class}|{sys.version_info[:2]}|{unicodedata.unidata_version}".encode()
    return folder / f"{CHARACTER_CLASS_PREFIX}{hashlib.blake2b(key, digest_size=6).hexdigest()}.npy"


def save_character_class_table(character_class: str, folder: Path = PACKAGE_DIR) -> Path:
    """Save the table of `character_class` into `folder`."""
    return save_array(character_class_path(character_class, folder), _computed(character_class))


def save_array(path: Path, array: np.ndarray) -> Path:
    """`np.save` atomically, through a temporary file renamed into place: a process mapping the saved files
    while another installs them reads a whole file or none."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp.npy")
    np.save(temporary, array, allow_pickle=False)
    os.replace(temporary, path)
    return path


def remove_stale(folder: Path, prefix: str, kept: Callable[[str], bool]) -> None:
    """Remove the files named `prefix*` in `folder` whose names `kept` rejects: what other versions saved."""
    for stale in folder.glob(f"{prefix}*"):
        if not kept(stale.name):
            stale.unlink()


def _computed(character_class: str) -> np.ndarray:
    return _printable_here() if character_class == PRINTABLE else _marked_by_re(character_class)


def _printable_here() -> np.ndarray:
    characters = np.arange(PRINTABLE_TABLE_SIZE, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    return np.fromiter(map(str.isprintable, characters), dtype=np.bool_, count=PRINTABLE_TABLE_SIZE)


def _marked_by_re(character_class: str) -> np.ndarray:
    table = np.zeros(sys.maxunicode + 1, dtype=np.bool_)
    everything = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    for run in re.finditer(character_class + "+", everything):
        table[run.start():run.end()] = True
    return table
