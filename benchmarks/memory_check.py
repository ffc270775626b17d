"""Peak memory of `python -m pipeline run` on a big JSON Lines dump or a folder of many small files.

Run from the repo root:
    .venv/bin/python benchmarks/memory_check.py jsonl --gigabytes 2 [--workers 2]
    .venv/bin/python benchmarks/memory_check.py files --files 200000 [--workers 2]
    .venv/bin/python benchmarks/memory_check.py jsonl --input DUMP.jsonl --timeline rss.txt   # an existing dump

Generates the input once under --workdir (reused when present; generation is the slow part), runs the
CLI in a child process and samples the resident memory of it and of each of its worker processes from
/proc every 0.2 s; also prints the kernel's own peak (getrusage) for the main process and the largest
worker, and whether the manifest accounts for every input document. Issue goal: every process under 300 MB
whatever the input size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.bench_corpus import write_jsonl, write_text_corpus  # noqa: E402

INGEST_DATE = "2024-11-01"


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def measure(inputs: str, output: str, workers: int, extra: list[str], timeline: str | None = None) -> None:
    command = [sys.executable, "-m", "pipeline", "run", inputs, "--out", output, "--date", INGEST_DATE,
               "--workers", str(workers), *extra]
    print("$", " ".join(command), flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    main_peak = 0.0
    worker_peaks: dict[int, float] = {}
    log = open(timeline, "w", encoding="ascii") if timeline else None  # noqa: SIM115
    samples = 0
    while process.poll() is None:
        main_rss = _rss_mb(process.pid)
        main_peak = max(main_peak, main_rss)
        workers_rss = {child: _rss_mb(child) for child in _children(process.pid)}
        for child, rss in workers_rss.items():
            worker_peaks[child] = max(worker_peaks.get(child, 0.0), rss)
        if log and samples % 5 == 0:  # one line a second: when each process grew, to match with the stages
            log.write(f"{time.perf_counter() - started:.0f} {main_rss:.0f} "
                      + " ".join(f"{rss:.0f}" for rss in workers_rss.values()) + "\n")
            log.flush()
        samples += 1
        time.sleep(0.2)
    if log:
        log.close()
    output_text = process.stdout.read() if process.stdout else ""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(output_text.strip())
    print(f"exit {process.returncode}; wall {time.perf_counter() - started:.0f} s; "
          f"CPU {usage.ru_utime + usage.ru_stime:.0f} s (main and workers)")
    print(f"sampled peak RSS: main {main_peak:.0f} MB; workers "
          + (", ".join(f"{peak:.0f}" for peak in worker_peaks.values()) or "none") + " MB")
    print(f"getrusage peak RSS of the largest process (main or worker): {usage.ru_maxrss / 1024:.0f} MB")
    print_accounting(os.path.join(output, "manifests", f"ingest_date={INGEST_DATE}.json"))


def print_accounting(manifest_path: str) -> None:
    """Whether every input document is accounted for: seen = written + quarantined + duplicates, per file too."""
    if not os.path.exists(manifest_path):
        print("no manifest: the run did not publish")
        return
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    counts = manifest["counts"]
    unbalanced = sum(not entry["balanced"] for entry in manifest["inputs"])
    print(f"accounted: {counts['documents_seen']} seen = {counts['written']} written + {counts['quarantined']} "
          f"quarantined + {counts['duplicates']} duplicates: {counts['balanced']}; "
          f"{len(manifest['inputs'])} input files, {unbalanced} unbalanced")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["jsonl", "files"])
    parser.add_argument("--gigabytes", type=float, default=2.0, help="size of the JSON Lines dump")
    parser.add_argument("--files", type=int, default=200_000, help="number of small files")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", default="/tmp/newsetl-memory")
    parser.add_argument("--input", help="an existing dump or folder to run on (not generated, not written)")
    parser.add_argument("--timeline", help="write 'seconds main_MB worker_MB...' once a second to this file")
    parser.add_argument("extra", nargs="*", help="more `pipeline run` options, after --")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if args.input:
        inputs = args.input
    elif args.kind == "jsonl":
        inputs = os.path.join(args.workdir, f"dump-{args.gigabytes:g}GB.jsonl")
        if not os.path.exists(inputs):
            started = time.perf_counter()
            lines = write_jsonl(inputs + ".tmp", target_bytes=int(args.gigabytes * 1e9))
            os.replace(inputs + ".tmp", inputs)
            print(f"generated {inputs}: {lines} pages in {time.perf_counter() - started:.0f} s")
    else:
        inputs = os.path.join(args.workdir, f"files-{args.files}")
        if not os.path.exists(inputs):
            started = time.perf_counter()
            write_text_corpus(inputs + ".tmp", args.files, min_bytes=1_000, max_bytes=2_000)
            os.replace(inputs + ".tmp", inputs)
            print(f"generated {inputs}: {args.files} files in {time.perf_counter() - started:.0f} s")
    size = sum(f.stat().st_size for f in Path(inputs).rglob("*") if f.is_file()) if os.path.isdir(inputs) \
        else os.path.getsize(inputs)
    print(f"input: {inputs}, {size / 1e9:.2f} GB")
    output = os.path.join(args.workdir, "out")
    subprocess.run(["rm", "-rf", output], check=True)
    measure(inputs, output, args.workers, args.extra, args.timeline)


if __name__ == "__main__":
    main()
