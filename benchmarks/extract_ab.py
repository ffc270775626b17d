"""`extract_article` of another checkout against this one's, in one process, alternated round by round.

    .venv/bin/python benchmarks/extract_ab.py /path/to/base-checkout CAPTURE [--rounds 8]

Separate runs on this shared machine move by 20% with its load; passes alternated in one warm process
see the same load. The other checkout's `pipeline` package is copied into a scratch folder as
`pipeline_base` (its imports rewritten; its built kernels copied along), both replay the capture of
`benchmarks/extract_replay.py`, and their results are compared field by field first.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib
import pickle
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_PACKAGE = re.compile(r"\bpipeline(?=[.\"' ])(?!_)")


def load_base(checkout: Path, scratch: Path):  # noqa: ANN201 - the other checkout's extract_article
    target = scratch / "pipeline_base"
    shutil.copytree(checkout / "pipeline", target, ignore=shutil.ignore_patterns("__pycache__"))
    for source in target.rglob("*.py"):
        source.write_text(_PACKAGE.sub("pipeline_base", source.read_text()))
    sys.path.insert(0, str(scratch))
    # The rewritten sources no longer hash to the names of the checkout's kernel builds: name them as built.
    for module, prefix in (("clean.word_counts", "_words_aot_"), ("langid", "_langid_aot_")):
        builds = sorted(target.glob(f"{prefix}*.so"))
        loaded = importlib.import_module(f"pipeline_base.{module}")
        if builds:
            built = builds[0].name.split(".")[0]
            loaded.aot_module_name = lambda built=built: built
            loaded._kernels.cache_clear()
        print(f"base {module.rsplit('.', 1)[-1]}: {loaded._kernels().__name__ if loaded._kernels() else 'Python'}")
    return importlib.import_module("pipeline_base.clean.extract").extract_article


# A cache this large holds blocks (evidence, fingerprints, stems); smaller ones hold per-language tables.
_BLOCK_CACHE_SIZE = 1024


def _forget_blocks(package: str) -> None:
    """Empty the package's caches of blocks, keeping what a process builds once (tables, per-language lists)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(f"{package}.clean."):
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            if info is not None and (info().maxsize or 0) >= _BLOCK_CACHE_SIZE:
                value.cache_clear()


def _interleaved(versions: dict, calls: list, models: dict, chunk: int, cold: bool,
                 cpu: dict[str, list[float]]) -> None:
    """One round, the versions alternated every `chunk` pages (base first, then this first): the load of the
    machine, which moves a pass by 20-40% here, falls on both alike. `cold` empties the block caches once."""
    if cold:
        for package in ("pipeline_base", "pipeline"):
            _forget_blocks(package)
    gc.collect()
    spent = dict.fromkeys(versions, 0.0)
    order = list(versions.items())
    for number, first in enumerate(range(0, len(calls), chunk)):
        part = calls[first:first + chunk]
        for name, run in order if number % 2 == 0 else order[::-1]:
            start = time.process_time()
            for page, key, words in part:
                run(page, models[key], words)
            spent[name] += time.process_time() - start
    for name, seconds in spent.items():
        cpu[name].append(seconds * 1000 / len(calls))


def _fields(result: object) -> tuple:
    return type(result).__name__, dataclasses.asdict(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="a checkout whose pipeline package is the baseline")
    parser.add_argument("captured", type=Path)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--cold", action="store_true",
                        help="empty the caches of blocks before each pass: a run sees each page once, a replay's "
                             "later passes would find every block remembered")
    parser.add_argument("--chunk", type=int, default=0,
                        help="alternate the versions every CHUNK pages within a round (which goes first alternating "
                             "too), so that both see the same moments of a loaded machine")
    args = parser.parse_args(argv)
    from pipeline.clean.extract import extract_article

    with open(args.captured, "rb") as handle:
        calls, models = pickle.load(handle)
    with tempfile.TemporaryDirectory() as scratch:
        versions = {"base": load_base(args.base, Path(scratch)), "this": extract_article}
        results = {name: [_fields(run(page, models[key], words)) for page, key, words in calls]
                   for name, run in versions.items()}
        differing = sum(a != b for a, b in zip(results["base"], results["this"], strict=True))
        print(f"{differing} of {len(calls)} results differ")
        cpu: dict[str, list[float]] = {name: [] for name in versions}
        for _ in range(args.rounds):
            if args.chunk:
                _interleaved(versions, calls, models, args.chunk, args.cold, cpu)
                continue
            for name, run in versions.items():
                if args.cold:
                    _forget_blocks("pipeline_base" if name == "base" else "pipeline")
                gc.collect()
                start = time.process_time()
                for page, key, words in calls:
                    run(page, models[key], words)
                cpu[name].append((time.process_time() - start) * 1000 / len(calls))
    for name, values in cpu.items():
        print(f"{name}: ms a page, median {statistics.median(values):.3f}, least {min(values):.3f}; "
              + " ".join(f"{value:.3f}" for value in values))
    faster = sum(this < base for base, this in zip(cpu["base"], cpu["this"], strict=True))
    change = statistics.median(cpu["this"]) / statistics.median(cpu["base"]) - 1
    print(f"this faster in {faster} of {args.rounds} rounds; medians {change:+.1%}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
