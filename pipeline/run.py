"""The run of one ingest date, as stages over shards: what the CLI chains and the DAG's tasks call.

plan_shards ─► ingest_shard (each) ─► learn_site_chrome ─► clean_shard ─► detect_language_shard (each)
─► publish_date. Every stage reads and writes files under the run's work directory, by path, so the DAG
passes only paths and counts between tasks, and a retried stage simply overwrites its own outputs.

The output root (and so the work directory under it) may be a local path or an object-store URL
(`pipeline.storage`): shard tasks on different machines then share the work directory through the store.

The cleaning, reading and language modules are imported by the stages that use them, so that planning,
learning the site-chrome model and publishing (and Airflow's tasks for them) do without them; with --workers,
the main process loads them just before starting its pool, which inherits them (see _worker_pool).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import re
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import fields
from typing import Any

import pyarrow as pa

from pipeline import faultpoint, memory, storage
from pipeline.chrome_counts import merge_shard_counts
from pipeline.clean import site_chrome
from pipeline.config import RunConfig
from pipeline.counted_pages import COUNTED_SCHEMA, CountedFiles, correction
from pipeline.ingest import split
from pipeline.ingest.files import InputFile, check_inputs, discover, local_copy, skipped_files
from pipeline.ingest.reading import FileDigest
from pipeline.schema import (
    ARTICLE_SCHEMA,
    FINGERPRINTS_COLUMN,
    PAGE_SCHEMA,
    PIPELINE_VERSION,
    QUARANTINE_SCHEMA,
    Article,
    Rejection,
    article_row,
    page_from_row,
    page_values,
    rejection_row,
)
from pipeline.sink import date_files, dedup, publish
from pipeline.sink import manifest as manifest_file
from pipeline.sink.parquet import (
    WORK_COMPRESSION,
    StagedParquetWriter,
    iter_batches,
    iter_row_range,
    iter_rows,
    iter_selected_rows,
)

# Run ids `run_pipeline` makes: it holds the date's lock throughout, so a leftover work dir so named is dead.
CLI_RUN_PREFIX = "cli-"
# Staged work of another run of the date untouched this long is abandoned: an Airflow run that failed for
# good and that nobody cleared to retry. Publishing a date removes it.
STALE_WORK_AGE = dt.timedelta(days=7)
# With --workers N, cleaning is cut into parts of shrinking size (see clean_part_plan): the next part takes
# 1/PART_SHARE_PER_WORKER of the pages left per worker, and at least MIN_PART_PAGES (a part costs two staged
# files and a site-model load, a few milliseconds), so the workers' last parts are small and end together.
PART_SHARE_PER_WORKER = 2
MIN_PART_PAGES = 50
MIN_SHARD_BYTES = 1024 * 1024


def partition_name(ingest_date: dt.date) -> str:
    return f"ingest_date={ingest_date.isoformat()}"


def work_dir(config: RunConfig, run_id: str) -> str:
    """Where a run stages its files: under '_work', which dataset readers skip (leading underscore)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
    return storage.join(config.output, "_work", partition_name(config.ingest_date), safe)


def _shard_path(work: str, index: int, what: str) -> str:
    return storage.join(work, f"shard-{index:05d}.{what}")


def _work_file(path: str, schema: pa.Schema) -> StagedParquetWriter:
    """A Parquet file of the run's work directory: read by the next stages only, so compressed for speed."""
    return StagedParquetWriter(path, schema, compression=WORK_COMPRESSION)


def _write_json(path: str, data: Any) -> None:
    """A work-directory file: compact JSON, read by the run's stages only (planning writes one entry per input
    file); locally a temporary file renamed into place."""
    storage.write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8"))


def _read_json(path: str) -> Any:
    return storage.read_json(path)


# ---------------------------------------------------------------- plan


def plan_shards(config: RunConfig, run_id: str) -> list[int]:
    """Discover the input files and group them into shards of bounded size; returns the shard indices."""
    check_inputs(config.inputs)
    work = work_dir(config, run_id)
    publish.remove_tree(work)
    if not storage.is_remote(work):
        os.makedirs(work, exist_ok=True)
    files: list[InputFile] = []
    rejections: list[Rejection] = []
    for item in discover(config.inputs):
        (rejections if isinstance(item, Rejection) else files).append(item)
    with _work_file(storage.join(work, "discover.quarantine.parquet"), QUARANTINE_SCHEMA) as writer:
        for rejection in rejections:
            writer.write(rejection_row(rejection))
    _write_json(storage.join(work, "discover.json"), {
        "skipped_files": skipped_files(config.inputs),
        "rejections": [{"doc_id": r.doc_id, "reason": r.reason} for r in rejections],
    })
    shards = group_into_shards(files, config)
    for index, shard in enumerate(shards):
        # Flat fields (asdict deep-copies): the serial start of every run writes one entry per input file here.
        _write_json(_shard_path(work, index, "plan.json"),
                    {"index": index, "files": [{name: getattr(f, name) for name in _INPUT_FIELDS} for f in shard]})
    return list(range(len(shards)))


