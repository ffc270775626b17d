"""The pipeline against a real S3-compatible server (moto over HTTP on loopback): output to s3://, input
from s3://, reruns and crashes keeping readers on one complete run through the manifest, the lease lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import read, storage
from tests.support import ROOT, SAMPLE_DIR, article_page, run_cli, write_files

DATE = "2022-03-16"
COLUMNS = ["doc_id", "language", "content_hash", "body"]


def _rows(table) -> list[tuple]:
    return sorted(zip(*(table[c].to_pylist() for c in COLUMNS), strict=True))


def _objects(url: str) -> set[str]:
    return {found for found, _ in storage.list_files(url, recursive=True)}


def _upload_tree(local: Path, url: str) -> None:
    for path in sorted(local.rglob("*")):
        if path.is_file():
            storage.upload(str(path), storage.join(url, path.relative_to(local).as_posix()))


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory) -> Path:
    """The sample run to a local folder: what the S3 runs must reproduce."""
    out = tmp_path_factory.mktemp("local-out")
    run_cli("run", str(SAMPLE_DIR), "--out", str(out), "--date", DATE)
    return out


def assert_committed(output: str, date: str) -> dict:
    """The date's manifest lists exactly the objects under its folders, and the rows add up per input."""
    manifest = read.manifest(output, date)
    partition = f"ingest_date={date}"
    on_store = _objects(storage.join(output, "articles", partition)) | _objects(
        storage.join(output, "quarantine", partition))
    listed = set(read.files_of(output, date, "articles")) | set(read.files_of(output, date, "quarantine"))
    assert on_store == listed
    articles, quarantine = read.read_articles(output, date), read.read_quarantine(output, date)
    assert articles.num_rows == manifest["counts"]["written"]
    assert quarantine.num_rows == manifest["counts"]["quarantined"]
    for entry in manifest["inputs"]:
        assert entry["written"] == articles["source_file"].to_pylist().count(entry["path"]), entry
        assert entry["balanced"] is True, entry
    assert manifest["counts"]["balanced"] is True
    return manifest


def test_cli_from_local_input_to_s3_output_reads_back_like_a_local_run(s3, local_reference) -> None:
    output = "s3://newsetl/cli-local-in"
    result = run_cli("run", str(SAMPLE_DIR), "--out", output, "--date", DATE)
    assert f"{output}/manifests/ingest_date={DATE}.json" in result.stdout
    manifest = assert_committed(output, DATE)
    expected = read.read_articles(str(local_reference), DATE)
    assert manifest["counts"]["written"] == 6
    assert _rows(read.read_articles(output, DATE)) == _rows(expected)
    assert read.published_dates(output) == [DATE]
    # the work directory and the lease are gone; the site-chrome state is kept beside the output
    assert not _objects(f"{output}/_work") and not _objects(f"{output}/_locks")
    assert _objects(f"{output}/state/site_chrome") == {f"{output}/state/site_chrome/ingest_date={DATE}.parquet"}
    # DuckDB reads the manifest's files over S3 too (httpfs not needed: pyarrow opens, DuckDB scans)
    import duckdb

    arrow = read.read_articles(output, DATE, columns=["doc_id", "language"])
    with duckdb.connect() as con:
        con.register("articles", arrow)
        by_language = dict(con.execute("SELECT language, count(*) FROM articles GROUP BY 1").fetchall())
    assert by_language == manifest["written_by_language"]


def test_a_pool_publishing_to_s3_reads_back_like_a_local_run(s3, local_reference) -> None:
    """With --workers, the pool's workers write the date's objects; the main process commits them."""
    output = "s3://newsetl/cli-workers"
    run_cli("run", str(SAMPLE_DIR), "--out", output, "--date", DATE, "--workers", "2")
    manifest = assert_committed(output, DATE)
    assert _rows(read.read_articles(output, DATE)) == _rows(read.read_articles(str(local_reference), DATE))
    assert len(manifest["written_by_language"]) > 1
    assert not _objects(f"{output}/_work") and not _objects(f"{output}/_locks")


