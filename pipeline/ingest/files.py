"""Find the input files under the paths a run is given, cheaply (stat only), in a stable order.

An input may be a local path or an object-store URL (s3://bucket/prefix): a URL is listed through
`pipeline.storage`, and each file is copied to a local scratch file only while its shard reads it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline import storage
from pipeline.schema import Rejection

# Longest suffix first, so '.jsonl.gz' wins over '.gz'.
KIND_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    (".warc.wet.gz", "wet"),
    (".warc.wet", "wet"),
    (".jsonl.gz", "jsonl"),
    (".tar.gz", "tar"),
    (".txt.gz", "text"),
    (".wet.gz", "wet"),
    (".jsonl", "jsonl"),
    (".tgz", "tar"),
    (".tar", "tar"),
    (".txt", "text"),
    (".wet", "wet"),
    (".zip", "zip"),
)
# What an archive member can be: page dumps only (no archive in an archive).
MEMBER_KINDS = ("text", "jsonl")


class InputError(Exception):
    """An input path the run cannot use at all: the run stops with this message."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to ingest and where it came from; doc ids are built from `relative`.

    Planning may cut a big plain JSONL file into byte ranges (`pipeline.ingest.split`): one InputFile per
    range, `size` the range's bytes, with the number of its first line (line-based doc ids stay those of the
    whole file) and the whole file's sha256 (no shard reads the whole file)."""

    path: str
    root: str
    relative: str
    size: int
    kind: str
    start: int = 0
    end: int = -1  # < 0: to the end of the file
    first_line: int = 1
    sha256: str = ""
    lines: int = 0  # lines counted at planning (an upper bound on the documents); 0: not counted


def kind_of(name: str) -> str | None:
    lowered = name.lower()
    for suffix, kind in KIND_BY_SUFFIX:
        if lowered.endswith(suffix):
            return kind
    return None


def check_inputs(inputs: tuple[str, ...] | list[str]) -> None:
    """Fail fast, naming the path, when an input does not exist or cannot be read."""
    if not inputs:
        raise InputError("no input path given")
    for raw in inputs:
        if storage.is_remote(raw):
            try:
                found = storage.exists(raw)
            except OSError as exc:
                raise InputError(f"input path is not readable: {raw}: {exc}") from None
            if not found:
                raise InputError(f"input path does not exist: {raw}")
            continue
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input path does not exist: {raw}")
        if not os.access(path, os.R_OK):
            raise InputError(f"input path is not readable: {raw}")


def discover(inputs: tuple[str, ...] | list[str]) -> Iterator[InputFile | Rejection]:
    """Yield every ingestible file under the inputs, sorted, and a Rejection for what cannot be walked.

    Files of unknown kinds are skipped (they are not documents); see `skipped_files`.
    """
    for raw in inputs:
        if storage.is_remote(raw):
            yield from _list_remote(raw)
            continue
        root = Path(raw)
        if root.is_file():
            kind = kind_of(root.name)
            if kind is not None:
                yield InputFile(str(root.resolve()), str(root.parent), root.name, root.stat().st_size, kind)
            continue
        yield from _walk(root)


def skipped_files(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """Files under the inputs that no reader handles, reported in the manifest."""
    skipped: list[str] = []
    for raw in inputs:
        if storage.is_remote(raw):
            skipped.extend(relative for relative, kind, _url, _size in _remote_files(raw) if kind is None)
            continue
        root = Path(raw)
        if root.is_file():
            if kind_of(root.name) is None:
                skipped.append(root.name)
            continue
        for dirpath, _dirs, names in os.walk(root):
            folder = os.path.relpath(dirpath, root)
            prefix = "" if folder == "." else folder + os.sep
            skipped.extend(prefix + name for name in names if kind_of(name) is None)
    return sorted(skipped)


def _walk(root: Path) -> Iterator[InputFile | Rejection]:
    seen_dirs: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=errors.append):
        try:
            stat = os.stat(dirpath)
        except OSError as exc:
            errors.append(exc)
            dirnames[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen_dirs:
            relative = os.path.relpath(dirpath, root)
            yield Rejection(relative, relative, "discover", "symlink_loop",
                            f"{dirpath}: directory already visited through another link; not followed", b"")
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        dirnames.sort()
        # relpath once per folder, not per file (~30 us each: a third of planning over many small files)
        folder = os.path.relpath(dirpath, root)
        prefix = "" if folder == "." else folder + os.sep
        for name in sorted(filenames):
            kind = kind_of(name)
            if kind is None:
                continue
            full = os.path.join(dirpath, name)
            relative = prefix + name
            try:
                size = os.stat(full).st_size
            except OSError as exc:
                yield Rejection(relative, relative, "discover", "unreadable", f"{full}: {exc.strerror}", b"")
                continue
            yield InputFile(full, str(root), relative, size, kind)
    for exc in errors:
        name = exc.filename or str(root)
        relative = os.path.relpath(name, root)
        yield Rejection(relative, relative, "discover", "unreadable", f"{name}: {exc.strerror or exc}", b"")


def _remote_files(raw: str) -> list[tuple[str, str | None, str, int]]:
    """(relative name, kind, URL, size) of every object under an input URL, or of the one object it names."""
    if storage.is_file(raw):
        name = storage.basename(raw)
        return [(name, kind_of(name), raw, storage.size(raw))]
    prefix = raw.rstrip("/")
    found = []
    for url, size in storage.list_files(prefix, recursive=True):
        relative = url[len(prefix) + 1:]
        found.append((relative, kind_of(relative.rsplit("/", 1)[-1]), url, size))
    return sorted(found)


def _list_remote(raw: str) -> Iterator[InputFile]:
    root = storage.dirname(raw) if storage.is_file(raw) else raw.rstrip("/")
    for relative, kind, url, size in _remote_files(raw):
        if kind is not None:
            yield InputFile(url, root, relative, size, kind)


@contextlib.contextmanager
def local_copy(input_file: InputFile) -> Iterator[InputFile]:
    """The input file as the readers open it: itself when local; a scratch copy of an object-store file,
    deleted afterwards (readers seek in archives, and checksums cover exactly the bytes read). A range of a
    split file is copied alone, and read whole from its copy."""
    if not storage.is_remote(input_file.path):
        yield input_file
        return
    scratch = storage.scratch_dir()
    try:
        local = os.path.join(scratch, os.path.basename(input_file.relative))
        ranged = input_file.end >= 0
        try:
            if ranged:
                storage.download_range(input_file.path, local, input_file.start, input_file.end)
            else:
                storage.download(input_file.path, local)
        except OSError:
            local = os.path.join(scratch, "missing", os.path.basename(input_file.relative))  # read as unreadable
        if ranged:
            yield dataclasses.replace(input_file, path=local, start=0, end=input_file.end - input_file.start)
        else:
            yield dataclasses.replace(input_file, path=local)
    finally:
        storage.remove_tree(scratch)
