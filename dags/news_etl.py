"""news_etl: nightly, the day's scraped news-page dumps become clean, language-tagged Parquet.

Structure only: every task calls `pipeline.run`, the same functions as `python -m pipeline run`, and
imports it inside the task, so parsing this file stays cheap. Tasks pass paths, ids and counts through
XCom, never documents; a task's counts are one XCom (`multiple_outputs=False`: TaskFlow would otherwise
push every key of a returned dict as an XCom of its own, one API call each, on the run's critical path).

Which ingest date a run writes:
- the `ingest_date` param when given (manual runs from the UI);
- else, for scheduled and backfill runs, the start of the run's data interval (the day just ended);
- else, for a manual run with a logical date, that date;
- else (a manual run without logical date) the UTC date on which the run was triggered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task, task_group
from airflow.sdk.definitions.timetables.interval import CronDataIntervalTimetable

log = logging.getLogger(__name__)

ARTICLES = Asset(name="newsetl_articles", uri="file:///newsetl/articles")
SHARD_POOL = os.environ.get("NEWSETL_SHARD_POOL", "default_pool")

DEFAULT_ARGS = {
    "owner": "newsetl",
    "retries": 3,
    "retry_delay": dt.timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": dt.timedelta(minutes=30),
    "execution_timeout": dt.timedelta(hours=2),
}

PARAMS = {
    "input_path": Param(
        None, type=["null", "string"], title="Input path",
        description="File or folder of page dumps (.txt, .txt.gz, .jsonl, .jsonl.gz), read recursively. "
                    "Empty: the Airflow Variable newsetl_input, else $NEWSETL_INPUT.",
    ),
    "output_path": Param(
        None, type=["null", "string"], title="Output root",
        description="Where articles/, quarantine/ and manifests/ are written. "
                    "Empty: the Airflow Variable newsetl_output, else $NEWSETL_OUTPUT.",
    ),
    "ingest_date": Param(
        None, type=["null", "string"], format="date", title="Ingest date",
        description="The date partition to (re)write. Empty: the run's data interval start, else its logical "
                    "date, else today (UTC). A rerun of a date replaces that date's output.",
    ),
    "max_page_mb": Param(
        8, type="integer", minimum=1, maximum=1024, title="Page size cap (MB)",
        description="Pages larger than this are quarantined as too_large, never truncated.",
    ),
    "target_shard_mb": Param(
        64, type="integer", minimum=1, maximum=4096, title="Shard size (MB)",
        description="Input bytes per shard task: larger means fewer, longer tasks.",
    ),
    "workers": Param(
        None, type=["null", "integer"], minimum=1, maximum=1024, title="Parallel shard tasks",
        description="How many shard tasks run at once (the shard pool's slots): an input under slots x shard "
                    "size is cut into one shard per slot, of at least 1 MB, so that every slot has work. "
                    "Empty: $NEWSETL_SHARD_SLOTS, else 1 (shards of the shard size only).",
    ),
}


def _setting(params: dict[str, Any], param: str, variable: str, environment: str, default: str) -> str:
    """A location from the run's params, else an Airflow Variable, else the environment, else a default."""
    if params.get(param):
        return str(params[param])
    from airflow.sdk import Variable

    value = Variable.get(variable, default=None)
    return value or os.environ.get(environment) or default


def resolve_ingest_date(context: dict[str, Any]) -> dt.date:
    """The partition a run writes; see the module docstring for the order of precedence."""
    chosen = context["params"].get("ingest_date")
    if chosen:
        return dt.date.fromisoformat(str(chosen))
    dag_run = context["dag_run"]
    run_type = str(getattr(dag_run, "run_type", "")).lower()
    interval_start = context.get("data_interval_start")
    if interval_start is not None and ("scheduled" in run_type or "backfill" in run_type):
        return interval_start.astimezone(dt.UTC).date()
    logical_date = context.get("logical_date")
    if logical_date is not None:
        return logical_date.astimezone(dt.UTC).date()
    return dag_run.run_after.astimezone(dt.UTC).date()


def log_manifest_location(context: dict[str, Any]) -> None:
    """On failure, say where this run's staged files and the date's last manifest are."""
    ti = context.get("ti")
    if ti is not None:
        log.error("news_etl failed: work dir %s; manifest of the last successful publish: %s",
                  ti.xcom_pull(task_ids="plan", key="work_dir"), ti.xcom_pull(task_ids="plan", key="manifest"))


