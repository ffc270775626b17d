"""`python -m pipeline bench`: the pipeline's throughput next to the I/O floor, measured in the same run.

Why a floor: "pages per second" alone says nothing on a shared machine or a different disk. The floor
is the least any version of this pipeline must do with the same corpus (read every file, split it
into blocks, hash it, write zstd Parquet partitioned by date and language); the ratio of the
pipeline's throughput to the floor's, both in articles per CPU-second, is what the issue sets a goal
for and what stays comparable from one machine to another.

Every measurement runs in a fresh process (start-up costs count, as they do for a CLI run or an
Airflow task) and reports its own CPU time, its workers' included, and its peak RSS. The floor and
the pipeline alternate within each repeat, so machine noise hits both; the best repeat is reported.
The ratio is printed last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

BENCH_DATE = dt.date(2024, 11, 1)


# ---------------------------------------------------------------- the measured loops (in child processes)


def floor_loop(corpus: str, languages: dict[str, str], output: str, ingest_date: dt.date = BENCH_DATE) -> int:
    """The I/O floor: read each file, split it into blocks, hash it, write zstd Parquet under
    ingest_date=/language= partitions. The language comes from the corpus' own list (the floor detects
    nothing). Returns the number of articles written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.clean.normalize import split_blocks

    schema = pa.schema([("doc_id", pa.string()), ("source", pa.string()), ("body", pa.large_string()),
                        ("content_hash", pa.string()), ("blocks_total", pa.int32())])
    writers: dict[str, pq.ParquetWriter] = {}
    buffers: dict[str, list[dict[str, Any]]] = {}

    def flush(language: str) -> None:
        rows = buffers.pop(language, [])
        if not rows:
            return
        writer = writers.get(language)
        if writer is None:
            folder = os.path.join(output, f"ingest_date={ingest_date.isoformat()}", f"language={language}")
            os.makedirs(folder, exist_ok=True)
            writer = writers[language] = pq.ParquetWriter(os.path.join(folder, "part-00000.parquet"), schema,
                                                          compression="zstd")
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))

    written = 0
    for relative in sorted(languages):
        with open(os.path.join(corpus, relative), "rb") as handle:
            text = handle.read().decode("utf-8")
        blocks = split_blocks(text)
        body = "\n\n".join(blocks)
        language = languages[relative]
        buffers.setdefault(language, []).append({
            "doc_id": relative, "source": os.path.dirname(relative), "body": body,
            "content_hash": hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest(),
            "blocks_total": len(blocks)})
        if len(buffers[language]) >= 2_000:
            flush(language)
        written += 1
    for language in list(buffers):
        flush(language)
    for writer in writers.values():
        writer.close()
    return written


def pipeline_loop(corpus: str, output: str, workers: int, ingest_date: dt.date = BENCH_DATE,
                  stages: dict[str, float] | None = None) -> int:
    """The full pipeline as the CLI runs it (cleaning, structure, language, dedup, publish).

    `stages` gets this process's CPU time at the start and at the end of each stage (with one worker,
    where the work is done in this process): what may run in parallel and what may not."""
    from pipeline.config import RunConfig
    from pipeline.run import run_pipeline

    marks = stages if stages is not None else {}

    def progress(stage: str, done: int, total: int) -> None:
        if done == total:
            marks[f"{stage}_end"] = time.process_time()
            marks[f"{stage}_shards"] = total

    config = RunConfig(inputs=(corpus,), output=output, ingest_date=ingest_date, workers=workers)
    marks["start"] = time.process_time()
    manifest = run_pipeline(config, progress=progress)
    marks["end"] = time.process_time()
    return int(manifest["counts"]["written"])


def _usage() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # pool workers, once joined
    main_cpu = own.ru_utime + own.ru_stime
    return {"cpu_s": main_cpu + children.ru_utime + children.ru_stime, "main_cpu_s": main_cpu,
            "rss_mb": own.ru_maxrss / 1024, "worker_rss_mb": children.ru_maxrss / 1024}


