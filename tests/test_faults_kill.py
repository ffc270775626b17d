"""SIGKILL a run at every named point of it, and prove that readers never see a partial date and that a
rerun gives exactly the output of an uninterrupted run (faults: atomic publish, idempotent reruns)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import (
    DATE,
    article_page,
    published,
    run_checked,
    visible_articles,
    visible_articles_duckdb,
    write_files,
)

POINTS = ("document", "parquet_batch", "parquet_commit", "stage", "publish", "swap")


def _inputs(folder: Path, pages: range, tag: str) -> Path:
    files: dict[str, bytes | str] = {f"site/page-{i}.txt": article_page(i) for i in pages}
    lines = [json.dumps({"id": f"{tag}-{i}", "url": f"https://news.example.org/{tag}/{i}",
                         "text": article_page(100 + i)}) for i in range(2)]
    files["feed.jsonl"] = "\n".join([*lines, "{not json"]) + "\n"
    files["empty.txt"] = b""
    return write_files(folder, files)


def _no_visible_temporaries(out: Path) -> None:
    for kind in ("articles", "quarantine"):
        for _dirpath, _dirs, files in os.walk(out / kind):
            for name in files:
                assert name.startswith("part-") and name.endswith(".parquet"), name


def test_sigkill_at_every_point_then_rerun(tmp_path, cli_process):
    """Alternate between two inputs for one date: each killed run replaces output A by B (or B by A)."""
    inputs = {"A": _inputs(tmp_path / "inA", range(0, 4), "a"), "B": _inputs(tmp_path / "inB", range(2, 7), "b")}
    expected, views = {}, {}
    for name, folder in inputs.items():
        run_checked(folder, tmp_path / f"expected{name}")
        expected[name] = published(tmp_path / f"expected{name}")
        views[name] = visible_articles(tmp_path / f"expected{name}")
    assert views["A"] != views["B"]

    out = tmp_path / "out"
    run_checked(inputs["A"], out)
    current, kills = "A", []
    for point in POINTS:
        n = 1
        while True:
            target = "B" if current == "A" else "A"
            process = cli_process(["run", str(inputs[target]), "--out", str(out), "--date", DATE], f"{point}:{n}")
            process.join()
            if process.exitcode == 0:  # the run reached `point` fewer than n times: it finished
                assert published(out) == expected[target]
                current = target
                break
            assert process.exitcode == -signal.SIGKILL, (point, n, process.exitcode)
            kills.append(f"{point}:{n}")
            # A reader sees one complete output, the old or the new, through either engine.
            view = visible_articles(out)
            assert view in (views[current], views[target]), (point, n)
            assert visible_articles_duckdb(out) == view
            _no_visible_temporaries(out)
            # The rerun of the date is exactly an uninterrupted run, and clears the dead run's work.
            run_checked(inputs[target], out)
            assert published(out) == expected[target], (point, n)
            assert not (out / "_work").exists() or not any((out / "_work").rglob("*")), (point, n)
            current = target
            n += 1
        assert n > 1, f"the run never reached {point}"
    print(f"\nkill points tried: {len(kills)}: {' '.join(kills)}")
    assert len(kills) >= 30


def test_sigkill_of_the_cli_process_itself(tmp_path):
    """The same through `python -m pipeline` in a fresh interpreter, at a few points."""
    pages = _inputs(tmp_path / "in", range(4), "c")
    run_checked(pages, tmp_path / "expected")
    expected = published(tmp_path / "expected")
    out = tmp_path / "out"
    for fault in ("document:2", "parquet_batch:5", "publish:2"):
        environment = {**os.environ, "NEWSETL_FAULT": fault}
        result = subprocess.run([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(out),
                                 "--date", DATE], env=environment, capture_output=True, cwd=Path(__file__).parents[1])
        assert result.returncode == -signal.SIGKILL, (fault, result.stderr)
        _no_visible_temporaries(out)
        run_checked(pages, out)
        assert published(out) == expected


def test_stale_work_of_a_killed_run_is_removed_by_the_next(tmp_path, cli_process):
    pages = _inputs(tmp_path / "in", range(3), "d")
    out = tmp_path / "out"
    process = cli_process(["run", str(pages), "--out", str(out), "--date", DATE], "stage:3")
    process.join()
    assert process.exitcode == -signal.SIGKILL
    stale = list((out / "_work" / f"ingest_date={DATE}").iterdir())
    assert len(stale) == 1 and any(stale[0].iterdir())
    run_checked(pages, out)
    assert not stale[0].exists()


def test_work_of_an_abandoned_airflow_run_is_removed_when_the_date_is_published(tmp_path):
    """A DAG run that failed for good keeps its staged shards (a user may clear it to retry); a week on,
    nobody will, and the next publish of the date removes them. Recent work of another run stays."""
    pages = _inputs(tmp_path / "in", range(3), "e")
    out = tmp_path / "out"
    date_work = out / "_work" / f"ingest_date={DATE}"
    abandoned, recent = date_work / "manual__2024-01-01T00_00_00", date_work / "scheduled__2024-01-02T00_00_00"
    for folder in (abandoned, recent):
        folder.mkdir(parents=True)
        (folder / "shard-00000.pages.parquet").write_bytes(b"staged")
    eight_days_ago = time.time() - 8 * 24 * 3600
    for path in (abandoned / "shard-00000.pages.parquet", abandoned):
        os.utime(path, (eight_days_ago, eight_days_ago))
    run_checked(pages, out)
    assert not abandoned.exists()
    assert (recent / "shard-00000.pages.parquet").read_bytes() == b"staged"


def _processes_in_group(group: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":  # after the command: state, ppid, pgrp
            found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_pool_workers_die_with_a_killed_run(tmp_path):
    """SIGKILLed between ingest and cleaning, the run cannot shut its pool down: its idle workers must not
    wait for work forever."""
    pages = write_files(tmp_path / "in", {f"site/page-{i}.txt": article_page(i) for i in range(8)})
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(pages), "--out", str(tmp_path / "out"),
                            "--date", DATE, "--workers", "2"], env={**os.environ, "NEWSETL_FAULT": "stage:2"},
                           cwd=Path(__file__).parents[1], start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    assert run.wait(timeout=120) == -signal.SIGKILL
    deadline = time.monotonic() + 20
    while (left := _processes_in_group(run.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:  # do not leave them behind whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert left == [], "pool workers outlived the killed run"
