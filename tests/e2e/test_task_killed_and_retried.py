"""An Airflow task SIGKILLed in the middle of its work is retried by Airflow, and the date comes out
exactly as an uninterrupted CLI run writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.airflow_services import airflow_services
from tests.support import SAMPLE_DIR, assert_accounted, published, run_checked

pytestmark = pytest.mark.e2e
DATE = "2022-03-16"
RUN_TIMEOUT = 480


def test_ingest_task_killed_mid_shard_is_retried_to_the_same_output(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    run_checked(SAMPLE_DIR, reference, DATE)
    marker = tmp_path / "killed-once"
    empty = tmp_path / "empty-input"
    empty.mkdir()
    # The third document read by any task process kills it (SIGKILL), once: only an ingest task reads
    # documents, and the scheduled run that unpausing starts reads an empty folder.
    with airflow_services(tmp_path / "airflow", NEWSETL_FAULT="document:3", NEWSETL_FAULT_ONCE=str(marker),
                          NEWSETL_INPUT=str(empty), NEWSETL_OUTPUT=str(tmp_path / "scheduled")) as airflow:
        assert airflow.client.patch("/api/v2/dags/news_etl", json={"is_paused": False}).status_code == 200
        output = tmp_path / "airflow-out"
        conf = {"input_path": str(SAMPLE_DIR), "output_path": str(output), "ingest_date": DATE}
        response = airflow.client.post("/api/v2/dags/news_etl/dagRuns", json={"logical_date": None, "conf": conf})
        assert response.status_code == 200, response.text
        run_id = response.json()["dag_run_id"]
        assert airflow.wait_for_run(run_id, RUN_TIMEOUT)["state"] == "success"
        tries = airflow.client.get(f"/api/v2/dags/news_etl/dagRuns/{run_id}/taskInstances/ingest/0").json()
    assert marker.exists(), "the fault was never triggered"
    assert tries["try_number"] >= 2, "the killed ingest task was not retried"
    assert_accounted(output, DATE)
    airflow_output, cli_output = published(output, DATE), published(reference, DATE)
    for run_specific in ("config",):
        airflow_output["manifest"].pop(run_specific)
        cli_output["manifest"].pop(run_specific)
    assert airflow_output == cli_output
