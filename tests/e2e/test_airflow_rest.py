"""news_etl run by real Airflow services, triggered through the REST API like an operator's tooling does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.airflow_services import AirflowServices, airflow_services
from tests.support import ROOT, SAMPLE_DIR, SEED_DIR, assert_accounted, read_articles, read_manifest

pytestmark = pytest.mark.e2e
RUN_TIMEOUT = 420


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("airflow-home")
    scheduled_output = tmp_path_factory.mktemp("scheduled-out")
    # Unpausing makes the scheduler start the latest daily run: give it real locations via the environment.
    with airflow_services(home, NEWSETL_INPUT=str(SEED_DIR), NEWSETL_OUTPUT=str(scheduled_output)) as services:
        services.scheduled_output = scheduled_output
        response = services.client.patch("/api/v2/dags/news_etl", json={"is_paused": False})
        assert response.status_code == 200, response.text
        yield services


def test_manual_run_with_conf_through_the_rest_api(airflow: AirflowServices, tmp_path: Path) -> None:
    conf = {"input_path": str(SAMPLE_DIR), "output_path": str(tmp_path), "ingest_date": "2022-03-16"}
    response = airflow.client.post("/api/v2/dags/news_etl/dagRuns", json={"logical_date": None, "conf": conf})
    assert response.status_code == 200, response.text
    run = airflow.wait_for_run(response.json()["dag_run_id"], RUN_TIMEOUT)
    assert run["state"] == "success", f"run failed; task logs under {airflow.home}/logs"

    manifest = read_manifest(tmp_path, "2022-03-16")
    assert_accounted(tmp_path, "2022-03-16")
    table = read_articles(tmp_path)
    assert table.num_rows == manifest["counts"]["written"] == 6
    assert sorted(set(table["language"].to_pylist())) == ["de", "en", "es", "fr"]

    tasks = airflow.client.get(f"/api/v2/dags/news_etl/dagRuns/{run['dag_run_id']}/taskInstances").json()
    states = {(ti["task_id"], ti["map_index"]): ti["state"] for ti in tasks["task_instances"]}
    assert all(state == "success" for state in states.values()), states
    assert ("ingest", 0) in states and ("shard.detect_language", 0) in states

    events = airflow.client.get("/api/v2/assets/events", params={"source_dag_id": "news_etl"}).json()
    extras = [event["extra"] for event in events["asset_events"] if event["source_run_id"] == run["dag_run_id"]]
    assert extras and extras[0]["ingest_date"] == "2022-03-16" and extras[0]["written"] == 6


def test_scheduled_run_writes_the_day_of_its_data_interval(airflow: AirflowServices) -> None:
    runs = airflow.client.get("/api/v2/dags/news_etl/dagRuns", params={"run_type": "scheduled"}).json()["dag_runs"]
    assert runs, "unpausing news_etl created no scheduled run"
    run = airflow.wait_for_run(runs[0]["dag_run_id"], RUN_TIMEOUT)
    assert run["state"] == "success"
    day = run["data_interval_start"][:10]
    manifest = read_manifest(airflow.scheduled_output, day)
    assert_accounted(airflow.scheduled_output, day)
    assert manifest["counts"]["written"] == 1


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_trigger_form_in_a_real_browser(airflow: AirflowServices, tmp_path: Path) -> None:
    """An operator's path: open news_etl in the Airflow UI, fill the typed form, trigger, get the records."""
    from playwright.sync_api import sync_playwright

    output = tmp_path / "ui-out"
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.set_default_timeout(90_000)
            page.goto(f"{airflow.base}/dags/news_etl")
            page.get_by_role("button", name="Trigger").first.click()
            dialog = page.get_by_role("dialog")
            for title in ("Input path", "Output root", "Ingest date", "Page size cap (MB)", "Shard size (MB)"):
                dialog.get_by_text(title, exact=False).first.wait_for()
            dialog.get_by_text("Pages larger than this are quarantined", exact=False).first.wait_for()
            date_field = dialog.locator("#element_ingest_date")
            assert date_field.get_attribute("type") == "date", "the ingest date is not a date picker"
            assert dialog.locator("[name='element_max_page_mb']").input_value() == "8"
            dialog.locator("#element_input_path").fill(str(SAMPLE_DIR))
            dialog.locator("#element_output_path").fill(str(output))
            date_field.fill("2022-03-16")
            dialog.screenshot(path=str(artifacts / "trigger-form.png"))
            dialog.get_by_role("button", name="Trigger").last.click()
            dialog.wait_for(state="hidden")
        finally:
            browser.close()

    def ui_run() -> dict | None:
        runs = airflow.client.get("/api/v2/dags/news_etl/dagRuns").json()["dag_runs"]
        return next((run for run in runs if (run.get("conf") or {}).get("output_path") == str(output)), None)

    airflow.wait_until(lambda: ui_run() is not None, 60, "the run triggered from the UI")
    run = airflow.wait_for_run(ui_run()["dag_run_id"], RUN_TIMEOUT)
    assert run["state"] == "success" and run["conf"]["ingest_date"] == "2022-03-16"
    assert_accounted(output, "2022-03-16")
    assert read_articles(output).num_rows == 6
