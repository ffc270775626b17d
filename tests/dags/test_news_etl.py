"""DAG integrity, and one real run of news_etl in-process with dag.test()."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support import ROOT, SAMPLE_DIR, assert_accounted, read_articles, read_manifest


@pytest.fixture(scope="module")
def dagbag(airflow_db: Path):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_dag_folder_imports_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"news_etl"}


def test_news_etl_shape_schedule_and_retries(dagbag) -> None:
    dag = dagbag.get_dag("news_etl")
    assert dag.tags and {"newsetl", "etl"} <= set(dag.tags)
    assert dag.catchup is False and dag.max_active_runs == 1
    assert dag.timetable.expression == "0 0 * * *" and str(dag.timetable.timezone) == "UTC"
    assert set(dag.task_ids) == {"plan", "ingest", "learn_site_chrome", "shard.clean", "shard.detect_language",
                                 "publish", "report"}
    for task in dag.tasks:
        assert task.retries >= 1 and task.retry_delay.total_seconds() > 0, task.task_id
        assert task.execution_timeout is not None, task.task_id
    assert dag.get_task("ingest").upstream_task_ids == {"plan"}
    assert dag.get_task("learn_site_chrome").upstream_task_ids >= {"ingest"}
    assert "learn_site_chrome" in dag.get_task("shard.clean").upstream_task_ids
    assert dag.get_task("shard.detect_language").upstream_task_ids >= {"shard.clean"}
    assert "shard.detect_language" in dag.get_task("publish").upstream_task_ids
    assert [outlet.name for outlet in dag.get_task("publish").outlets] == ["newsetl_articles"]


def test_each_task_returns_one_xcom(dagbag) -> None:
    """A returned dict of counts is one XCom, not one per key: each key would cost its task an API call."""
    dag = dagbag.get_dag("news_etl")
    assert {task.task_id for task in dag.tasks if task.multiple_outputs} == set()


def test_trigger_form_params_are_typed_and_described(dagbag) -> None:
    params = dagbag.get_dag("news_etl").params
    for name in ("input_path", "output_path", "ingest_date", "max_page_mb", "target_shard_mb", "workers"):
        param = params.get_param(name)
        assert param.schema.get("title") and param.description, name
    assert params.get_param("ingest_date").schema["format"] == "date"
    assert params.get_param("max_page_mb").schema["type"] == "integer"


def test_ingest_date_precedence() -> None:
    from dags.news_etl import resolve_ingest_date  # noqa: PLC0415 - the DAG file is importable as a module

    midnight = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)
    scheduled = SimpleNamespace(run_type="scheduled", run_after=midnight)
    manual = SimpleNamespace(run_type="manual", run_after=dt.datetime(2026, 3, 5, 23, 0, tzinfo=dt.UTC))
    interval_start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert resolve_ingest_date({"params": {"ingest_date": "2020-05-06"}, "dag_run": scheduled}) == dt.date(2020, 5, 6)
    assert resolve_ingest_date({"params": {}, "dag_run": scheduled, "data_interval_start": interval_start,
                                "logical_date": midnight}) == dt.date(2026, 3, 1)
    assert resolve_ingest_date({"params": {}, "dag_run": manual, "data_interval_start": None,
                                "logical_date": midnight}) == dt.date(2026, 3, 2)
    assert resolve_ingest_date({"params": {}, "dag_run": manual, "data_interval_start": None,
                                "logical_date": None}) == dt.date(2026, 3, 5)


def test_dag_test_runs_the_sample_end_to_end(dagbag, tmp_path: Path) -> None:
    dag = dagbag.get_dag("news_etl")
    run = dag.test(run_conf={"input_path": str(SAMPLE_DIR), "output_path": str(tmp_path), "ingest_date": "2022-03-16",
                             "target_shard_mb": 1})
    assert str(run.state) in {"success", "DagRunState.SUCCESS"}
    manifest = read_manifest(tmp_path, "2022-03-16")
    assert_accounted(tmp_path, "2022-03-16")
    assert manifest["counts"]["written"] == 6
    table = read_articles(tmp_path)
    assert sorted(set(table["language"].to_pylist())) == ["de", "en", "es", "fr"]
    assert not (tmp_path / "_work").exists()


def test_a_night_without_input_still_publishes_an_empty_date(dagbag, tmp_path: Path) -> None:
    """No shard maps no shard task; publish must still run, replacing the date with an empty one."""
    empty = tmp_path / "in"
    empty.mkdir()
    run = dagbag.get_dag("news_etl").test(run_conf={"input_path": str(empty), "output_path": str(tmp_path / "out"),
                                                    "ingest_date": "2022-01-11"})
    states = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
    assert states["publish"].endswith("success") and states["report"].endswith("success"), states
    manifest = read_manifest(tmp_path / "out", "2022-01-11")
    assert manifest["counts"]["documents_seen"] == 0 and manifest["counts"]["balanced"] is True
    assert not (tmp_path / "out" / "_work").exists()


def test_a_big_jsonl_is_mapped_over_several_shard_tasks_with_the_records_of_one(dagbag, tmp_path: Path) -> None:
    import json

    from tests.support import article_page, run_checked, write_files

    feed = "".join(json.dumps({"text": article_page(i)}) + "\n" for i in range(700))  # ~1.5 MB: 2 shards of 1 MB
    inputs = write_files(tmp_path / "in", {"feed.jsonl": feed})
    run = dagbag.get_dag("news_etl").test(run_conf={"input_path": str(inputs), "output_path": str(tmp_path / "dag"),
                                                    "ingest_date": "2022-03-16", "target_shard_mb": 1})
    ingests = [ti for ti in run.get_task_instances() if ti.task_id == "ingest"]
    assert len(ingests) == 2 and all(str(ti.state).endswith("success") for ti in ingests)
    whole = run_checked(inputs, tmp_path / "whole", "2022-03-16", target_shard_bytes=1 << 40)
    assert read_articles(tmp_path / "dag").equals(read_articles(tmp_path / "whole"))
    dag_manifest = read_manifest(tmp_path / "dag", "2022-03-16")
    assert dag_manifest["inputs"] == whole["inputs"] and dag_manifest["counts"] == whole["counts"]
