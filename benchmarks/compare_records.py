"""Equivalence harness: every record the pipeline writes, as canonical JSON lines, to diff two versions.

A speed change to cleaning must not change a single record. This runs the real pipeline (`run_pipeline`,
what `python -m pipeline run` does) on each input with a fixed ingest date, then writes all article and
quarantine records, every field, one JSON object per line with sorted keys, sorted, to
`OUT/<input name>.jsonl`, with the site-chrome state rows (block fingerprints and their page
counts), which a change to block fingerprints would alter. Quarantined raw bytes are written as
their blake2b digest (the raw page is in the input). Gold folders (`<id>.txt` + `<id>.json`) go in
as `pipeline eval` feeds them: the text and its URL, nothing of the gold.

    .venv/bin/python benchmarks/compare_records.py --out /tmp/pc/base ../shared/eval/dev/aeb sample ...
    .venv/bin/python benchmarks/compare_records.py --out /tmp/pc/new --compare /tmp/pc/base INPUT...

With `--compare`, each input's lines are diffed against the baseline's and the first differences are
shown; the exit status is 1 when any record differs. Each input's clean + detect stage CPU time is
printed too (this process's, one worker), as a rough figure for the cleaning work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import RunConfig  # noqa: E402
from pipeline.evaluate import read_gold, write_inputs  # noqa: E402
from pipeline.run import run_pipeline  # noqa: E402

# Fixed, so that two runs of the harness never differ by the clock.
INGEST_DATE = dt.date(2000, 1, 1)
# How many differing lines are shown per input.
SHOWN_DIFFERENCES = 5


def _canonical(value: Any) -> Any:
    """A JSON-ready form of a Parquet value: datetimes in ISO form, bytes as a digest, maps as dicts."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "blake2b:" + hashlib.blake2b(value, digest_size=16).hexdigest()
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) and len(item) == 2 for item in value):
            return {str(key): _canonical(item) for key, item in value}  # a Parquet map read as pairs
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, float):
        return repr(value)
    return value


def _read_records(output: Path) -> list[str]:
    """Every article, quarantine and site-chrome state row of the run, canonical JSON, sorted (partition
    columns included)."""
    import pyarrow.dataset as ds

    lines = []
    for kind in ("articles", "quarantine", "state"):
        folder = output / kind
        if not folder.is_dir():
            continue
        table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
        for row in table.to_pylist():
            record = {key: _canonical(value) for key, value in row.items()}
            record["kind"] = kind
            lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    return sorted(lines)


def _prepared_input(path: Path, scratch: Path) -> Path:
    """The folder the pipeline reads: a gold folder rewritten as `pipeline eval` does, else the path."""
    if path.is_dir() and any(path.glob("*.json")) and any(path.glob("*.txt")):
        folder = scratch / f"in-{path.name}"
        folder.mkdir()
        write_inputs(path, read_gold(path), folder)
        return folder
    return path


def run_one(path: Path, scratch: Path) -> tuple[list[str], float]:
    """The records of one pipeline run on `path`, and the CPU seconds of its clean + detect stage."""
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if done == total:
            marks[stage] = time.process_time()

    output = scratch / f"out-{path.name}"
    run_pipeline(RunConfig(inputs=(str(_prepared_input(path, scratch)),), output=str(output),
                           ingest_date=INGEST_DATE), progress=progress)
    clean_cpu = marks.get("clean", 0.0) - marks.get("ingest", 0.0)
    return _read_records(output), clean_cpu


def compare(name: str, lines: list[str], baseline: Path) -> int:
    """Differing records between this run and the baseline's file; prints the first few."""
    expected_path = baseline / f"{name}.jsonl"
    if not expected_path.is_file():
        print(f"{name}: no baseline file {expected_path}")
        return 1
    expected = expected_path.read_text(encoding="utf-8").splitlines()
    only_new = sorted((Counter(lines) - Counter(expected)).elements())
    only_old = sorted((Counter(expected) - Counter(lines)).elements())
    for label, found in (("baseline only", only_old), ("new only", only_new)):
        for line in found[:SHOWN_DIFFERENCES]:
            print(f"  {label}: {line[:600]}")
    count = max(len(only_new), len(only_old))
    print(f"{name}: {len(lines)} records, {count} differing from the baseline ({len(expected)} records)")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="input files or folders (gold folders too)")
    parser.add_argument("--out", type=Path, required=True, help="folder for <input name>.jsonl")
    parser.add_argument("--compare", type=Path, help="a baseline --out folder to diff against")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    differing = 0
    names = [path.resolve().name for path in args.inputs]
    if len(set(names)) != len(names):
        parser.error("inputs must have distinct folder or file names")
    for path, name in zip(args.inputs, names, strict=True):
        with tempfile.TemporaryDirectory(prefix="compare-records-") as scratch:
            lines, clean_cpu = run_one(path.resolve(), Path(scratch))
        (args.out / f"{name}.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"{name}: {len(lines)} records, clean+detect stage {clean_cpu:.2f} CPU-s", flush=True)
        if args.compare is not None:
            differing += compare(name, lines, args.compare)
    if args.compare is not None:
        print(f"total: {differing} differing records")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
