"""Calls per second of stock seeded langdetect vs pipeline.langid, on 1,000-char and whole-article inputs.

Run from the repo root: `.venv/bin/python benchmarks/langid_bench.py [--every N]`.
Both detectors see the same texts; one-off costs (profile loading, compilation) are paid
before timing, since a batch job pays them once per process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.langid import detect_language  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "langid" / "article.jsonl"


def stock_detect(text: str) -> str:
    """What the pipeline used before: a fresh seeded Detector per text."""
    from langdetect.detector_factory import _factory

    detector = _factory.create()
    detector.append(text)
    return detector.get_probabilities()[0].lang


def calls_per_second(detect: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        detect(text)
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=5, help="use every Nth article (default 5: 204 texts)")
    args = parser.parse_args()

    DetectorFactory.seed = 0
    init_factory()
    start = time.perf_counter()
    detect_language("warm up the profiles and the compiled trials")
    print(f"pipeline.langid first call (load + compile): {time.perf_counter() - start:.2f} s")

    with ARTICLES.open(encoding="utf-8") as lines:
        articles = [json.loads(line)["text"] for line in lines][:: args.every]
    for label, texts in (("1,000 chars", [a[:1000] for a in articles]), ("whole article", articles)):
        mean_chars = sum(map(len, texts)) / len(texts)
        stock = calls_per_second(stock_detect, texts)
        ours = calls_per_second(detect_language, texts)
        print(
            f"{label:>13} ({len(texts)} texts, mean {mean_chars:,.0f} chars): "
            f"langdetect {stock:8.1f} calls/s, langid {ours:8.1f} calls/s, speed-up {ours / stock:5.1f}x"
        )


if __name__ == "__main__":
    main()
