"""The ahead-of-time builds of the numba kernels (`python -m pipeline.langid_build`, run at install): each named
by a digest of the source it was built from, so that a stale build is never loaded, only left unused until
rebuilt; and the Unicode tables the kernels read instead of `re`'s character classes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.resources
import re
import sys
from collections.abc import Sequence
from types import ModuleType

import numpy as np


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


def character_class_table(character_class: str) -> np.ndarray:
    """For every code point, whether the regex `character_class` (e.g. r"\\d") matches it: marked from the runs
    `re` itself finds in a text of all of Unicode (~30-60 ms), so the class is the regex's, in this Python."""
    table = np.zeros(sys.maxunicode + 1, dtype=np.bool_)
    everything = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    for run in re.finditer(character_class + "+", everything):
        table[run.start():run.end()] = True
    return table