def child_main(argv: list[str]) -> None:
    """Entry of one measured process: runs one loop, prints its figures as one JSON line."""
    what, corpus, output, workers = argv[0], argv[1], argv[2], int(argv[3])
    start_wall = time.perf_counter()
    if what == "floor":
        with open(os.path.join(os.path.dirname(corpus), "languages.json"), encoding="utf-8") as handle:
            languages = json.load(handle)
        articles = floor_loop(corpus, languages, output)
        figures = _usage()
    else:
        stages: dict[str, float] = {}
        articles = pipeline_loop(corpus, output, workers, stages=stages)
        figures = _usage()
        if workers == 1 and {"ingest_end", "clean_end"} <= stages.keys():
            # CPU of the stages that a pool runs in workers, and of all the rest (start-up, planning,
            # site-chrome learning, publishing), which stays serial in the main process.
            figures["ingest_cpu_s"] = stages["ingest_end"] - stages["start"]
            figures["ingest_shards"] = stages["ingest_shards"]
            figures["clean_cpu_s"] = stages["clean_end"] - stages["ingest_end"]
    figures.update(wall_s=time.perf_counter() - start_wall, articles=articles)
    print(json.dumps(figures))


# ---------------------------------------------------------------- the driver


def _measure(what: str, corpus: str, scratch: str, workers: int = 1) -> dict[str, float]:
    output = os.path.join(scratch, f"out-{what}-{workers}")
    shutil.rmtree(output, ignore_errors=True)
    code = "import sys; from pipeline.bench import child_main; child_main(sys.argv[1:])"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", code, what, corpus, output, str(workers)], env=env,
                          capture_output=True, text=True, check=False)
    shutil.rmtree(output, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench {what} (workers={workers}) failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _corpus_bytes(corpus: str) -> int:
    return sum(os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(corpus) for name in names)


def _line(label: str, figures: dict[str, float], megabytes: float) -> str:
    articles, cpu, wall = figures["articles"], figures["cpu_s"], figures["wall_s"]
    return (f"{label:<14} {articles:>7.0f} articles  cpu {cpu:8.2f} s  wall {wall:8.2f} s  "
            f"{articles / cpu:8.1f} articles/cpu-s  {articles / wall:8.1f} articles/s  "
            f"{megabytes / wall:6.2f} MB/s  peak RSS {figures['rss_mb']:6.0f} MB"
            + (f" (workers {figures['worker_rss_mb']:.0f} MB)" if figures.get("worker_rss_mb") else ""))


def run_bench(articles: int, workers: int, repeat: int, workdir: str | None, seed: int = 0) -> dict[str, Any]:
    """Generate the corpus, measure floor and pipeline side by side `repeat` times, print and return the
    best figures (least CPU for CPU figures, least wall time for the speed-up)."""
    from pipeline.bench_corpus import LANGUAGES, make_sites, write_text_corpus

    scratch = workdir or tempfile.mkdtemp(prefix="newsetl-bench-")
    try:
        corpus = os.path.join(scratch, "corpus")
        languages_path = os.path.join(scratch, "languages.json")
        if not os.path.exists(languages_path):  # a kept workdir reuses its corpus (same seed and size)
            shutil.rmtree(corpus, ignore_errors=True)
            languages = write_text_corpus(corpus, articles, seed)
            with open(languages_path, "w", encoding="utf-8") as handle:
                json.dump(languages, handle)
        megabytes = _corpus_bytes(corpus) / 1e6
        print(f"corpus: {articles} articles, {megabytes:.1f} MB, {min(len(LANGUAGES), articles)} languages, "
              f"{min(len(make_sites(seed)), articles)} sites, in {corpus}", flush=True)
        labels = ["floor", "pipeline w1"] + ([f"pipeline w{workers}"] if workers > 1 else [])
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in labels}
        for round_number in range(repeat):
            order = labels if round_number % 2 == 0 else labels[::-1]
            for label in order:
                if label == "floor":
                    figures = _measure("floor", corpus, scratch)
                else:
                    figures = _measure("pipeline", corpus, scratch, int(label.removeprefix("pipeline w")))
                runs[label].append(figures)
                print(f"  round {round_number + 1}: " + _line(label, figures, megabytes), flush=True)
        best = {label: min(found, key=lambda f: f["cpu_s"]) for label, found in runs.items()}
        print("best of", repeat, "rounds (least CPU):")
        for label in labels:
            print("  " + _line(label, best[label], megabytes))
        result: dict[str, Any] = {"articles": articles, "megabytes": megabytes, "runs": runs, "best": best}
        if workers > 1:
            wall_1 = min(f["wall_s"] for f in runs["pipeline w1"])
            wall_k = min(f["wall_s"] for f in runs[f"pipeline w{workers}"])
            result["speedup"] = wall_1 / wall_k
            # On a shared machine wall time measures the neighbours too. What the run itself allows: the
            # pooled run's main process works while the workers wait (start-up, plan, site chrome,
            # publish), so its CPU is serial; the workers' CPU spreads over the cores (an even split assumed).
            single, pooled = best["pipeline w1"], best[f"pipeline w{workers}"]
            cores = min(workers, os.cpu_count() or 1)
            worker_cpu = pooled["cpu_s"] - pooled["main_cpu_s"]
            result["speedup_idle_estimate"] = single["cpu_s"] / (pooled["main_cpu_s"] + worker_cpu / cores)
            if "clean_cpu_s" in single:
                serial = single["cpu_s"] - single["ingest_cpu_s"] - single["clean_cpu_s"]
                print(f"stages, one worker: {serial:.2f} CPU-s serial (start-up, plan, site chrome, publish), "
                      f"{single['ingest_cpu_s']:.2f} ingest over {single['ingest_shards']:.0f} shard(s), "
                      f"{single['clean_cpu_s']:.2f} clean+detect")
            print(f"stages, {workers} workers: {pooled['main_cpu_s']:.2f} CPU-s in the main process (serial), "
                  f"{worker_cpu:.2f} in the workers")
            print(f"workers {workers} vs 1: {result['speedup']:.2f}x faster (best wall {wall_1:.2f} s vs "
                  f"{wall_k:.2f} s; CPU {single['cpu_s']:.2f} s vs {pooled['cpu_s']:.2f} s)"
                  + (f"; on {cores} idle cores the stages allow {result['speedup_idle_estimate']:.2f}x"
                     if "speedup_idle_estimate" in result else ""))
        floor_rate = best["floor"]["articles"] / best["floor"]["cpu_s"]
        pipeline_rate = best["pipeline w1"]["articles"] / best["pipeline w1"]["cpu_s"]
        result["ratio"] = pipeline_rate / floor_rate
        print(f"ratio to floor (pipeline / floor, articles per CPU-s, one worker): {result['ratio']:.3f} "
              f"({pipeline_rate:.1f} / {floor_rate:.1f})", flush=True)
        return result
    finally:
        if workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)


def add_parser(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser("bench", help="measure the pipeline against the I/O floor on a generated corpus")
    bench.add_argument("--articles", type=int, default=3000, help="pages in the generated corpus (default 3000)")
    bench.add_argument("--workers", type=int, default=1, help="also run the pipeline with this many workers")
    bench.add_argument("--repeat", type=int, default=1, help="rounds of floor and pipeline, side by side")
    bench.add_argument("--workdir", default=None,
                       help="keep the corpus here and reuse it in later runs (default: a temporary folder)")
    bench.add_argument("--seed", type=int, default=0, help="corpus seed (same seed and size, same bytes)")
    bench.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    run_bench(max(1, args.articles), max(1, args.workers), max(1, args.repeat), args.workdir, args.seed)
    return 0
