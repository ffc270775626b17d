"""Replay the cleaning of real runs in one process: CPU of `extract_article` alone, and its results compared.

A whole run's CPU on this shared machine moves by more than a cleaning change saves; `extract_article` on
the same inputs, in one warm process, passes repeated, moves far less. `capture` runs the pipeline on each
input (as `compare_records.py` does, gold folders fed as `pipeline eval` feeds them) and pickles every
(page, site-chrome model, minimum words) that `extract_article` receives; `time` replays them.

    .venv/bin/python benchmarks/extract_replay.py capture /tmp/x/dev.pkl ../shared/eval/dev/aeb ../shared/eval/dev/multi
    .venv/bin/python benchmarks/extract_replay.py time /tmp/x/dev.pkl --save /tmp/x/dev-results.pkl   # baseline
    .venv/bin/python benchmarks/extract_replay.py time /tmp/x/dev.pkl --compare /tmp/x/dev-results.pkl

`time` prints the CPU seconds of each pass (after one warm-up pass) and the least per page; with `--compare`,
how many results (articles or rejections, every field) differ from the saved ones. Alternate checkouts when
comparing versions: the machine's load moves single runs by 10-20%.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def capture(output: Path, inputs: list[Path]) -> int:
    import compare_records

    import pipeline.clean.extract as run  # pipeline.run imports extract_article from it at each shard

    calls: list[tuple] = []
    models: dict[int, object] = {}
    extract = run.extract_article

    def recorded(page, model, min_body_words=20):  # noqa: ANN001, ANN202 - the pipeline's own call, passed on
        models.setdefault(id(model), model)
        calls.append((page, id(model), min_body_words))
        return extract(page, model, min_body_words)

    run.extract_article = recorded
    try:
        for path in inputs:
            with tempfile.TemporaryDirectory() as scratch:
                compare_records.run_one(path, Path(scratch))
    finally:
        run.extract_article = extract
    with open(output, "wb") as handle:
        pickle.dump((calls, models), handle)
    print(f"{len(calls)} pages, {len(models)} site-chrome models -> {output}")
    return 0


def replay(captured: Path, repeat: int, save: Path | None, compare: Path | None) -> int:
    from pipeline.clean.extract import extract_article

    with open(captured, "rb") as handle:
        calls, models = pickle.load(handle)
    results = [extract_article(page, models[key], words) for page, key, words in calls]  # warm-up
    passes = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        for page, key, words in calls:
            extract_article(page, models[key], words)
        passes.append(time.process_time() - start)
    print(f"{len(calls)} pages: CPU " + " ".join(f"{cpu:.3f}" for cpu in passes) +
          f" s; least {min(passes) * 1000 / max(len(calls), 1):.3f} ms a page")
    if save:
        with open(save, "wb") as handle:
            pickle.dump(results, handle)
    if compare:
        with open(compare, "rb") as handle:
            expected = pickle.load(handle)
        differing = [i for i, (got, want) in enumerate(zip(results, expected, strict=True)) if got != want]
        print(f"{len(differing)} of {len(expected)} results differ" + (f": {differing[:10]}" if differing else ""))
        return 1 if differing else 0
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("capture", help="run the pipeline on inputs, keep what extract_article receives")
    take.add_argument("output", type=Path)
    take.add_argument("inputs", nargs="+", type=Path)
    play = commands.add_parser("time", help="replay captured pages through extract_article")
    play.add_argument("captured", type=Path)
    play.add_argument("--repeat", type=int, default=3)
    play.add_argument("--save", type=Path, help="keep the results, as a baseline")
    play.add_argument("--compare", type=Path, help="a --save file to compare the results with")
    args = parser.parse_args(argv)
    if args.command == "capture":
        return capture(args.output, args.inputs)
    return replay(args.captured, args.repeat, args.save, args.compare)


if __name__ == "__main__":
    sys.exit(main())
