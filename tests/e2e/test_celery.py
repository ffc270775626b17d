"""news_etl unchanged on the CeleryExecutor: PostgreSQL (metadata DB and result backend), Redis (broker),
scheduler, dag-processor, api-server and two Celery workers, all real processes on loopback; input and
output on S3 (moto), so shard tasks on different workers share the run's work directory through the store.
Also the backfill of three past dates and a rerun of one, and the trigger form in a real browser."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import read, storage
from tests.e2e import backing_services
from tests.e2e.airflow_services import AirflowServices, airflow_services, free_port
from tests.storage.s3server import s3_server
from tests.support import article_page

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(backing_services.missing() is not None, reason=str(backing_services.missing()))]
RUN_TIMEOUT = 600
WORKERS = ("newsetl-worker-a", "newsetl-worker-b")
SCHEDULED_IN = "s3://newsetl/scheduled-in"
SCHEDULED_OUT = "s3://newsetl/scheduled-out"


def padded_feed(first: int, pages: int) -> str:
    """A jsonl feed whose records carry ~600 KB of an ignored field: big enough for one 1 MB shard each,
    cheap to process (the padding is never cleaned)."""
    lines = [json.dumps({"id": f"feed-{first + i}", "url": f"https://news.example.com/{first + i}",
                         "text": article_page(first + i), "padding": "x" * (600_000 // pages)})
             for i in range(pages)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def celery_airflow(tmp_path_factory: pytest.TempPathFactory):
    logs = tmp_path_factory.mktemp("celery-stack")
    with s3_server(logs) as s3_env, backing_services.postgres(logs) as database, \
            backing_services.redis(logs) as broker:
        environment = pytest.MonkeyPatch()
        for key, value in s3_env.items():  # this process reads the results back from S3
            environment.setenv(key, value)
        storage.write_bytes(f"{SCHEDULED_IN}/today.txt", article_page(99).encode())
        workers = {
            f"worker-{name[-1]}": (["celery", "worker", "--concurrency", "1", "--celery-hostname", f"{name}@%h"],
                                   {"NEWSETL_TEST_HOSTNAME": name,
                                    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())})
            for name in WORKERS
        }
        with airflow_services(
            logs, extra_services=workers,
            AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=database,
            AIRFLOW__CELERY__BROKER_URL=broker,
            AIRFLOW__CELERY__RESULT_BACKEND=f"db+{database}",
            AIRFLOW__CELERY__WORKER_CONCURRENCY="1",
            AIRFLOW__CORE__HOSTNAME_CALLABLE="tests.e2e.hostname.worker_hostname",
            NEWSETL_INPUT=SCHEDULED_IN, NEWSETL_OUTPUT=SCHEDULED_OUT,
            **s3_env,
        ) as services:
            response = services.client.patch("/api/v2/dags/news_etl", json={"is_paused": False})
            assert response.status_code == 200, response.text
            try:
                yield services
            finally:
                environment.undo()


def task_instances(airflow: AirflowServices, run_id: str) -> list[dict]:
    response = airflow.client.get(f"/api/v2/dags/news_etl/dagRuns/{run_id}/taskInstances", params={"limit": 100})
    return response.json()["task_instances"]


def test_shard_tasks_run_on_both_celery_workers_with_s3_input_and_output(celery_airflow: AirflowServices,
                                                                          tmp_path: Path) -> None:
    inputs, output, day = "s3://newsetl/celery-in", "s3://newsetl/celery-out", "2022-05-02"
    for index in range(4):
        storage.write_bytes(f"{inputs}/feed-{index}.jsonl", padded_feed(index * 10, 3).encode())
    conf = {"input_path": inputs, "output_path": output, "ingest_date": day, "target_shard_mb": 1}
    response = celery_airflow.client.post("/api/v2/dags/news_etl/dagRuns", json={"logical_date": None, "conf": conf})
    assert response.status_code == 200, response.text
    run = celery_airflow.wait_for_run(response.json()["dag_run_id"], RUN_TIMEOUT)
    assert run["state"] == "success", f"run failed; logs under {celery_airflow.home}/logs"

    tasks = task_instances(celery_airflow, run["dag_run_id"])
    shard_tasks = [ti for ti in tasks if ti["task_id"] in {"ingest", "shard.clean", "shard.detect_language"}]
    assert len([ti for ti in shard_tasks if ti["task_id"] == "ingest"]) == 4
    hosts = {ti["hostname"] for ti in shard_tasks}
    assert hosts == set(WORKERS), hosts

    manifest = read.manifest(output, day)
    articles = read.read_articles(output, day)
    assert manifest["counts"]["written"] == articles.num_rows == 12
    assert manifest["counts"]["balanced"] and set(articles["language"].to_pylist()) == {"en"}
    assert sorted(articles["doc_id"].to_pylist()) == sorted(f"feed-{i * 10 + j}" for i in range(4) for j in range(3))
    assert not storage.list_files(f"{output}/_work", recursive=True)


def _backfill(airflow: AirflowServices, first: str, last: str, *extra: str) -> None:
    airflow_cli = str(Path(sys.executable).with_name("airflow"))
    deadline = time.monotonic() + 180
    while True:
        result = subprocess.run([airflow_cli, "backfill", "create", "--dag-id", "news_etl", "--from-date", first,
                                 "--to-date", last, *extra], env=airflow.env, capture_output=True, text=True,
                                timeout=300)
        # the scheduler marks a backfill complete a little after its last run: only one may run per DAG
        if "AlreadyRunningBackfill" not in result.stderr or time.monotonic() > deadline:
            break
        time.sleep(5)
    assert result.returncode == 0, result.stderr[-3000:]


def _backfill_runs(airflow: AirflowServices) -> list[dict]:
    runs = airflow.client.get("/api/v2/dags/news_etl/dagRuns", params={"run_type": "backfill", "limit": 100})
    return runs.json()["dag_runs"]


def _wait_backfill(airflow: AirflowServices, count: int) -> list[dict]:
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        runs = _backfill_runs(airflow)
        if len(runs) >= count and all(run["state"] in {"success", "failed"} for run in runs):
            return runs
        time.sleep(3)
    raise TimeoutError(f"backfill did not finish; logs in {airflow.home}")


def test_backfill_of_three_dates_then_rerun_of_one_replaces_it(celery_airflow: AirflowServices) -> None:
    # Scheduled and backfill runs take their date from the data interval start and their locations from
    # the environment (NEWSETL_INPUT / NEWSETL_OUTPUT): the fixture's scheduled-in holds one page.
    _backfill(celery_airflow, "2026-02-01", "2026-02-03")
    runs = _wait_backfill(celery_airflow, 3)
    assert [run["state"] for run in runs] == ["success"] * 3, f"logs under {celery_airflow.home}/logs"
    dates = ["2026-02-01", "2026-02-02", "2026-02-03"]
    assert set(dates) <= set(read.published_dates(SCHEDULED_OUT))
    first = {day: read.manifest(SCHEDULED_OUT, day) for day in dates}
    # the same page on consecutive dates: later dates may learn its blocks as site chrome and quarantine
    # it, so check the accounting, not the verdict
    for day, manifest in first.items():
        assert manifest["ingest_date"] == day and manifest["counts"]["documents_seen"] == 1, manifest["counts"]
        assert manifest["counts"]["balanced"]

    storage.write_bytes(f"{SCHEDULED_IN}/later.txt", article_page(98).encode())
    # Reprocessing a completed date clears its run (same run id) rather than adding one: wait for the
    # date's manifest to be replaced.
    _backfill(celery_airflow, "2026-02-02", "2026-02-02", "--reprocess-behavior", "completed")
    deadline = time.monotonic() + RUN_TIMEOUT
    while read.manifest(SCHEDULED_OUT, "2026-02-02")["finished_at"] == first["2026-02-02"]["finished_at"]:
        assert time.monotonic() < deadline, f"the rerun did not publish; logs under {celery_airflow.home}/logs"
        time.sleep(3)
    rerun = read.manifest(SCHEDULED_OUT, "2026-02-02")
    assert rerun["counts"]["documents_seen"] == 2 and rerun["counts"]["balanced"]
    assert rerun["counts"]["written"] == read.read_articles(SCHEDULED_OUT, "2026-02-02").num_rows
    assert {entry["path"] for entry in rerun["inputs"]} == {"today.txt", "later.txt"}
    assert read.manifest(SCHEDULED_OUT, "2026-02-01")["finished_at"] == first["2026-02-01"]["finished_at"]
