"""One run per date at a time (a crashed holder never blocks the next), and reruns change nothing."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds

from pipeline.cli import main
from tests.support import DATE, article_page, published, run_checked, visible_articles, write_files

REPO = Path(__file__).parents[2]


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()[0]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *args], capture_output=True, text=True, cwd=REPO)


def test_second_run_of_a_date_is_refused_and_a_killed_holder_releases_the_lock(tmp_path, cli_process):
    pages = write_files(tmp_path / "in", {f"p{i}.txt": article_page(i) for i in range(3)})
    out = tmp_path / "out"
    holder = cli_process(["run", str(pages), "--out", str(out), "--date", DATE], "document:2:stop")
    while _state(holder.pid) != "T":  # frozen mid-ingest, holding the date's lock
        assert holder.is_alive()
    refused = _cli(str(pages), "--out", str(out), "--date", DATE)
    assert refused.returncode == 2
    assert f"another run of ingest_date={DATE} is in progress (pid {holder.pid})" in refused.stderr
    other_date = _cli(str(pages), "--out", str(out), "--date", "2022-01-11")
    assert other_date.returncode == 0, other_date.stderr

    os.kill(holder.pid, signal.SIGKILL)  # a crash: the kernel drops the flock with the process
    holder.join()
    assert holder.exitcode == -signal.SIGKILL
    assert main(["run", str(pages), "--out", str(out), "--date", DATE]) == 0
    run_checked(pages, tmp_path / "expected")
    assert published(out) == published(tmp_path / "expected")
    dates = {row[0] for row in visible_articles(out)}
    assert dates == {DATE, "2022-01-11"}


def test_same_inputs_twice_give_the_same_records(tmp_path):
    files = {f"site/p{i}.txt": article_page(i) for i in range(4)}
    files["other/copy.txt"] = article_page(2)  # an exact duplicate within the run (of another site)
    files["feed.jsonl"] = json.dumps({"id": "j1", "text": article_page(7)}) + "\n"
    pages = write_files(tmp_path / "in", files)
    out = tmp_path / "out"
    first = run_checked(pages, out)
    before = published(out)
    second = run_checked(pages, out)
    assert published(out) == before
    assert first["counts"] == second["counts"] == {"documents_seen": 6, "written": 5, "quarantined": 0,
                                                   "duplicates": 1, "balanced": True}
    table = ds.dataset(out / "articles", partitioning="hive").to_table()
    ids = table["doc_id"].to_pylist()
    assert len(ids) == len(set(ids)) == 5


def test_two_dates_keep_both(tmp_path):
    first = write_files(tmp_path / "day1", {f"p{i}.txt": article_page(i) for i in range(2)})
    second = write_files(tmp_path / "day2", {f"p{i}.txt": article_page(10 + i) for i in range(3)})
    out = tmp_path / "out"
    run_checked(first, out, "2022-01-10")
    day1 = published(out, "2022-01-10")
    run_checked(second, out, "2022-01-11")
    assert published(out, "2022-01-10") == day1
    rows = visible_articles(out)
    assert sorted({(r[0], r[2]) for r in rows}) == [("2022-01-10", "p0.txt"), ("2022-01-10", "p1.txt"),
                                                    ("2022-01-11", "p0.txt"), ("2022-01-11", "p1.txt"),
                                                    ("2022-01-11", "p2.txt")]


def test_limits_from_the_cli_quarantine_pages_never_truncate(tmp_path):
    feed = "".join(json.dumps({"text": article_page(i)}) + "\n" for i in range(5))
    # Compressed, so that the feed cannot be cut into shards under the cap (a plain .jsonl would be).
    pages = write_files(tmp_path / "in", {"feed.jsonl.gz": gzip.compress(feed.encode()),
                                          "big.txt": article_page(99) * 10})
    out = tmp_path / "out"
    code = main(["run", str(pages), "--out", str(out), "--date", DATE, "--max-page-bytes", "20000",
                 "--max-docs-per-shard", "3"])
    assert code == 0
    from tests.support import assert_accounted, read_manifest

    assert_accounted(out)
    manifest = read_manifest(out)
    assert manifest["quarantined_by_reason"] == {"too_large": 1, "over_shard_cap": 2}
    assert manifest["counts"]["written"] == 3
    assert all(len(b) < 20000 for b in ds.dataset(out / "articles").to_table()["body"].to_pylist())
