"""A big plain JSONL file is cut into byte ranges at line boundaries, each its own shard: the records, the
quarantine and the manifest are those of the same file read unsplit, and no page is over the shard cap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import RunConfig
from pipeline.ingest import split
from pipeline.ingest.files import InputFile
from pipeline.ingest.readers import read_documents
from pipeline.ingest.reading import FileDigest
from pipeline.run import plan_shards
from pipeline.schema import Rejection
from tests.support import DATE, article_page, read_articles, read_quarantine, run_checked, write_files

UNSPLIT = {"target_shard_bytes": 1 << 40, "max_docs_per_shard": 1_000_000}
MANIFEST_KEYS = ("counts", "written_by_language", "quarantined_by_reason", "duplicates", "inputs", "skipped_files")


def _line(index: int) -> str:
    """Mostly pages without id (doc id `path:line`), some with an id, a URL on another site, blank lines,
    a repeated page (a duplicate) and lines that are not documents."""
    if index % 97 == 13:
        return "{not json"
    if index % 89 == 5:
        return ""
    if index % 83 == 7:
        return json.dumps({"title": "no text"})
    record: dict = {"text": article_page(index % 1_200, site=f"Site {index % 3}")}
    if index % 5 == 0:
        record["id"] = f"story-{index}"
    if index % 7 == 0:
        record["url"] = f"https://news{index % 2}.example/{index}"
    return json.dumps(record, ensure_ascii=False)


def _dump(lines: int, newline: str = "\n", final_newline: bool = True) -> str:
    return newline.join(_line(i) for i in range(lines)) + (newline if final_newline else "")


def _same_run(split_out: Path, whole_out: Path) -> None:
    assert read_articles(split_out).equals(read_articles(whole_out))
    rows = [read_quarantine(out).sort_by([("doc_id", "ascending"), ("reason", "ascending")]).to_pylist()
            for out in (split_out, whole_out)]
    assert rows[0] == rows[1]
    state = Path("state", "site_chrome", f"ingest_date={DATE}.parquet")
    counts = [pq.read_table(out / state).sort_by([("source", "ascending"), ("fingerprint", "ascending")])
              for out in (split_out, whole_out)]
    assert counts[0].equals(counts[1])


def _manifest_part(manifest: dict) -> dict:
    return {key: manifest[key] for key in MANIFEST_KEYS}


def _shards(inputs: Path, out: Path, **overrides) -> int:
    config = RunConfig(inputs=(str(inputs),), output=str(out), ingest_date=dt.date.fromisoformat(DATE), **overrides)
    return len(plan_shards(config, "count-shards"))


def test_a_big_jsonl_in_ranges_gives_the_records_and_manifest_of_the_whole_file(tmp_path: Path) -> None:
    inputs = write_files(tmp_path / "in", {"news/feed.jsonl": _dump(2_500), "news/extra.txt": article_page(5_000)})
    size = (inputs / "news" / "feed.jsonl").stat().st_size
    small = {"target_shard_bytes": size // 5, "max_docs_per_shard": 400}
    assert _shards(inputs, tmp_path / "plan", **small) >= 7  # the 400-line cap cuts more than the bytes
    assert _shards(inputs, tmp_path / "plan", **UNSPLIT) == 1
    split_manifest = run_checked(inputs, tmp_path / "split", **small)
    whole_manifest = run_checked(inputs, tmp_path / "whole", **UNSPLIT)
    _same_run(tmp_path / "split", tmp_path / "whole")
    assert _manifest_part(split_manifest) == _manifest_part(whole_manifest)
    assert "over_shard_cap" not in split_manifest["quarantined_by_reason"]
    assert split_manifest["duplicates"] and split_manifest["quarantined_by_reason"]["invalid_json"] == 26
    feed = next(entry for entry in split_manifest["inputs"] if entry["path"] == "news/feed.jsonl")
    assert feed["bytes"] == size and feed["documents_seen"] == 2_500 - 29  # blank lines are not documents
    assert feed["sha256"] == hashlib.sha256((inputs / "news" / "feed.jsonl").read_bytes()).hexdigest()
    # an invalid line deep in the file (index 2438, line 2439) is quarantined under its own line number
    quarantine = read_quarantine(tmp_path / "split").to_pylist()
    late = next(row for row in quarantine if row["doc_id"] == "news/feed.jsonl:2439")
    assert late["reason"] == "invalid_json" and late["raw"] == b"{not json\n" and "feed.jsonl:2439" in late["detail"]


def test_with_workers_a_big_jsonl_is_cut_for_every_worker(tmp_path: Path) -> None:
    inputs = write_files(tmp_path / "in", {"feed.jsonl": _dump(600)})
    assert _shards(inputs, tmp_path / "plan", target_shard_bytes=1 << 30) == 1
    assert _shards(inputs, tmp_path / "plan", target_shard_bytes=1 << 30, workers=2) == 2  # ~1.2 MB: 1 MB pieces
    manifest = run_checked(inputs, tmp_path / "two", workers=2)
    run_checked(inputs, tmp_path / "one", **UNSPLIT)
    _same_run(tmp_path / "two", tmp_path / "one")
    assert _manifest_part(manifest) == _manifest_part(json.loads(
        (tmp_path / "one" / "manifests" / f"ingest_date={DATE}.json").read_text()))


def test_crlf_lines_and_a_last_line_without_newline(tmp_path: Path) -> None:
    inputs = write_files(tmp_path / "in", {"feed.jsonl": _dump(40, newline="\r\n", final_newline=False)})
    small = {"target_shard_bytes": 9_000, "max_docs_per_shard": 7}
    assert _shards(inputs, tmp_path / "plan", **small) >= 6
    split_manifest = run_checked(inputs, tmp_path / "split", **small)
    whole_manifest = run_checked(inputs, tmp_path / "whole", **UNSPLIT)
    _same_run(tmp_path / "split", tmp_path / "whole")
    assert _manifest_part(split_manifest) == _manifest_part(whole_manifest)
    assert "feed.jsonl:40" in read_articles(tmp_path / "split")["doc_id"].to_pylist()  # the unterminated line


def _read_all(parts: list[InputFile]) -> list[tuple[str, str]]:
    documents = []
    for part in parts:
        for document in read_documents(part, 1 << 20, FileDigest()):
            documents.append((document.doc_id, document.reason if isinstance(document, Rejection) else document.text))
    return documents


def test_a_line_straddling_a_cut_lands_whole_in_one_range(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Line {i} " + "word " * (10 + 37 * (i % 4))}) for i in range(30)]
    path = write_files(tmp_path, {"f.jsonl": "\n".join(lines) + "\n"}) / "f.jsonl"
    whole = InputFile(str(path), str(tmp_path), "f.jsonl", path.stat().st_size, "jsonl")
    data = path.read_bytes()
    for max_bytes in (1, 50, 333, 1_000, 2_500, len(data) // 2):
        parts = split.cut(whole, max_bytes, 1_000)
        assert parts[0].start == 0 and parts[-1].end == len(data)
        for before, after in zip(parts, parts[1:], strict=False):
            assert before.end == after.start and data[before.end - 1:before.end] == b"\n"
            assert after.first_line == before.first_line + before.lines
            # the range ends at the first line end at or past max_bytes
            assert before.size >= max_bytes > data.rfind(b"\n", before.start, before.end - 1) + 1 - before.start
        assert sum(part.lines for part in parts) == 30
        assert _read_all(parts) == _read_all([whole])
    # a cut at every line, and a line cap below the byte target
    assert [p.lines for p in split.cut(whole, 1, 1_000)] == [1] * 30
    assert [p.lines for p in split.cut(whole, len(data), 7)] == [7, 7, 7, 7, 2]
    # one range: the file itself, with its lines counted
    assert split.cut(whole, len(data), 1_000) == [dataclasses.replace(whole, lines=30)]


def test_compressed_jsonl_is_not_cut_and_keeps_the_shard_cap(tmp_path: Path) -> None:
    feed = "".join(json.dumps({"text": article_page(i)}) + "\n" for i in range(5))
    inputs = write_files(tmp_path / "in", {"feed.jsonl.gz": gzip.compress(feed.encode())})
    manifest = run_checked(inputs, tmp_path / "out", max_docs_per_shard=3, target_shard_bytes=10)
    assert manifest["quarantined_by_reason"] == {"over_shard_cap": 2}
    assert _shards(inputs, tmp_path / "plan", max_docs_per_shard=3, target_shard_bytes=10) == 1
