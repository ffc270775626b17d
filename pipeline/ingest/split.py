"""Cut big plain JSONL files into byte ranges at line boundaries, so that one dump becomes several shards.

A range is read by seeking to it, so only uncompressed files are cut: gzip, WET and archives cannot be
entered in the middle and stay one shard each. Planning reads each plain JSONL file once, front to back:
it counts lines (doc ids of lines without an `id` are `path:line`, so each range carries the number of its
first line), hashes the file (the manifest's sha256 is the whole file's), and cuts where a range reaches
the byte target or the line cap. Every line lands whole in exactly one range.
"""

from __future__ import annotations

import dataclasses
import hashlib

from pipeline import storage
from pipeline.ingest.files import InputFile

_CHUNK = 1 << 20


def splittable(input_file: InputFile) -> bool:
    """A plain (uncompressed) JSONL file: a reader can start at any line of it."""
    return input_file.kind == "jsonl" and input_file.relative.lower().endswith(".jsonl")


def cut(input_file: InputFile, max_bytes: int, max_lines: int) -> list[InputFile]:
    """The file's ranges of at most `max_lines` lines, each ending at the first line end at or past `max_bytes` bytes
    (a longer line is a range alone); the file itself, with its line count, when one range holds it.

    A file planning cannot read is left whole: its shard quarantines it as unreadable."""
    if not splittable(input_file):
        return [input_file]
    try:
        starts, size, lines, sha256 = _scan(input_file.path, max(max_bytes, 1), max(max_lines, 1))
    except OSError:
        return [input_file]
    if len(starts) == 1:
        return [dataclasses.replace(input_file, lines=lines)]
    bounds = [*starts, (size, lines + 1)]
    return [dataclasses.replace(input_file, size=end - start, start=start, end=end, first_line=first_line,
                                sha256=sha256, lines=next_line - first_line)
            for (start, first_line), (end, next_line) in zip(bounds, bounds[1:], strict=False)]


def _scan(path: str, max_bytes: int, max_lines: int) -> tuple[list[tuple[int, int]], int, int, str]:
    """(offset, line number) of each range's first line, the file's size, lines and sha256, in one pass."""
    digest = hashlib.sha256()
    starts = [(0, 1)]
    offset = newlines = range_start = range_lines = 0
    last = b""
    with storage.open_stream(path) as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            last = chunk[-1:]
            count = chunk.count(b"\n")
            if offset + len(chunk) - range_start < max_bytes and range_lines + count < max_lines:
                newlines, range_lines = newlines + count, range_lines + count  # no cut in this chunk
            else:
                position = 0
                while (found := chunk.find(b"\n", position)) >= 0:
                    position = found + 1
                    newlines, range_lines = newlines + 1, range_lines + 1
                    end = offset + position
                    if end - range_start >= max_bytes or range_lines >= max_lines:
                        starts.append((end, newlines + 1))
                        range_start, range_lines = end, 0
            offset += len(chunk)
    if len(starts) > 1 and starts[-1][0] == offset:
        starts.pop()  # the last cut fell at the end of the file
    lines = newlines + (1 if last not in (b"", b"\n") else 0)
    return starts, offset, lines, digest.hexdigest()