_INPUT_FIELDS = tuple(field.name for field in fields(InputFile))


def group_into_shards(files: list[InputFile], config: RunConfig) -> list[list[InputFile]]:
    """Contiguous groups of files, each under the byte and document caps; never more than `max_shards`.

    Big plain JSONL files are first cut into ranges at line boundaries (`pipeline.ingest.split`), so that
    no shard holds more lines than `max_docs_per_shard` and none of their pages is over the cap. Few big
    shards keep Airflow's per-task overhead small; the cap keeps mapping under max_map_length.
    """
    total = sum(f.size for f in files)
    limit = max(config.max_shards, 1)
    target = max(config.target_shard_bytes, -(-total // limit))
    max_docs = max(config.max_docs_per_shard, -(-len(files) // limit))
    # With several workers, ingestion is spread too: equal pieces of at least MIN_SHARD_BYTES, a whole number
    # of rounds of `shards_per_worker` each. The site-chrome counts do not depend on the cut
    # (pipeline.counted_pages); which pages pass max_docs_per_shard would, so only shards whose documents
    # planning bounds (one-page files, counted JSONL lines), which the packing keeps under the cap, are cut.
    piece = _piece_bytes(files, target, config)
    range_bytes = target if config.workers <= 1 else min(target, piece)
    files = [part for input_file in files for part in split.cut(input_file, range_bytes, config.max_docs_per_shard)]
    # Uneven sizes (a few huge files) fragment the packing past the limit: widen the shards until it fits.
    while len(shards := _pack(files, target, max_docs)) > limit:
        target, max_docs = target * 2, max_docs * 2
    if config.workers <= 1:
        return shards
    if all(map(_bounded, files)):  # pieces of the whole input, not of each shard: no short piece per shard
        finer = _pack(files, piece + _slack(files), max_docs)
    else:
        finer = [part for shard in shards
                 for part in (_pack(shard, piece + _slack(shard), max_docs) if all(map(_bounded, shard)) else [shard])]
    return finer if len(finer) <= limit else shards


def _piece_bytes(files: list[InputFile], target: int, config: RunConfig) -> int:
    """Bytes of one piece when `workers` processes share the input: equal pieces, as many as the shard size
    and document cap need, rounded up to a whole number of rounds of `workers * shards_per_worker` tasks, so
    that no round ends with a short task beside an idle slot (Airflow maps clean over the shards as cut)."""
    slots = max(config.workers * config.shards_per_worker, 1)
    total = sum(f.size for f in files)
    documents = sum(f.lines or 1 for f in files)
    needed = max(-(-total // max(target, 1)), -(-documents // max(config.max_docs_per_shard, 1)), 1)
    pieces = -(-needed // slots) * slots
    return max(MIN_SHARD_BYTES, -(-total // pieces))


def _slack(files: list[InputFile]) -> int:
    """A one-page file's worth of bytes: packed with it, a piece closes at `piece` bytes or more, so the
    leftovers never make a sliver of a piece more (in Airflow, one task more in every shard stage). JSONL
    ranges are cut to the piece's size already."""
    return max((f.size for f in files if f.kind == "text"), default=1) - 1


def _bounded(input_file: InputFile) -> bool:
    """Planning knows how many documents the file may hold: a one-page file, or counted JSONL lines."""
    return input_file.kind == "text" or input_file.lines > 0


def _pack(files: list[InputFile], target: int, max_docs: int) -> list[list[InputFile]]:
    shards: list[list[InputFile]] = []
    current: list[InputFile] = []
    current_bytes = current_docs = 0
    for input_file in files:
        docs = input_file.lines or 1  # uncounted (compressed, WET, archives): one, as before they were cut
        if current and (current_bytes + input_file.size > target or current_docs + docs > max_docs):
            shards.append(current)
            current, current_bytes, current_docs = [], 0, 0
        current.append(input_file)
        current_bytes += input_file.size
        current_docs += docs
    if current:
        shards.append(current)
    return shards


# ---------------------------------------------------------------- per shard


def ingest_shard(config: RunConfig, run_id: str, index: int) -> dict[str, int]:
    """Read the shard's files into staged pages, quarantine what is unreadable, count blocks per site."""
    from pipeline.ingest.readers import Limits, over_shard_cap, read_documents

    work = work_dir(config, run_id)
    plan = _read_json(_shard_path(work, index, "plan.json"))
    counter = site_chrome.BlockCounter()
    counted_texts: set[str] = set()
    limits = Limits(config.max_page_bytes, config.max_archive_bytes, config.max_archive_ratio)
    file_stats = []
    pages = quarantined = 0
    with _work_file(_shard_path(work, index, "pages.parquet"), PAGE_SCHEMA) as page_writer, \
            _work_file(_shard_path(work, index, "ingest.quarantine.parquet"), QUARANTINE_SCHEMA) as rejects, \
            _work_file(_shard_path(work, index, "counted.parquet"), COUNTED_SCHEMA) as counted:
        for fields in plan["files"]:
            input_file = InputFile(**fields)
            digest = FileDigest()
            seen = 0
            with local_copy(input_file) as readable:
                for document in read_documents(readable, limits, digest):
                    seen += 1
                    if pages >= config.max_docs_per_shard and not isinstance(document, Rejection):
                        document = over_shard_cap(document, config.max_docs_per_shard)
                    if isinstance(document, Rejection):
                        rejects.write(rejection_row(document))
                        quarantined += 1
                    else:
                        row = page_values(document)
                        page_writer.append(row)
                        pages += 1
                        # A page repeated verbatim would make its own text look like site chrome: count it once.
                        text_key = document.text_key  # every page a reader yields is keyed by make_page
                        if text_key not in counted_texts:
                            counted_texts.add(text_key)
                            story = site_chrome.story_key(document.url)
                            counted.append((text_key, document.source, story, pages - 1,
                                            counter.add_packed(document.source, row[FINGERPRINTS_COLUMN], story)))
                    faultpoint.reached("document")
            file_stats.append({"path": input_file.relative, "root": input_file.root, "kind": input_file.kind,
                               "bytes": digest.bytes_read or input_file.size, "sha256": digest.sha256,
                               "documents_seen": seen})
    site_chrome_counts = counter.to_table()
    with _work_file(_shard_path(work, index, "counts.parquet"), site_chrome.COUNTS_SCHEMA) as writer:
        writer.write_table(site_chrome_counts)
    _write_json(_shard_path(work, index, "files.json"), file_stats)
    memory.release_freed()  # a pool worker goes on to other shards and to cleaning
    return {"shard": index, "pages": pages, "quarantined": quarantined}


def learn_site_chrome(config: RunConfig, run_id: str) -> dict[str, int]:
    """Merge the shards' block counts into the persistent state and derive this run's chrome model."""
    work = work_dir(config, run_id)
    counted_files = storage.glob_files(work, "shard-*.counted.parquet")
    page_files = [path.removesuffix("counted.parquet") + "pages.parquet" for path in counted_files]

    def read_pages(position: int, rows: list[int]) -> Iterator[tuple[str, str]]:
        return ((page["source"], page["text"]) for page in iter_selected_rows(page_files[position], rows,
                                                                               ["source", "text"]))

    corrected = correction(CountedFiles(counted_files), read_pages)
    merged = merge_shard_counts(storage.glob_files(work, "shard-*.counts.parquet"), corrected)
    if not storage.is_remote(config.output):
        site_chrome.write_date_counts(config.output, config.ingest_date, merged)
        window = site_chrome.load_window_counts(config.output, config.ingest_date, config.site_chrome_window_days)
        model = site_chrome.build_model(window, config.site_chrome_min_pages, config.site_chrome_min_share)
        site_chrome.save_model(model, storage.join(work, "site_chrome.parquet"))
        return {"chrome_blocks": len(model.chrome)}
    # On object storage the state files are small: work on local copies of the window, upload what changed.
    scratch = storage.scratch_dir()
    try:
        remote_state = site_chrome.state_dir(config.output).replace(os.sep, "/")
        first = config.ingest_date - dt.timedelta(days=config.site_chrome_window_days - 1)
        for url in storage.glob_files(remote_state, "ingest_date=*.parquet"):
            name = storage.basename(url)
            day = dt.date.fromisoformat(name.removeprefix("ingest_date=").removesuffix(".parquet"))
            if first <= day < config.ingest_date:
                storage.download(url, os.path.join(site_chrome.state_dir(scratch), name))
        written = site_chrome.write_date_counts(scratch, config.ingest_date, merged)
        storage.upload(written, storage.join(remote_state, os.path.basename(written)))
        window = site_chrome.load_window_counts(scratch, config.ingest_date, config.site_chrome_window_days)
        model = site_chrome.build_model(window, config.site_chrome_min_pages, config.site_chrome_min_share)
        site_chrome.save_model(model, os.path.join(scratch, "site_chrome.parquet"))
        storage.upload(os.path.join(scratch, "site_chrome.parquet"), storage.join(work, "site_chrome.parquet"))
    finally:
        storage.remove_tree(scratch)
    return {"chrome_blocks": len(model.chrome)}


def _load_site_model(work: str) -> site_chrome.SiteChromeModel:
    path = storage.join(work, "site_chrome.parquet")
    if not storage.exists(path):
        return site_chrome.SiteChromeModel.empty()
    if not storage.is_remote(path):
        return site_chrome.load_model(path)
    scratch = storage.scratch_dir()
    try:
        local = os.path.join(scratch, "site_chrome.parquet")
        storage.download(path, local)
        return site_chrome.load_model(local)
    finally:
        storage.remove_tree(scratch)


def clean_shard(config: RunConfig, run_id: str, index: int) -> dict[str, int]:
    """Staged pages to staged articles (language set where the cleaning could hand it on, see tag_language);
    pages without an article go to quarantine."""
    work = work_dir(config, run_id)
    return _clean(config, work, index, detect=False, output_name="articles.parquet")


def detect_language_shard(config: RunConfig, run_id: str, index: int) -> dict[str, int]:
    """Tag every staged article of the shard with its language; one with no language evidence is quarantined.

    The staged rows pass through as Arrow batches, only their language columns set (most articles carry
    the cleaning's answer already): no article is rebuilt as Python objects."""
    work = work_dir(config, run_id)
    languages: Counter = Counter()
    quarantined = 0
    with _work_file(_shard_path(work, index, "languages.parquet"), ARTICLE_SCHEMA) as writer, \
            _work_file(_shard_path(work, index, "language.quarantine.parquet"), QUARANTINE_SCHEMA) as rejects:
        for batch in iter_batches([_shard_path(work, index, "articles.parquet")]):
            tagged, rejections = _tagged(batch)
            for rejection in rejections:
                rejects.write(rejection_row(rejection))
            quarantined += len(rejections)
            languages.update(tagged["language"].to_pylist())
            writer.write_table(tagged)
    return {"shard": index, "articles": sum(languages.values()), "languages": len(languages),
            "quarantined": quarantined}


def _tagged(batch: pa.RecordBatch) -> tuple[pa.Table, list[Rejection]]:
    """`language_tag` on every staged article of the batch: the rows with a language, and a Rejection for
    each of the others."""
    from pipeline.langid import UNDETERMINED

    bodies = batch.column("body")
    answers = [language_tag(language, score, lambda row=row: bodies[row].as_py())
               for row, (language, score) in enumerate(zip(batch.column("language").to_pylist(),
                                                           batch.column("language_score").to_pylist(), strict=True))]
    keep = [language != UNDETERMINED for language, _ in answers]
    rejections = [_no_language_evidence(batch.column("doc_id")[row].as_py(), batch.column("source_file")[row].as_py(),
                                        bodies[row].as_py()) for row, kept in enumerate(keep) if not kept]
    table = pa.Table.from_batches([batch])
    table = table.set_column(table.schema.get_field_index("language"), "language",
                             pa.array([language for language, _ in answers], pa.string()))
    table = table.set_column(table.schema.get_field_index("language_score"), "language_score",
                             pa.array([score for _, score in answers], pa.float64()))
    return table.filter(pa.array(keep, pa.bool_())), rejections


def clean_and_detect_shard(config: RunConfig, run_id: str, index: int) -> dict[str, int]:
    """The CLI's fused form of clean_shard + detect_language_shard: same functions, no staging between."""
    work = work_dir(config, run_id)
    return _clean(config, work, index, detect=True, output_name="languages.parquet")


def clean_and_detect_part(config: RunConfig, run_id: str, index: int, part: int, first: int,
                          count: int) -> dict[str, int]:
    """clean_and_detect_shard on `count` of the shard's pages from row `first`, so that the workers of a
    process pool can share one shard. Its files are the shard's, numbered by part ('shard-00000.p0001.
    languages.parquet'): the stages after it read every shard's files in name order, hence in page order."""
    work = work_dir(config, run_id)
    return _clean(config, work, index, detect=True, output_name="languages.parquet", rows=(first, count), part=part)


def _clean(config: RunConfig, work: str, index: int, *, detect: bool, output_name: str,
           rows: tuple[int, int] | None = None, part: int | None = None) -> dict[str, int]:
    from pipeline.clean.extract import extract_article

    model = _load_site_model(work)
    articles = quarantined = 0
    prefix = "" if part is None else f"p{part:04d}."
    pages_path = _shard_path(work, index, "pages.parquet")
    with _work_file(_shard_path(work, index, prefix + output_name), ARTICLE_SCHEMA) as writer, \
            _work_file(_shard_path(work, index, prefix + "clean.quarantine.parquet"), QUARANTINE_SCHEMA) as rejects:
        for row in iter_rows(pages_path) if rows is None else iter_row_range(pages_path, *rows):
            page = page_from_row(row)
            try:
                result = extract_article(page, model, config.min_body_words)
            except (ImportError, MemoryError):
                raise  # the environment is broken, not this page: stop instead of quarantining everything
            except Exception as exc:  # a cleaning bug must cost one page, not the run
                result = Rejection(page.doc_id, page.source_file, "clean", "clean_error",
                                   f"{page.source_file}: {type(exc).__name__}: {exc}", page.text.encode("utf-8"))
            if isinstance(result, Rejection):
                rejects.write(rejection_row(result))
                quarantined += 1
                continue
            if detect and (rejection := tag_language(result)) is not None:
                rejects.write(rejection_row(rejection))
                quarantined += 1
                continue
            writer.write(article_row(result))
            articles += 1
    memory.release_freed()  # a pool worker cleans part after part: each starts from what is live
    return {"shard": index, "articles": articles, "quarantined": quarantined}


def tag_language(article: Article) -> Rejection | None:
    """Tag the article with the language of its cleaned body (`language_tag`); an article whose text gives no
    evidence at all comes back as a Rejection."""
    from pipeline.langid import UNDETERMINED

    article.language, article.language_score = language_tag(article.language, article.language_score,
                                                            lambda: article.body)
    if article.language != UNDETERMINED:
        return None
    return _no_language_evidence(article.doc_id, article.source_file, article.body)


def language_tag(language: str, score: float, body: Callable[[], str]) -> tuple[str, float]:
    """An article's language and score: detected on the body's language sample (its longest paragraphs up to
    LANGUAGE_SAMPLE_CHARS, as the cleaning samples a page; the title is left out and chrome would pull
    toward the site's interface language), unless the cleaning set it already (its page sample was that
    same text); the score rounded to 6 places. `body` is called only when detection is needed."""
    from pipeline.clean.extract import language_sample
    from pipeline.langid import UNDETERMINED, detect_language

    if language == UNDETERMINED:
        guess = detect_language(language_sample(body().split("\n\n")))
        language, score = guess.language, guess.score
    return language, round(score, 6)


def _no_language_evidence(doc_id: str, source_file: str, body: str) -> Rejection:
    return Rejection(doc_id, source_file, "detect_language", "no_language_evidence",
                     f"{source_file}: langdetect finds no language evidence in the cleaned text", body.encode("utf-8"))


# ---------------------------------------------------------------- publish


def publish_date(config: RunConfig, run_id: str) -> dict[str, Any]:
    """Dedup across shards, write the date's final partitions and manifest, and swap them in atomically.
    Returns the manifest but its per-file `inputs` (in the published file: read_manifest)."""
    with publish.date_lock(config.output, partition_name(config.ingest_date)):
        return publish_date_locked(config, run_id)


def publish_date_locked(config: RunConfig, run_id: str, started_at: str | None = None,
                        pool: Executor | None = None) -> dict[str, Any]:
    """publish_date for a caller that already holds the date's lock; with `pool`, its workers write the
    date's files (pipeline.sink.date_files)."""
    work = work_dir(config, run_id)
    partition = partition_name(config.ingest_date)
    remote = storage.is_remote(config.output)
    if remote:
        # No rename on object storage: write straight to the date's folders under names no other run uses;
        # nothing reads them until the manifest, written last, lists them.
        token = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        targets = date_files.Targets(config.output, partition, token)
        local = storage.scratch_dir()  # where the manifest is made
    else:
        staging = os.path.join(work, "publish")
        publish.remove_tree(staging)
        targets = date_files.Targets(staging)
        local = work
    manifest_path = os.path.join(local, "manifest.json")
    try:
        manifest = _write_date(config, run_id, work, targets, local, started_at, pool)
        manifest_file.write_manifest(manifest_path, manifest)
        if remote:
            publish.commit_remote(config.output, partition, manifest_path, manifest["outputs"])
    finally:
        if remote:
            storage.remove_tree(local)
    if remote:
        publish.remove_tree(work)
        publish.remove_stale_work(storage.dirname(work), storage.basename(work), STALE_WORK_AGE)
        return _without_inputs(manifest)
    os.makedirs(os.path.join(staging, "articles"), exist_ok=True)
    publish.publish_partition(config.output, partition, staging, manifest_path, os.path.join(work, "retired"))
    publish.remove_tree(work)
    publish.remove_stale_work(os.path.dirname(work), os.path.basename(work), STALE_WORK_AGE)
    _remove_if_empty(os.path.dirname(work))
    _remove_if_empty(os.path.dirname(os.path.dirname(work)))
    return _without_inputs(manifest)


def _write_date(config: RunConfig, run_id: str, work: str, targets: date_files.Targets, local: str,
                started_at: str | None, pool: Executor | None) -> dict[str, Any]:
    """Decide which staged articles are published (dedup, here), then write the date's files, in this process
    or as tasks of the pool: the quarantine task first, then one task per set of languages of about equal
    weight (pipeline.sink.date_files). Returns the date's manifest, its `inputs` encoded under `local`."""
    shard_files = storage.glob_files(work, "shard-*.languages.parquet")
    dropped = dedup.find_dropped(shard_files)
    memory.release_freed()  # the slices' key sets, before the article files' buffers
    quarantine_files = [storage.join(work, "discover.quarantine.parquet")]
    quarantine_files += storage.glob_files(work, "shard-*.ingest.quarantine.parquet")
    quarantine_files += storage.glob_files(work, "shard-*.clean.quarantine.parquet")
    quarantine_files += storage.glob_files(work, "shard-*.language.quarantine.parquet")
    duplicates_by_file = Counter(source_file for source_file, _ in dropped.duplicates.values())
    inputs_path = os.path.join(local, "manifest.inputs")
    quarantine_arguments = (work, quarantine_files, dropped.reused, shard_files, dropped.rows, targets,
                            duplicates_by_file, inputs_path)
    if pool is None:
        articles = [date_files.write_articles(shard_files, dropped.rows, targets)]
        quarantine, entries, seen = _write_quarantine_and_inputs(*quarantine_arguments)
    else:
        sets = date_files.language_sets(_language_weights(shard_files), _quarantine_weight(work, quarantine_files),
                                        config.workers)
        quarantine_future = pool.submit(_write_quarantine_and_inputs, *quarantine_arguments)
        futures = [pool.submit(date_files.write_articles, shard_files, dropped.rows, targets, languages)
                   for languages in sets]
        articles = [future.result() for future in futures]
        quarantine, entries, seen = quarantine_future.result()
    outputs = [output for _, output in sorted((position, output) for written in articles
                                              for position, output in zip(written.positions, written.outputs,
                                                                          strict=True))]
    return _manifest(config, run_id, work, started_at, sum((written.by_language for written in articles), Counter()),
                     quarantine.by_reason, dropped.duplicates, manifest_file.EncodedList(inputs_path, entries), seen,
                     [*outputs, quarantine.output])


# What encoding one entry of the manifest's inputs costs, in staged article bytes written, per byte of the
# shards' file lists (an entry: ~150 bytes there, ~33 µs; writing articles: ~16 ns a staged byte).
INPUT_ENTRY_WEIGHT = 14


def _language_weights(shard_files: list[str]) -> dict[str, float]:
    """What writing each language's files costs, about: its staged rows times the staged bytes per row."""
    rows = date_files.staged_language_rows(shard_files)
    bytes_per_row = date_files.staged_bytes(shard_files) / max(sum(rows.values()), 1)
    return {language: count * bytes_per_row for language, count in rows.items()}


def _quarantine_weight(work: str, quarantine_files: list[str]) -> float:
    """What the quarantine task costs, in the same unit: its staged bytes, and the manifest's entries."""
    pattern = "shard-*.files.json"
    if storage.is_remote(work):
        listed = sum(size for _, size in storage.list_files(work, pattern))
    else:
        listed = sum(os.path.getsize(path) for path in storage.glob_files(work, pattern))
    return date_files.staged_bytes(quarantine_files) + INPUT_ENTRY_WEIGHT * listed


def _write_quarantine_and_inputs(work: str, quarantine_files: list[str], reused: dict[str, tuple[str, str]],
                                 shard_files: list[str], drops: list[bytearray], targets: date_files.Targets,
                                 duplicates_by_file: Counter, inputs_path: str,
                                 ) -> tuple[date_files.QuarantineWritten, int, int]:
    """The quarantine task: the date's quarantine file, then the manifest's entry per input file, encoded into
    the local file `inputs_path` (from the rows per file the quarantine spilled). Returns the quarantine
    written, and how many entries and documents seen they list."""
    quarantine = date_files.write_quarantine(quarantine_files, reused, shard_files, drops, targets)
    rejections = _read_json(storage.join(work, "discover.json"))["rejections"]
    seen = 0

    def entries() -> Iterator[dict[str, Any]]:
        nonlocal seen
        for entry in _input_entries(work, rejections, duplicates_by_file, quarantine.at_publish):
            seen += entry["documents_seen"]
            yield entry

    count = manifest_file.write_encoded(inputs_path, entries())
    return quarantine, count, seen


def _manifest(config: RunConfig, run_id: str, work: str, started_at: str | None, written_by_language: Counter,
              quarantined_by_reason: Counter, duplicates: dict[str, tuple[str, str]],
              inputs: manifest_file.EncodedList, seen: int, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """The date's manifest; its `inputs` (`seen` documents) encoded in a file, so that no list of every input
    file is held."""
    written = sum(written_by_language.values())
    quarantined = sum(quarantined_by_reason.values())
    return {
        "ingest_date": config.ingest_date.isoformat(),
        "run_id": run_id,
        "pipeline_version": PIPELINE_VERSION,
        "started_at": started_at,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "config": config.to_dict(),
        "counts": {"documents_seen": seen, "written": written, "quarantined": quarantined,
                   "duplicates": len(duplicates), "balanced": seen == written + quarantined + len(duplicates)},
        "written_by_language": dict(sorted(written_by_language.items())),
        "quarantined_by_reason": dict(sorted(quarantined_by_reason.items())),
        "duplicates": [{"doc_id": doc_id, "duplicate_of": kept} for doc_id, (_, kept) in sorted(duplicates.items())],
        "inputs": inputs,
        "skipped_files": _read_json(storage.join(work, "discover.json"))["skipped_files"],
        "outputs": outputs,
    }


def _input_entries(work: str, rejections: list[dict[str, str]], duplicates_by_file: Counter,
                   quarantined_at_publish: Counter) -> Iterator[dict[str, Any]]:
    """The manifest's per-file entries: each shard's files with the rows per file its staged outputs spilled
    (pipeline.sink.manifest), then the files discovery could not read."""
    spills: dict[str, list[str]] = {}
    for spill in storage.glob_files(work, "shard-*" + manifest_file.FILE_COUNTS_SUFFIX):
        spills.setdefault(storage.basename(spill).split(".", 1)[0], []).append(
            spill.removesuffix(manifest_file.FILE_COUNTS_SUFFIX))

    def shards() -> Iterator[tuple[list[dict[str, Any]], Counter, Counter]]:
        for path in storage.glob_files(work, "shard-*.files.json"):
            outputs = spills.get(storage.basename(path).split(".", 1)[0], [])
            yield (_read_json(path),
                   manifest_file.read_file_counts(p for p in outputs if p.endswith(".languages.parquet")),
                   manifest_file.read_file_counts(p for p in outputs if p.endswith(".quarantine.parquet")))

    yield from manifest_file.input_entries(shards(), duplicates_by_file, quarantined_at_publish)
    unreadable = manifest_file.read_file_counts([storage.join(work, "discover.quarantine.parquet")])
    files = [{"path": rejection["doc_id"], "kind": "unreadable", "bytes": 0, "sha256": "", "documents_seen": 1}
             for rejection in rejections]
    yield from manifest_file.input_entries([(files, Counter(), unreadable)], duplicates_by_file,
                                           quarantined_at_publish)


def _without_inputs(manifest: dict[str, Any]) -> dict[str, Any]:
    """What publishing returns: the manifest but its per-file list, which can hold millions of entries
    (read it from the published manifest, `read_manifest`)."""
    return {key: value for key, value in manifest.items() if key != "inputs"}


def read_manifest(output: str, ingest_date: dt.date) -> dict[str, Any]:
    """The published manifest of a date."""
    return _read_json(storage.join(output, "manifests", f"{partition_name(ingest_date)}.json"))


def _remove_if_empty(path: str) -> None:
    with contextlib.suppress(OSError):
        os.rmdir(path)


# ---------------------------------------------------------------- the whole run


class OutputError(Exception):
    """The output root cannot be written: the run cannot start."""


def check_output(output: str) -> None:
    """Fail fast, naming the path, when the output root cannot be created or written."""
    if storage.is_remote(output):
        fs, path = storage.filesystem(output)
        bucket = path.split("/", 1)[0]
        try:
            found = fs.get_file_info(bucket).type != storage.pafs.FileType.NotFound
        except OSError as exc:
            raise OutputError(f"cannot write output: {output}: {exc}") from None
        if not found:
            raise OutputError(f"cannot write output: {output}: bucket {bucket} does not exist")
        return
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write output: {exc.filename or output}: {exc.strerror}") from None
    if not os.access(output, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write output: {output}: permission denied")


def run_pipeline(config: RunConfig, run_id: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Every stage for one date in this process (or `config.workers` processes): what the CLI runs."""
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run_id = run_id or f"{CLI_RUN_PREFIX}{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}"
    check_inputs(config.inputs)
    check_output(config.output)
    with publish.date_lock(config.output, partition_name(config.ingest_date)):
        work = work_dir(config, run_id)
        publish.remove_abandoned_work(storage.dirname(work), CLI_RUN_PREFIX, storage.basename(work))
        # The pool starts first, with what its workers load inherited from this process; they wait for the plan.
        with _worker_pool(config.workers) as pool:
            shards = plan_shards(config, run_id)
            faultpoint.reached("stage")
            ingested = _map_stage(ingest_shard, config, run_id, shards, "ingest", progress, pool)
            faultpoint.reached("stage")
            learn_site_chrome(config, run_id)
            memory.release_freed()  # the merge's hash tables: publishing would start above them
            faultpoint.reached("stage")
            if pool is None:
                _map_stage(clean_and_detect_shard, config, run_id, shards, "clean", progress)
            else:
                _clean_parts(config, run_id, ingested, progress, pool)
            faultpoint.reached("stage")
        # Cleaning's workers exit, and what it left in them (the language model, their heaps) with them:
        # publishing's own workers start from this process: on 0.6 GB they peak at ~130 MB instead of ~210.
        with _worker_pool(config.workers) as pool:
            return publish_date_locked(config, run_id, started_at, pool)


@contextlib.contextmanager
def _worker_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of `workers` processes, tied to this one's life (`_exit_with_parent`), or None to run in this
    process.

    What every worker would otherwise load for itself, at its start and at its first pages (the cleaning and
    reading modules and their patterns, the date parser's tables, the language model and kernels:
    pipeline.warm_start, ~0.17 CPU-s), is loaded here once and inherited by the fork: the run spends it once
    instead of once per worker, and the workers start ingesting as soon as the plan is written.
    """
    if workers <= 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    import pipeline.warm_start  # noqa: F401

    # Objects made so far (modules, patterns) are left out of the cyclic collector's passes: a forked
    # worker's collections would otherwise walk them all, touching and so copying every page they share
    # with this process.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
            for _ in range(workers):  # a pool starts its processes on demand: demand them now
                pool.submit(int)
            yield pool
    finally:
        gc.unfreeze()


def _exit_with_parent(parent: int) -> None:
    """Have the kernel kill this process when `parent` dies (Linux). A run's process killed outright (SIGKILL,
    the OOM killer) cannot shut its pool down, and an idle worker would wait for work forever, holding its
    memory; the run's staged work is redone by the next run of the date anyway."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG, <linux/prctl.h>
    ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _map_stage(stage: Callable[[RunConfig, str, int], dict[str, int]], config: RunConfig, run_id: str,
               shards: list[int], name: str, progress: Callable[[str, int, int], None] | None,
               pool: Executor | None = None) -> dict[int, dict[str, int]]:
    """Run `stage` on every shard; returns each shard's counts by shard index."""
    results: dict[int, dict[str, int]] = {}
    if pool is None:
        for done, index in enumerate(shards, start=1):
            results[index] = stage(config, run_id, index)
            if progress:
                progress(name, done, len(shards))
        return results
    from concurrent.futures import as_completed

    futures = {pool.submit(stage, config, run_id, index): index for index in shards}
    for done, future in enumerate(as_completed(futures), start=1):
        results[futures[future]] = future.result()
        if progress:
            progress(name, done, len(shards))
    return results


def _clean_parts(config: RunConfig, run_id: str, ingested: dict[int, dict[str, int]],
                 progress: Callable[[str, int, int], None] | None, pool: Executor) -> None:
    """Clean and tag every shard in parts spread over the pool's workers, biggest parts first.

    Shards are the unit of ingestion, and a small run is one shard: cutting the shards themselves finer
    would change which pages count toward the site-chrome model, so the records would depend on
    --workers. Cleaning a page depends only on the page and the run's model, so it is cut instead. The
    pool hands each part to the next idle worker, in the order submitted.
    """
    from concurrent.futures import as_completed

    pages = {index: result["pages"] for index, result in ingested.items()}
    futures = [pool.submit(clean_and_detect_part, config, run_id, *part)
               for part in clean_part_plan(pages, config.workers)]
    for done, future in enumerate(as_completed(futures), start=1):
        future.result()
        if progress:
            progress("clean", done, len(futures))


def clean_part_plan(pages: dict[int, int], workers: int) -> list[tuple[int, int, int, int]]:
    """(shard, part, first row, rows) for every part of cleaning, in the order to hand them out: shrinking.

    Guided self-scheduling: each part is a share of the pages still unassigned, so the first parts are big
    (few per-part costs) and the last ones small (whichever worker frees up last has little left). A part
    is a contiguous run of one shard's rows, taken from the shard with most rows left; parts of a shard
    are numbered in row order, which the later stages rely on. An empty shard still gets its one part
    (it writes the shard's empty outputs).
    """
    left = dict(pages)
    taken = dict.fromkeys(pages, 0)
    plan: list[tuple[int, int, int, int]] = [(index, 0, 0, 1) for index, count in sorted(pages.items()) if not count]
    numbers = Counter(index for index, *_ in plan)
    remaining = sum(left.values())
    while remaining:
        size = max(MIN_PART_PAGES, -(-remaining // (workers * PART_SHARE_PER_WORKER)))
        index = max(sorted(left), key=left.__getitem__)
        rows = left[index] if left[index] < size + MIN_PART_PAGES else size  # no sliver left behind
        plan.append((index, numbers[index], taken[index], rows))
        numbers[index] += 1
        taken[index] += rows
        left[index] -= rows
        remaining -= rows
    return plan