def test_rerun_replaces_the_date_and_a_crashed_rerun_changes_nothing_readers_see(s3, tmp_path) -> None:
    output = "s3://newsetl/rerun"
    first = write_files(tmp_path / "first", {f"site/{i}.txt": article_page(i) for i in range(4)})
    second = write_files(tmp_path / "second", {f"site/{i}.txt": article_page(i) for i in range(10, 13)})
    run_cli("run", str(first), "--out", output, "--date", DATE)
    assert assert_committed(output, DATE)["counts"]["written"] == 4
    before = _rows(read.read_articles(output, DATE))

    # A rerun killed after writing its files but before its manifest: readers of the manifest still see
    # the first run whole; only a glob would see the orphan files.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSETL_FAULT": "publish:1"}
    killed = subprocess.run([sys.executable, "-m", "pipeline", "run", str(second), "--out", output, "--date", DATE],
                            env=env, capture_output=True, cwd=ROOT, timeout=300)
    assert killed.returncode == -9, killed.stderr
    assert _rows(read.read_articles(output, DATE)) == before
    orphans = _objects(f"{output}/articles/ingest_date={DATE}") - set(read.article_files(output, DATE))
    assert orphans, "the killed run wrote its files before its (missing) commit"

    # The next rerun takes over the dead run's lease at once (same host, dead pid), replaces the date
    # and removes every file its manifest does not list.
    run_cli("run", str(second), "--out", output, "--date", DATE)
    manifest = assert_committed(output, DATE)
    assert manifest["counts"]["written"] == 3
    docs = set(read.read_articles(output, DATE)["source_file"].to_pylist())
    assert docs == {f"site/{i}.txt" for i in range(10, 13)}
    assert not _objects(f"{output}/_work")


def test_input_from_s3(s3, local_reference) -> None:
    inputs = "s3://newsetl/inputs/sample"
    _upload_tree(SAMPLE_DIR, inputs)
    output = "s3://newsetl/s3-in"
    run_cli("run", inputs, "--out", output, "--date", DATE)
    manifest = assert_committed(output, DATE)
    local_manifest = read.manifest(str(local_reference), DATE)
    assert _rows(read.read_articles(output, DATE)) == _rows(read.read_articles(str(local_reference), DATE))
    # same files, sizes and checksums as read from the local copy; the README is skipped in both
    key = ["path", "kind", "bytes", "sha256", "documents_seen", "written", "quarantined"]
    assert ([{k: e[k] for k in key} for e in manifest["inputs"]]
            == [{k: e[k] for k in key} for e in local_manifest["inputs"]])
    assert manifest["skipped_files"] == local_manifest["skipped_files"] == ["README.md"]
    # the next date learns site chrome from this one's state on the store (a window of two dates)
    run_cli("run", inputs, "--out", output, "--date", "2022-03-17")
    assert _objects(f"{output}/state/site_chrome") == {
        f"{output}/state/site_chrome/ingest_date={day}.parquet" for day in (DATE, "2022-03-17")}


def test_s3_input_and_local_output(s3, tmp_path, local_reference) -> None:
    inputs = "s3://newsetl/inputs/one"
    _upload_tree(SAMPLE_DIR / "independent", inputs)
    run_cli("run", inputs, "--out", str(tmp_path), "--date", DATE)
    table = read.read_articles(str(tmp_path), DATE)
    assert table.num_rows == read.manifest(str(tmp_path), DATE)["counts"]["written"] > 0


def test_a_live_lease_refuses_a_second_run_and_an_expired_one_is_taken_over(s3, tmp_path) -> None:
    output = "s3://newsetl/leased"
    lock = f"{output}/_locks/ingest_date={DATE}.lock"
    import time

    storage.write_json(lock, {"owner": "worker-7 pid 1", "host": "elsewhere", "pid": 1,
                              "expires": time.time() + 3600})
    refused = run_cli("run", str(SAMPLE_DIR), "--out", output, "--date", DATE, check=False)
    assert refused.returncode == 2
    assert "another run of ingest_date=2022-03-16 is in progress (worker-7" in refused.stderr
    assert not _objects(f"{output}/manifests")
    storage.write_json(lock, {"owner": "worker-7 pid 1", "host": "elsewhere", "pid": 1, "expires": time.time() - 1})
    run_cli("run", str(SAMPLE_DIR), "--out", output, "--date", DATE)
    assert read.manifest(output, DATE)["counts"]["written"] == 6
    assert not storage.exists(lock)


