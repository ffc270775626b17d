"""`extract_article` with the compiled stop-word count and without it (the Python count), in one process.

    .venv/bin/python benchmarks/word_counts_ab.py /tmp/clean4/cap_c1000.pkl --rounds 10

Replays a capture of `benchmarks/extract_replay.py` (the pages `extract_article` received in a real run),
alternating the two counts round by round in one warm process, so that the machine's load, which moves
separate runs by more than the change, weighs on both alike. Checks first that both give the same results.
Needs the compiled count (`python -m pipeline.langid_build`).
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    from pipeline.clean import word_counts
    from pipeline.clean.extract import extract_article

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("captured", type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    built = word_counts._kernels()
    if built is None:
        print("the compiled count is not built: python -m pipeline.langid_build")
        return 2
    with open(args.captured, "rb") as handle:
        calls, models = pickle.load(handle)

    def use(compiled: bool) -> None:
        word_counts._kernels = (lambda: built) if compiled else (lambda: None)  # type: ignore[assignment]

    def replay() -> list:
        return [extract_article(page, models[key], words) for page, key, words in calls]

    use(True)
    compiled_results = replay()
    use(False)
    if replay() != compiled_results:
        print("the two counts give different results")
        return 1
    cpu: dict[str, list[float]] = {"python": [], "compiled": []}
    for number in range(args.rounds):
        for name in ("python", "compiled") if number % 2 == 0 else ("compiled", "python"):
            use(name == "compiled")
            gc.collect()
            start = time.process_time()
            replay()
            cpu[name].append(time.process_time() - start)
    for name, passes in cpu.items():
        print(f"{name:9s} CPU " + " ".join(f"{seconds:.3f}" for seconds in passes) + f" s; ms a page: least "
              f"{min(passes) * 1000 / len(calls):.3f}, median {statistics.median(passes) * 1000 / len(calls):.3f}")
    faster = sum(b < a for a, b in zip(cpu["python"], cpu["compiled"], strict=True))
    print(f"compiled faster in {faster} of {args.rounds} rounds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
