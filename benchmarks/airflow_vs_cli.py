"""The news_etl DAG run by real Airflow services (LocalExecutor) against `python -m pipeline run`, same work.

Run from the repo root:
    .venv/bin/python benchmarks/airflow_vs_cli.py [--articles 3000] [--workers 2] [--repeat 3] [--workdir DIR]

Generates the bench corpus (`pipeline.bench_corpus`, as `python -m pipeline bench` does; kept and reused with
--workdir), starts the api-server, scheduler and dag-processor on loopback with LocalExecutor, SQLite and
`[core] parallelism` = --workers, and waits until they are healthy and news_etl is parsed: start-up is not
measured, a deployed Airflow is already up. Then, alternating the order in each round, it triggers news_etl
through the REST API and runs the CLI with `--workers` as many processes, each on a fresh output root.

Airflow's settings are the shipped ones (scripts/airflow_local.env), at Airflow's default log level, with
parallelism and shard slots = --workers; --airflow-env adds or overrides one. Airflow's time is from the
trigger's POST to the run's end_date as the API records it (the run is polled every POLL_S until
`success`), next to the run's own start_date -> end_date and each task's; CPU is that of every process of
the services' trees over the run (task processes included, once reaped), per service too. The CLI's are
its wall time and its CPU with its workers'. Both manifests must count the same articles, or the
comparison stops. The ratio Airflow / CLI (wall) is printed last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.bench_corpus import write_text_corpus  # noqa: E402
from tests.e2e.airflow_services import AirflowServices, airflow_services  # noqa: E402

SHIPPED_ENV = ROOT / "scripts" / "airflow_local.env"
INGEST_DATE = "2024-11-01"
POLL_S = 1.0  # the api-server spends ~20 ms a poll: faster polling would be measured as Airflow's
RUN_TIMEOUT_S = 1800
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def shipped_settings(path: Path = SHIPPED_ENV) -> dict[str, str]:
    """NAME=VALUE lines of the shipped LocalExecutor settings (comments and blank lines skipped)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def corpus_folder(workdir: Path, articles: int) -> Path:
    """The bench corpus of `articles` pages, generated once per workdir (same seed, same bytes)."""
    corpus = workdir / f"corpus-{articles}"
    done = workdir / f"corpus-{articles}.done"
    if not done.exists():
        write_text_corpus(str(corpus), articles)
        done.touch()
    return corpus