def test_missing_bucket_and_missing_input_fail_fast(s3, tmp_path) -> None:
    result = run_cli("run", str(SAMPLE_DIR), "--out", "s3://no-such-bucket/out", "--date", DATE, check=False)
    assert result.returncode == 2 and "bucket no-such-bucket does not exist" in result.stderr
    result = run_cli("run", "s3://newsetl/nothing/here", "--out", str(tmp_path), "--date", DATE, check=False)
    assert result.returncode == 2 and "input path does not exist: s3://newsetl/nothing/here" in result.stderr


def test_state_show_and_reset_on_s3_match_a_local_output(s3, local_reference) -> None:
    output = "s3://newsetl/state"
    run_cli("run", str(SAMPLE_DIR), "--out", output, "--date", DATE)
    state_file = f"{output}/state/site_chrome/ingest_date={DATE}.parquet"
    shown = run_cli("state", "show", output).stdout.splitlines()
    assert shown == run_cli("state", "show", str(local_reference)).stdout.splitlines()
    sources = [line.split()[0] for line in shown[1:]]
    assert len(sources) >= 2, shown

    forgotten = run_cli("state", "reset", output, "--source", sources[0])
    assert f"forgot source {sources[0]} (1 date files changed)" in forgotten.stderr
    after = [line.split()[0] for line in run_cli("state", "show", output).stdout.splitlines()[1:]]
    assert after == sources[1:]
    assert _objects(f"{output}/state/site_chrome") == {state_file}

    run_cli("state", "reset", output)
    assert not _objects(f"{output}/state/site_chrome")
    assert "no site-chrome statistics" in run_cli("state", "show", output).stdout


def test_stale_work_on_s3_goes_and_recent_work_stays(s3) -> None:
    import datetime as dt

    from pipeline.sink import publish

    date_work = f"s3://newsetl/stale/_work/ingest_date={DATE}"
    for run in ("manual__a", "manual__b", "scheduled__c"):
        storage.write_bytes(f"{date_work}/{run}/shard-00000.pages.parquet", b"staged")
    assert publish.remove_stale_work(date_work, "scheduled__c", dt.timedelta(days=1)) == []
    assert publish.remove_stale_work(date_work, "scheduled__c", dt.timedelta(0)) == ["manual__a", "manual__b"]
    assert _objects(date_work) == {f"{date_work}/scheduled__c/shard-00000.pages.parquet"}


def test_a_big_jsonl_on_s3_is_read_in_ranges_like_the_local_file(s3, tmp_path) -> None:
    import json

    lines = [json.dumps({"text": article_page(i)}) if i % 41 != 40 else "{not json" for i in range(120)]
    local = write_files(tmp_path / "big-jsonl", {"feed.jsonl": "\n".join(lines) + "\n"})  # the same site name
    inputs = "s3://newsetl/inputs/big-jsonl"
    _upload_tree(local, inputs)
    small = ["--max-docs-per-shard", "25"]  # 5 ranges; unsplit, 95 pages would be over the cap
    run_cli("run", inputs, "--out", str(tmp_path / "s3-in"), "--date", DATE, *small)
    run_cli("run", str(local), "--out", str(tmp_path / "local"), "--date", DATE)
    results = [(read.manifest(str(out), DATE), read.read_articles(str(out), DATE), read.read_quarantine(str(out), DATE))
               for out in (tmp_path / "s3-in", tmp_path / "local")]
    assert ([{**entry, "root": ""} for entry in results[0][0]["inputs"]]
            == [{**entry, "root": ""} for entry in results[1][0]["inputs"]])
    assert results[0][1].sort_by("doc_id").equals(results[1][1].sort_by("doc_id"))
    assert sorted(results[0][2]["doc_id"].to_pylist()) == sorted(results[1][2]["doc_id"].to_pylist()) == [
        "feed.jsonl:41", "feed.jsonl:82"]
