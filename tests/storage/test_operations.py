"""Operations guarantees that need no services: shard counts under Airflow's map limit, pool, retries, and
the failure callback naming where the run's files are."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import subprocess
import sys

from pipeline.config import RunConfig
from pipeline.ingest.files import InputFile
from pipeline.run import group_into_shards
from tests.support import ROOT


def _files(count: int, seed: int = 1) -> list[InputFile]:
    rng = random.Random(seed)
    return [InputFile(f"/in/{i}.txt", "/in", f"{i}.txt", rng.choice([200, 30_000, 5 * 1024**2, 300 * 1024**2]), "text")
            for i in range(count)]


def test_shards_stay_under_max_shards_and_airflows_max_map_length() -> None:
    from airflow.configuration import conf

    max_map_length = conf.getint("core", "max_map_length")
    config = RunConfig(inputs=("/in",), output="/out", ingest_date=dt.date(2026, 1, 1))
    assert config.max_shards <= max_map_length == 1024
    for count in (1, 40, 5_000, 60_000):
        files = _files(count)
        shards = group_into_shards(files, config)
        assert 1 <= len(shards) <= config.max_shards, count
        assert [f for shard in shards for f in shard] == files  # every file once, in order
    # small inputs are not cut finer than the target size: per-task overhead stays small
    small = [InputFile(f"/in/{i}.txt", "/in", f"{i}.txt", 1024, "text") for i in range(1000)]
    assert len(group_into_shards(small, config)) == 1


def test_pool_retries_backoff_and_timeouts_of_every_shard_task(tmp_path) -> None:
    code = (
        "from airflow.dag_processing.dagbag import DagBag\n"
        "dag = DagBag('dags').dags['news_etl']\n"
        "for t in dag.tasks:\n"
        "    print('TASK', t.task_id, t.pool, t.retries, t.retry_exponential_backoff, t.max_retry_delay,\n"
        "          t.execution_timeout, t.on_failure_callback is not None)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIRFLOW_HOME": str(tmp_path), "NEWSETL_SHARD_POOL": "newsetl_shards",
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=True)
    rows = {line.split()[1]: line.split(maxsplit=2)[2] for line in result.stdout.splitlines()
            if line.startswith("TASK ")}
    assert len(rows) >= 7, result.stdout
    for task_id in ("ingest", "shard.clean", "shard.detect_language"):
        assert rows[task_id].startswith("newsetl_shards 3 2.0 0:30:00 2:00:00"), rows[task_id]
    for task_id, row in rows.items():
        assert row.endswith("True"), (task_id, row)  # the failure callback is set on every task
        assert " 3 " in f" {row} ", (task_id, row)


def test_failure_callback_logs_the_work_dir_and_manifest(caplog) -> None:
    sys.path.insert(0, str(ROOT / "dags"))
    try:
        import news_etl
    finally:
        sys.path.remove(str(ROOT / "dags"))

    class TaskInstance:  # the one method of Airflow's RuntimeTaskInstance the callback uses
        def xcom_pull(self, task_ids: str, key: str) -> str:
            return {"work_dir": "s3://b/out/_work/ingest_date=2026-01-02/run1",
                    "manifest": "s3://b/out/manifests/ingest_date=2026-01-02.json"}[key]

    with caplog.at_level(logging.ERROR):
        news_etl.log_manifest_location({"ti": TaskInstance()})
    assert "s3://b/out/manifests/ingest_date=2026-01-02.json" in caplog.text
    assert "s3://b/out/_work/ingest_date=2026-01-02/run1" in caplog.text