# ---------------------------------------------------------------- CPU of a process tree


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and of its reaped children), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def tree_cpu(roots: list[int]) -> dict[int, float]:
    """CPU seconds of every live process under `roots`; a process that ended is in its parent's figure."""
    stats = {pid: found for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if (found := _stat(pid))}
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    cpu: dict[int, float] = {}
    pending = [pid for pid in roots if pid in stats]
    while pending:
        pid = pending.pop()
        cpu[pid] = stats[pid][1]
        pending.extend(children.get(pid, []))
    return cpu


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent by the tree between two snapshots (processes started in between count from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def cpu_by_service(airflow: AirflowServices, before: dict[int, dict[int, float]]) -> dict[str, float]:
    """CPU each service spent since `before` (a snapshot per service root), its own process apart from its
    children (the scheduler's: LocalExecutor's workers and the task processes they supervise)."""
    spent: dict[str, float] = {}
    for process in airflow.processes:
        after = tree_cpu([process.pid])
        own = after.get(process.pid, 0.0) - before[process.pid].get(process.pid, 0.0)
        spent[str(process.args[1])] = own
        spent[f"{process.args[1]}'s children"] = cpu_between(before[process.pid], after) - own
    return spent


def idle_cpu(airflow: AirflowServices, seconds: float = 10.0) -> dict[str, float]:
    """CPU per second of each service while no run is active: what a deployed Airflow costs anyway."""
    before = {process.pid: tree_cpu([process.pid]) for process in airflow.processes}
    time.sleep(seconds)
    return {name: spent / seconds for name, spent in cpu_by_service(airflow, before).items()}


class TaskCpuSampler(threading.Thread):
    """The CPU of each task process (titled `airflow worker -- <task instance id>` by Airflow's task runner),
    read from /proc every SAMPLE_S while the run lasts: a task's figure is short by at most SAMPLE_S of CPU."""

    SAMPLE_S = 0.25
    TITLE = "airflow worker -- "

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.cpu: dict[str, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.SAMPLE_S):
            for pid, seconds in tree_cpu([self.root]).items():
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as handle:
                        title = handle.read().split(b"\0")[0].decode(errors="replace").strip()
                except OSError:
                    continue
                name = title.removeprefix(self.TITLE)
                if title.startswith(self.TITLE) and len(name) == 36 and name.count("-") == 4:  # a UUID
                    self.cpu[name] = max(self.cpu.get(name, 0.0), seconds)

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.join()
        return self.cpu


# ---------------------------------------------------------------- the two measured runs


def written(output: Path) -> int:
    manifest = json.loads((output / "manifests" / f"ingest_date={INGEST_DATE}.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["balanced"], f"{output}: manifest not balanced"
    return int(manifest["counts"]["written"])


def wait_idle(airflow: AirflowServices) -> None:
    """No news_etl run queued or running (a previous round's)."""
    def idle() -> bool:
        runs = airflow.client.get("/api/v2/dags/news_etl/dagRuns", params={"state": ["queued", "running"]})
        return runs.json()["total_entries"] == 0
    airflow.wait_until(idle, RUN_TIMEOUT_S, "news_etl to have no active run")


def unpause(airflow: AirflowServices) -> None:
    """Unpause news_etl and let the scheduled run this starts (on an empty input) finish: it would hold
    the measured run back (max_active_runs=1)."""
    airflow.client.patch("/api/v2/dags/news_etl", json={"is_paused": False}).raise_for_status()
    airflow.wait_until(lambda: airflow.client.get("/api/v2/dags/news_etl/dagRuns").json()["total_entries"] > 0,
                       120, "the scheduled run after unpausing")
    wait_idle(airflow)


def _seconds(start: str | None, end: str | None) -> float:
    if not start or not end:
        return float("nan")
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds()


def run_airflow(airflow: AirflowServices, corpus: Path, output: Path) -> dict[str, Any]:
    """Trigger news_etl on the corpus and time it to `success`, with the API's own times per task."""
    wait_idle(airflow)
    roots = [process.pid for process in airflow.processes]
    conf = {"input_path": str(corpus), "output_path": str(output), "ingest_date": INGEST_DATE}
    cpu_before = tree_cpu(roots)
    service_before = {pid: tree_cpu([pid]) for pid in roots}
    sampler = TaskCpuSampler(next(p.pid for p in airflow.processes if p.args[1] == "scheduler"))
    sampler.start()
    start = time.perf_counter()
    triggered = dt.datetime.now(dt.UTC)
    response = airflow.client.post("/api/v2/dags/news_etl/dagRuns", json={"logical_date": None, "conf": conf})
    response.raise_for_status()
    run_id = response.json()["dag_run_id"]
    while True:
        run = airflow.client.get(f"/api/v2/dags/news_etl/dagRuns/{run_id}").json()
        if run["state"] in {"success", "failed"}:
            break
        if time.perf_counter() - start > RUN_TIMEOUT_S:
            raise TimeoutError(f"{run_id} did not finish; logs under {airflow.home}")
        time.sleep(POLL_S)
    observed = time.perf_counter() - start
    cpu = cpu_between(cpu_before, tree_cpu(roots))
    task_cpu = sampler.stop()
    services = cpu_by_service(airflow, service_before)
    if run["state"] != "success":
        raise RuntimeError(f"{run_id} failed; task logs under {airflow.home}/logs")
    tasks = airflow.client.get(f"/api/v2/dags/news_etl/dagRuns/{run_id}/taskInstances",
                               params={"limit": 1000}).json()["task_instances"]
    # The run's end as Airflow records it, not as a poll saw it (up to POLL_S later).
    wall = (dt.datetime.fromisoformat(run["end_date"]) - triggered).total_seconds()
    return {"wall_s": wall, "observed_s": observed, "cpu_s": cpu, "articles": written(output),
            "cpu_by_service": services,
            "run_s": _seconds(run["start_date"], run["end_date"]),
            "queued_to_start_s": _seconds(run.get("queued_at"), run["start_date"]),
            "start_date": run["start_date"], "end_date": run["end_date"],
            "tasks": sorted(({"task": task["task_id"], "map_index": task["map_index"],
                              "start": task["start_date"], "end": task["end_date"],
                              "duration_s": task["duration"], "cpu_s": task_cpu.get(task["id"], float("nan"))}
                             for task in tasks),
                            key=lambda task: (task["start"] or "", task["task"], task["map_index"]))}


def run_cli(corpus: Path, output: Path, workers: int) -> dict[str, Any]:
    """`python -m pipeline run` on the corpus in a fresh process: wall time and CPU (its workers' included)."""
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(output), "--date", INGEST_DATE,
               "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr.read().decode()[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "articles": written(output)}


# ---------------------------------------------------------------- report


def print_tasks(run: dict[str, Any]) -> None:
    """Each task instance's start (from the run's start), duration, and the gap since the previous task ended."""
    origin = dt.datetime.fromisoformat(run["start_date"])
    print("    CPU by service (its task processes included): " + ", ".join(
        f"{name} {seconds:.2f} s" for name, seconds in run["cpu_by_service"].items()))
    print(f"    run {run['start_date']} -> {run['end_date']} ({run['run_s']:.2f} s; queued -> start "
          f"{run['queued_to_start_s']:.2f} s)")
    for task in run["tasks"]:
        name = task["task"] + (f"[{task['map_index']}]" if task["map_index"] >= 0 else "")
        offset = _seconds(run["start_date"], task["start"])
        ended = _seconds(run["start_date"], task["end"])
        print(f"    {name:<28} +{offset:6.2f} s  {task['duration_s'] or 0:6.2f} s  (ends +{ended:6.2f} s)  "
              f"cpu {task['cpu_s']:5.2f} s")
    busy = sum(task["duration_s"] or 0 for task in run["tasks"])
    cpu = sum(task["cpu_s"] for task in run["tasks"])
    print(f"    task time summed {busy:.2f} s, task processes' CPU {cpu:.2f} s, over {len(run['tasks'])} task "
          f"instances; run start {origin:%H:%M:%S}")


def summary(label: str, runs: list[dict[str, Any]], key: str) -> tuple[float, float]:
    values = [run[key] for run in runs]
    return min(values), statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000, help="pages in the generated corpus (default 3000)")
    parser.add_argument("--workers", type=int, default=2,
                        help="CLI --workers and Airflow's [core] parallelism (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds, alternating which runs first (default 1)")
    parser.add_argument("--workdir", default=None,
                        help="keep the corpus, the outputs and airflow_vs_cli.json here (default: a temp dir)")
    parser.add_argument("--airflow-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an extra environment variable for the Airflow services (e.g. a setting to try)")
    args = parser.parse_args()
    # The shipped settings at Airflow's defaults (the test helpers' log level is WARNING, their scheduler
    # heartbeat and bundle refresh quicker), then the overrides.
    defaults = {"AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO", "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "5",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "300"}
    overrides = dict(item.split("=", 1) for item in args.airflow_env)

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="newsetl-airflow-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_folder(workdir, args.articles)
    size = sum(path.stat().st_size for path in corpus.rglob("*") if path.is_file()) / 1e6
    print(f"corpus: {args.articles} pages, {size:.1f} MB in {corpus}; workers/parallelism {args.workers}; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    empty = workdir / "empty-input"
    empty.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="airflow-home-", dir=workdir))
    airflow_runs: list[dict[str, Any]] = []
    cli_runs: list[dict[str, Any]] = []
    # Unpausing starts the latest scheduled run: give it an empty input, and let it finish before measuring.
    extra_env = {**shipped_settings(), **defaults, "AIRFLOW__CORE__PARALLELISM": str(args.workers),
                 "NEWSETL_SHARD_SLOTS": str(args.workers), "NEWSETL_INPUT": str(empty),
                 "NEWSETL_OUTPUT": str(workdir / "scheduled-out"), **overrides}
    with airflow_services(home, **extra_env) as airflow:
        unpause(airflow)
        print("Airflow settings: " + " ".join(f"{k}={v}" for k, v in sorted(extra_env.items())
                                              if k.startswith(("AIRFLOW__", "NEWSETL_SHARD"))))
        print(f"Airflow up (home {home}); load average {os.getloadavg()[0]:.2f}; idle CPU-s per s: " + ", ".join(
            f"{name} {rate:.3f}" for name, rate in idle_cpu(airflow).items()), flush=True)
        for number in range(args.repeat):
            order = ["airflow", "cli"] if number % 2 == 0 else ["cli", "airflow"]
            for what in order:
                output = workdir / f"out-{what}-{number}"
                load = os.getloadavg()[0]
                if what == "airflow":
                    result = run_airflow(airflow, corpus, output)
                    airflow_runs.append(result)
                else:
                    result = run_cli(corpus, output, args.workers)
                    cli_runs.append(result)
                print(f"  round {number + 1} {what:<7}: wall {result['wall_s']:6.2f} s  cpu {result['cpu_s']:6.2f} s"
                      f"  {result['articles']} articles  (load average before {load:.2f})", flush=True)
                if what == "airflow":
                    print_tasks(result)
                if airflow_runs and cli_runs and airflow_runs[-1]["articles"] != cli_runs[-1]["articles"]:
                    raise SystemExit("Airflow and the CLI wrote different article counts: not the same work")

    print(f"done; load average {os.getloadavg()[0]:.2f}")
    results = workdir / "airflow_vs_cli.json"
    results.write_text(json.dumps({"settings": extra_env, "airflow": airflow_runs, "cli": cli_runs}, indent=1),
                       encoding="utf-8")
    print(f"every figure: {results}")
    for label, runs in (("cli", cli_runs), ("airflow", airflow_runs)):
        (wall_best, wall_median), (cpu_best, cpu_median) = summary(label, runs, "wall_s"), summary(label, runs, "cpu_s")
        print(f"{label:<8} wall best {wall_best:6.2f} s median {wall_median:6.2f} s; "
              f"cpu best {cpu_best:6.2f} s median {cpu_median:6.2f} s ({len(runs)} runs)")
    best = min(run["wall_s"] for run in airflow_runs) / min(run["wall_s"] for run in cli_runs)
    median = statistics.median(run["wall_s"] for run in airflow_runs) / statistics.median(
        run["wall_s"] for run in cli_runs)
    print(f"ratio Airflow / CLI (wall): {best:.2f}x best/best, {median:.2f}x median/median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
