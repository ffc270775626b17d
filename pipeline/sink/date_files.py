"""A date's output files made from the run's staged files, as tasks that a process pool can run side by side.

Publishing used to write them in the main process while the pool's workers idled (~0.5 s of a 3,000-page
run, ~50 s of a 2 GB dump). Which rows are published is decided before, in one place (pipeline.sink.dedup);
the writing is then cut into tasks that need no answer from one another: the article files of a set of
languages each (`write_articles`), and the quarantine file with the manifest's per-file counts
(`write_quarantine`). Without a pool the same functions run one after the other, all languages in one
task: the files are the same either way.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import memory, storage
from pipeline.schema import QUARANTINE_SCHEMA, Rejection, rejection_row
from pipeline.sink import manifest as manifest_file
from pipeline.sink.language_files import LanguageFiles
from pipeline.sink.parquet import StagedParquetWriter, iter_batches, open_parquet


@dataclass(frozen=True, slots=True)
class Targets:
    """Where a new file of the date goes, and the path the manifest names it by ('articles/language=de/
    part-00000.parquet'). Locally: under the run's staging folder `root`, swapped in whole later. On object
    storage (`token` set): straight under the date's folders of the output root `root`, each name holding
    the run's `token` so that no other run's file is overwritten; nothing reads them until the manifest
    lists them."""

    root: str
    partition: str = ""
    token: str | None = None

    def __call__(self, kind: str, *rest: str) -> tuple[str, str]:
        if self.token is None:
            return os.path.join(self.root, kind, *rest), os.path.join(kind, *rest)
        *folders, name = rest
        name = name.replace("part-", f"part-{self.token}-", 1)
        return storage.join(self.root, kind, self.partition, *folders, name), "/".join([kind, *folders, name])

    def article(self, language: str, name: str) -> tuple[str, str]:
        return self("articles", f"language={language}", name)


@dataclass(slots=True)
class ArticlesWritten:
    """What one `write_articles` task committed: its files, their places among every language's files (the
    manifest lists them in that order), and its rows per language."""

    outputs: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    by_language: Counter = field(default_factory=Counter)


@dataclass(slots=True)
class QuarantineWritten:
    """What `write_quarantine` committed: the file, its rows per reason, and the rows it added per input file
    (reused doc ids, found at publishing)."""

    output: dict[str, Any]
    by_reason: Counter
    at_publish: Counter


def write_articles(paths: list[str], drops: list[bytearray], targets: Targets,
                   languages: frozenset[str] | None = None) -> ArticlesWritten:
    """Write the article files of `languages` (None: all) from the staged article files, leaving out the rows
    `drops` marks (one bytearray per file, 1 to drop).

    Every staged row is read, whatever the languages: when a language's buffered rows go out depends on
    every language's buffer (pipeline.sink.language_files), so each task follows them all to cut its files
    into the row groups that one writer of every language makes.
    """
    articles = LanguageFiles(targets.article, languages=languages)
    written = ArticlesWritten()
    try:
        for path, dropped in zip(paths, drops, strict=True):
            has_drops = any(dropped)
            offset = 0
            for batch in iter_batches([path]):
                table = pa.Table.from_batches([batch])
                rows = range(offset, offset + table.num_rows)
                offset += table.num_rows
                if has_drops:
                    table = table.filter(pa.array([not dropped[row] for row in rows]))
                for language in pc.unique(table["language"]).to_pylist():
                    part = table.filter(pc.equal(table["language"], language))
                    articles.add(language, part)
                    if articles.writes(language):
                        written.by_language[language] += part.num_rows
        written.outputs = articles.close()
    except BaseException:
        articles.abort()
        raise
    written.positions = articles.positions
    memory.release_freed()  # a pool worker's buffers, before its next task
    return written


def write_quarantine(paths: list[str], reused: Mapping[str, tuple[str, str]], article_paths: list[str],
                     drops: list[bytearray], targets: Targets) -> QuarantineWritten:
    """Copy the staged quarantine files into the date's one quarantine file, then a row per reused doc id
    (`reused`: doc_id -> (source file, body)); spill each staged file's rows per input file for the
    manifest, the staged article files' rows that are published included (pipeline.sink.manifest)."""
    by_reason: Counter = Counter()
    at_publish: Counter = Counter()
    location, relative = targets("quarantine", "part-00000.parquet")
    with StagedParquetWriter(location, QUARANTINE_SCHEMA) as writer:
        for path in paths:
            by_file: Counter = Counter()
            for batch in iter_batches([path]):
                table = pa.Table.from_batches([batch])
                writer.write_table(table)
                by_reason.update(table["reason"].to_pylist())
                by_file.update(table["source_file"].to_pylist())
            manifest_file.write_file_counts(path, by_file)
        for doc_id, (source_file, body) in reused.items():
            writer.write(rejection_row(Rejection(doc_id, source_file, "dedup", "duplicate_id",
                                                 f"{source_file}: doc_id {doc_id!r} already used by another document "
                                                 "with different text", body.encode("utf-8"))))
            by_reason["duplicate_id"] += 1
            at_publish[source_file] += 1
    for path, dropped in zip(article_paths, drops, strict=True):
        manifest_file.write_file_counts(path, _published_by_file(path, dropped))
    return QuarantineWritten({"path": relative, "rows": writer.rows_written}, by_reason, at_publish)


def _published_by_file(path: str, dropped: bytearray) -> Counter:
    """A staged article file's rows that are published, per input file (one staged file's column: bounded)."""
    source_files = open_parquet(path).read(columns=["source_file"])["source_file"]
    if any(dropped):
        source_files = source_files.filter(pa.array([not drop for drop in dropped]))
    return Counter(source_files.to_pylist())


def staged_language_rows(paths: Iterable[str]) -> Counter:
    """Rows per language in the staged article files (their language column only)."""
    rows: Counter = Counter()
    for path in paths:
        counts = pc.value_counts(open_parquet(path).read(columns=["language"])["language"])
        rows.update(dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)))
    return rows


def staged_bytes(paths: Iterable[str]) -> int:
    """The uncompressed bytes of staged files, from their footers."""
    return sum(metadata.row_group(group).total_byte_size
               for metadata in (open_parquet(path).metadata for path in paths)
               for group in range(metadata.num_row_groups))


def language_sets(weights: Mapping[str, float], quarantine: float, tasks: int) -> list[frozenset[str]]:
    """The languages cut into at most `tasks` sets of about equal weight, the quarantine task's weight counted
    in one of them (heaviest first, each to the lightest set), in the order to submit them after the
    quarantine task: that one's set last.

    A pool hands its tasks to the workers in the order submitted: the quarantine task and the other sets
    start at once, and the quarantine's worker takes the last set when done, as the others end theirs."""
    items = sorted([*weights.items(), (None, quarantine)], key=lambda item: (-item[1], item[0] or ""))
    loads = [0.0] * max(tasks, 1)
    members: list[list[str | None]] = [[] for _ in loads]
    for name, weight in items:
        lightest = loads.index(min(loads))
        loads[lightest] += weight
        members[lightest].append(name)
    order = sorted(range(len(loads)), key=lambda index: (None in members[index], -loads[index]))
    sets = [frozenset(name for name in members[index] if name is not None) for index in order]
    return [languages for languages in sets if languages]
