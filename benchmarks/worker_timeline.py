"""Timeline of one `python -m pipeline run --workers N`: when each stage ran in the main process and each task in
each worker (wall and CPU), and the wall time that schedule would take on N idle cores.

    .venv/bin/python benchmarks/worker_timeline.py CORPUS OUT --workers 2

Run it from a checkout's root: the pipeline imported is the one in the working directory (so that the
script can time another checkout of the pipeline, `cd ../other && python ../this/benchmarks/...`).

Why: on a machine shared with other jobs, wall times measure the neighbours. The replay takes the CPU each
piece of work cost and lays it out as the run orders it: the main process's serial stages (start-up and
imports, planning, site-chrome learning, publishing, and whatever else it spent) one after the other, and
each stage's worker tasks handed, in the order they started, to whichever worker is free first (after its
start-up: imports and model warm-up). What the replay leaves out: CPU the main process spends while the
workers run (counted as serial, at the end: an over-estimate), and the workers' CPU outside the tasks.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

# Stages the main process runs alone, tasks the workers run, and the workers' start-up.
MAIN_STAGES = ("plan_shards", "learn_site_chrome", "publish_date_locked")
WORKER_TASKS = ("ingest_shard", "clean_and_detect_part", "clean_and_detect_shard")
# Publishing's tasks (pipeline.sink.date_files), run by the workers where the pipeline has them.
PUBLISH_TASKS = ("_write_quarantine_and_inputs", "write_articles")
WORKER_START = "_exit_with_parent"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _record(module: object, name: str, log: str, origin: float) -> None:
    """Wrap module.name so that every call appends (pid, name, int args, start, wall, cpu) to `log`. The
    wrapper keeps the function's name, so a pool pickles it by reference and its workers run it too."""
    function = getattr(module, name, None)
    if function is None:  # an older version of the pipeline, or the task lives in another module
        return

    def recorded(*args, **kwargs):
        start, cpu = time.time(), _cpu()
        try:
            return function(*args, **kwargs)
        finally:
            numbers = ":".join(str(arg) for arg in args[2:] if isinstance(arg, int))
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {name} {numbers or '-'} {start - origin:.4f} "
                             f"{time.time() - start:.4f} {_cpu() - cpu:.4f}\n")

    recorded.__name__ = recorded.__qualname__ = name
    recorded.__module__ = module.__name__
    setattr(module, name, recorded)


def replay(entries: list[tuple[int, str, str, float, float, float]], main_pid: int, start_cpu: float,
           main_cpu: float, workers: int) -> float:
    """The run's wall time on `workers` idle cores, from the CPU its pieces cost (see the module's doc)."""
    serial = {name: sum(e[5] for e in entries if e[0] == main_pid and e[1] == name) for name in MAIN_STAGES}
    other = main_cpu - start_cpu - sum(serial.values())
    warm_ups = [e[5] for e in entries if e[1] == WORKER_START]
    # The workers start with the run and warm up while the main process plans: three processes on `workers`
    # cores, so that phase lasts at least their CPU shared out over the cores.
    plan = serial["plan_shards"]
    phase = max([plan, *warm_ups, (plan + sum(warm_ups)) / workers])
    clock = start_cpu + plan
    free = [start_cpu + phase] * workers
    for stages, serial_after in ((("ingest_shard",), "learn_site_chrome"), (("clean_and_detect_part",), None),
                                 (PUBLISH_TASKS, "publish_date_locked")):
        tasks = sorted((e for e in entries if e[1] in stages and e[0] != main_pid), key=lambda e: e[3])
        free = [max(at, clock) for at in free]
        for task in tasks:
            first = free.index(min(free))
            free[first] += task[5]
        clock = max([clock, *free]) if tasks else clock
        clock += serial[serial_after] if serial_after else 0.0
    return clock + max(other, 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("out")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    origin = time.time()
    from pipeline import run
    from pipeline.cli import main as cli_main

    with tempfile.NamedTemporaryFile(prefix="worker-timeline-", suffix=".log", delete=False) as handle:
        log = handle.name
    for name in (*MAIN_STAGES, *WORKER_TASKS, WORKER_START):
        _record(run, name, log, origin)
    for name in PUBLISH_TASKS:
        _record(run, name, log, origin)
        _record(getattr(run, "date_files", None), name, log, origin)
    imports_cpu = _cpu()
    code = cli_main(["run", *args.inputs, "--out", args.out, "--date", "2000-01-01", "--workers", str(args.workers)])
    wall = time.time() - origin
    main_cpu = _cpu()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, encoding="utf-8") as handle:
        entries = [(int(pid), name, numbers, float(start), float(spent), float(cpu))
                   for pid, name, numbers, start, spent, cpu in (line.split() for line in handle)]
    os.remove(log)
    names = {os.getpid(): "main"}
    for entry in sorted(entries, key=lambda e: e[3]):
        names.setdefault(entry[0], f"w{len(names)}")
    print(f"main  start-up and imports{'':13} cpu {imports_cpu:5.2f}")
    for pid, name, numbers, start, spent, cpu in sorted(entries, key=lambda e: e[3]):
        label = name + ("" if numbers == "-" else f" {numbers}")
        print(f"{names[pid]:<5} {label:<36} start {start:6.2f} end {start + spent:6.2f} wall {spent:5.2f} "
              f"cpu {cpu:5.2f}")
    children_cpu = children.ru_utime + children.ru_stime
    print(f"total wall {wall:.2f} s, cpu {main_cpu + children_cpu:.2f} s (main {main_cpu:.2f}, workers "
          f"{children_cpu:.2f}); load average {os.getloadavg()[0]:.2f}")
    if args.workers > 1:
        estimate = replay(entries, os.getpid(), imports_cpu, main_cpu, args.workers)
        print(f"replayed on {args.workers} idle cores: {estimate:.2f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
