"""The date's manifest written as a stream: one entry per input file, however many files a run reads.

A run over 200,000 small files lists 200,000 inputs. Held as dicts, with a Counter of rows per file for
each of its counts, and serialized in one string, they took the publishing process up by hundreds of MB.
Instead, publishing spills each shard's rows per file to the work directory (`write_file_counts`), and the
entries are rebuilt shard by shard (`input_entries`) while the JSON encoder writes them to a file of their
own (`write_encoded`), which the manifest's writer copies in (`EncodedList`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from pipeline import storage

# Suffix of the spilled per-file row counts of a staged output file.
FILE_COUNTS_SUFFIX = ".by_file.json"
# A streamed list's items encoded per write (its lines joined).
LINES_PER_WRITE = 1_000
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, default=str)


class EncodedList:
    """A JSON array whose items `write_encoded` wrote to a local file beforehand (in another process, say):
    `write_manifest` copies them in."""

    def __init__(self, path: str, length: int) -> None:
        self.path = path
        self._length = length

    def __len__(self) -> int:
        return self._length


def write_manifest(path: str, manifest: Mapping[str, Any]) -> None:
    """Write the manifest to a local file (temporary, then renamed): as storage.write_json would (indent 1,
    UTF-8) but an EncodedList's items one per line. One line per input file is what a
    reader greps for, and each line goes through json's C encoder: its indenting encoder is pure Python
    (~4x slower), and a run over 200,000 files lists 200,000 inputs."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("{")
        for number, (key, value) in enumerate(manifest.items()):
            handle.write(f"{',' if number else ''}\n {_encoded(key)}: ")
            if not isinstance(value, EncodedList):
                handle.write(json.dumps(value, indent=1, ensure_ascii=False, default=str).replace("\n", "\n "))
                continue
            handle.write("[\n  " if len(value) else "[")
            with open(value.path, encoding="utf-8") as encoded:
                shutil.copyfileobj(encoded, handle)
            handle.write("\n ]" if len(value) else "]")
        handle.write("\n}" if manifest else "}")
    os.replace(temporary, path)


def write_encoded(path: str, items: Iterable[Any]) -> int:
    """Encode `items` into a local file, one a line, as they come (a chunk of lines per write), for an
    EncodedList; returns how many there were."""
    count = 0
    items = iter(items)
    with open(path, "w", encoding="utf-8") as handle:
        while chunk := list(islice(items, LINES_PER_WRITE)):
            handle.write((",\n  " if count else "") + ",\n  ".join(map(_ONE_LINE.encode, chunk)))
            count += len(chunk)
    return count


def _encoded(value: Any) -> str:
    return _ONE_LINE.encode(value)


def write_file_counts(path: str, counts: Counter) -> None:
    """Spill the rows per source file of one staged output file: `path` + FILE_COUNTS_SUFFIX."""
    storage.write_json(path + FILE_COUNTS_SUFFIX, dict(counts))


def read_file_counts(paths: Iterable[str]) -> Counter:
    """The summed spilled counts of these staged output files (a missing spill counts nothing)."""
    total: Counter = Counter()
    for path in paths:
        spill = path + FILE_COUNTS_SUFFIX
        if storage.exists(spill):
            total.update(storage.read_json(spill))
    return total


def input_entries(shards: Iterable[tuple[list[dict[str, Any]], Counter, Counter]], duplicates_by_file: Counter,
                  extra_quarantined: Counter) -> Iterator[dict[str, Any]]:
    """One manifest entry per input file, in order, from each shard's files (as ingest_shard lists them) and
    its written and quarantined rows per file name.

    The ranges of a split file sit in consecutive shards: they make one entry, whose bytes, documents and
    rows add up. `duplicates_by_file` and `extra_quarantined` (rows quarantined at publishing) are the run's,
    by file name.
    """
    pending: dict[str, Any] | None = None
    for files, written, quarantined in shards:
        applied: set[str] = set()
        for entry in files:
            key = (entry.get("root"), entry["path"])
            if pending is not None and key[0] is not None and (pending.get("root"), pending["path"]) == key:
                pending["bytes"] += entry["bytes"]
                pending["documents_seen"] += entry["documents_seen"]
            else:
                if pending is not None:
                    yield _balanced(pending, duplicates_by_file, extra_quarantined)
                pending = {**entry, "written": 0, "quarantined": 0}
            name = entry["path"]
            if name not in applied:
                applied.add(name)
                pending["written"] += written.get(name, 0)
                pending["quarantined"] += quarantined.get(name, 0)
    if pending is not None:
        yield _balanced(pending, duplicates_by_file, extra_quarantined)


def _balanced(entry: dict[str, Any], duplicates_by_file: Counter, extra_quarantined: Counter) -> dict[str, Any]:
    name = entry["path"]
    entry["quarantined"] += extra_quarantined.get(name, 0)
    entry["duplicates"] = duplicates_by_file.get(name, 0)
    entry["balanced"] = entry["documents_seen"] == entry["written"] + entry["quarantined"] + entry["duplicates"]
    return entry