@dag(
    dag_id="news_etl",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "on_failure_callback": log_manifest_location},
    params=PARAMS,
    tags=["newsetl", "etl"],
    doc_md=__doc__,
)
def news_etl() -> None:
    @task
    def plan() -> list[int]:
        """Decide the date and locations, discover the inputs, and cut them into shards.

        Returns the shard indices (what the shard tasks map over); the run's config, key and paths go
        to XCom under their own keys.
        """
        from airflow.sdk.exceptions import AirflowFailException

        from pipeline.config import RunConfig
        from pipeline.ingest.files import InputError
        from pipeline.run import partition_name, plan_shards, work_dir

        context = get_current_context()
        params = context["params"]
        config = RunConfig(
            inputs=(_setting(params, "input_path", "newsetl_input", "NEWSETL_INPUT", "/data/input"),),
            output=_setting(params, "output_path", "newsetl_output", "NEWSETL_OUTPUT", "/data/output"),
            ingest_date=resolve_ingest_date(context),
            max_page_bytes=int(params["max_page_mb"]) * 1024 * 1024,
            target_shard_bytes=int(params["target_shard_mb"]) * 1024 * 1024,
            workers=int(params.get("workers") or os.environ.get("NEWSETL_SHARD_SLOTS") or 1),
            shards_per_worker=1,  # a task costs seconds of start-up and scheduling: one shard per slot
        )
        run_id = context["dag_run"].run_id
        try:
            shards = plan_shards(config, run_id)
        except InputError as exc:
            raise AirflowFailException(f"{exc} (set the input_path param, Variable newsetl_input or "
                                       "$NEWSETL_INPUT)") from exc
        manifest = os.path.join(config.output, "manifests", f"{partition_name(config.ingest_date)}.json")
        log.info("ingest date %s: %d shards from %s", config.ingest_date, len(shards), config.inputs)
        ti = context["ti"]
        for key, value in {"config": config.to_dict(), "run_key": run_id, "work_dir": work_dir(config, run_id),
                           "manifest": manifest}.items():
            ti.xcom_push(key=key, value=value)
        return shards

    @task(pool=SHARD_POOL, multiple_outputs=False)
    def ingest(config: dict[str, Any], run_key: str, shard: int) -> dict[str, int]:
        """Read one shard's files into staged pages; unreadable input goes to quarantine."""
        from pipeline.config import RunConfig
        from pipeline.run import ingest_shard

        return ingest_shard(RunConfig.from_dict(config), run_key, shard)

    # A night without input maps no shard task: the date must still be published (empty), not skipped.
    @task(trigger_rule=TriggerRule.NONE_FAILED, multiple_outputs=False)
    def learn_site_chrome(config: dict[str, Any], run_key: str) -> dict[str, int]:
        """Blocks repeated across a site's pages, tonight and on earlier nights, become chrome."""
        from pipeline.config import RunConfig
        from pipeline.run import learn_site_chrome as learn

        return learn(RunConfig.from_dict(config), run_key)

    @task_group
    def shard(config: dict[str, Any], run_key: str, shard: int) -> None:
        @task(pool=SHARD_POOL)
        def clean(config: dict[str, Any], run_key: str, shard: int) -> int:
            """Pages to articles: drop chrome, recover title, authors, time and body."""
            from pipeline.config import RunConfig
            from pipeline.run import clean_shard

            clean_shard(RunConfig.from_dict(config), run_key, shard)
            return shard

        @task(pool=SHARD_POOL, multiple_outputs=False)
        def detect_language(config: dict[str, Any], run_key: str, shard: int) -> dict[str, int]:
            """Tag each article with its language and confidence."""
            from pipeline.config import RunConfig
            from pipeline.run import detect_language_shard

            return detect_language_shard(RunConfig.from_dict(config), run_key, shard)

        detect_language(config, run_key, clean(config, run_key, shard))

    @task(outlets=[ARTICLES], trigger_rule=TriggerRule.NONE_FAILED, multiple_outputs=False)
    def publish(config: dict[str, Any], run_key: str) -> dict[str, Any]:
        """Drop exact duplicates across shards and swap the date's new output in, atomically."""
        from pipeline.config import RunConfig
        from pipeline.run import publish_date

        manifest = publish_date(RunConfig.from_dict(config), run_key)
        context = get_current_context()
        context["outlet_events"][ARTICLES].extra = {
            "ingest_date": manifest["ingest_date"],
            "output": config["output"],
            "written": manifest["counts"]["written"],
        }
        return {"ingest_date": manifest["ingest_date"], **manifest["counts"]}

    @task(multiple_outputs=False)
    def report(config: dict[str, Any], counts: dict[str, Any]) -> dict[str, Any]:
        """A short summary of the published date, in the log and as this task's XCom."""
        from pipeline.cli import summary_of
        from pipeline.run import read_manifest

        manifest = read_manifest(config["output"], dt.date.fromisoformat(counts["ingest_date"]))
        log.info("%s", summary_of(manifest, config["output"]))
        return manifest["counts"]

    planned = plan()
    ingested = ingest.partial(config=planned["config"], run_key=planned["run_key"]).expand(shard=planned)
    learned = learn_site_chrome(planned["config"], planned["run_key"])
    per_shard = shard.partial(config=planned["config"], run_key=planned["run_key"]).expand(shard=planned)
    published = publish(planned["config"], planned["run_key"])
    ingested >> learned >> per_shard >> published
    report(planned["config"], published)


news_etl()
