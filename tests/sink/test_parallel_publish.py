"""Publishing through a pool's workers gives byte for byte the files and manifest of publishing in-process."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.bench_corpus import write_text_corpus
from pipeline.config import RunConfig
from pipeline.run import (
    clean_and_detect_shard,
    ingest_shard,
    learn_site_chrome,
    plan_shards,
    publish_date_locked,
    work_dir,
)
from pipeline.sink.date_files import language_sets
from tests.support import DATE, article_page, assert_accounted

RUN_ID = "r1"


def _inputs(folder: Path) -> Path:
    """Pages in many languages, with what publishing itself decides: exact duplicates (a page copied into
    another file), reused ids (JSON lines sharing an id, different text); and quarantined inputs."""
    pages = write_text_corpus(str(folder / "corpus"), 160, seed=4)
    copied = sorted(pages)[:6]
    for number, relative in enumerate(copied):
        shutil.copy(folder / "corpus" / relative, folder / f"copy-{number}.txt")
    lines = [json.dumps({"id": f"reused-{i % 3}", "text": article_page(300 + i)}) for i in range(7)]
    (folder / "feed.jsonl").write_text("\n".join([*lines, "{not json"]) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _published(out: Path) -> dict[str, bytes]:
    files = {str(path.relative_to(out)): path.read_bytes()
             for kind in ("articles", "quarantine") for path in (out / kind).rglob("*") if path.is_file()}
    manifest = json.loads((out / "manifests" / f"ingest_date={DATE}.json").read_text(encoding="utf-8"))
    del manifest["finished_at"]
    manifest["config"]["output"] = ""
    files["manifest"] = json.dumps(manifest).encode()
    return files


@pytest.mark.parametrize("workers", [2, 3])
def test_a_pool_publishes_the_files_of_one_process(tmp_path: Path, workers: int) -> None:
    inputs = _inputs(tmp_path / "in")
    staged_out = tmp_path / "staged"
    config = RunConfig(inputs=(str(inputs),), output=str(staged_out), ingest_date=dt.date.fromisoformat(DATE),
                       target_shard_bytes=200_000)  # a few shards: several staged files
    shards = plan_shards(config, RUN_ID)
    for index in shards:
        ingest_shard(config, RUN_ID, index)
    learn_site_chrome(config, RUN_ID)
    for index in shards:
        clean_and_detect_shard(config, RUN_ID, index)
    assert len(shards) > 1

    published = {}
    for name in ("in-process", "pool"):
        out = tmp_path / name
        shutil.copytree(staged_out, out)
        run_config = replace(config, output=str(out), workers=workers)
        if name == "pool":
            with ProcessPoolExecutor(workers) as pool:
                manifest = publish_date_locked(run_config, RUN_ID, pool=pool)
        else:
            manifest = publish_date_locked(run_config, RUN_ID)
        assert not Path(work_dir(run_config, RUN_ID)).exists()
        assert_accounted(out, DATE)
        published[name] = _published(out)
        counts = manifest["counts"]
    assert published["pool"] == published["in-process"]
    assert counts["duplicates"] >= 6 and manifest["quarantined_by_reason"].get("duplicate_id", 0) >= 4
    assert len(manifest["written_by_language"]) > workers


def test_language_sets_balance_weights_and_put_the_quarantines_set_last() -> None:
    weights = {"de": 50.0, "fr": 40.0, "pl": 30.0, "el": 20.0, "fi": 10.0}
    sets = language_sets(weights, quarantine=25.0, tasks=2)
    assert sorted(language for languages in sets for language in languages) == sorted(weights)
    loads = [sum(weights[language] for language in languages) for languages in sets]
    assert loads == [90.0, 60.0]  # the last shares its worker with the quarantine's 25
    assert language_sets(weights, quarantine=500.0, tasks=2) == [frozenset(weights)]
    assert language_sets({"de": 1.0}, quarantine=0.0, tasks=4) == [frozenset({"de"})]
    assert language_sets({}, quarantine=3.0, tasks=2) == []
