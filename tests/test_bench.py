"""`python -m pipeline bench` runs end to end on a tiny corpus and prints every figure; it measures nothing here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.bench_corpus import LANGUAGES, generate

ROOT = Path(__file__).resolve().parents[1]


def test_bench_command_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "bench", "--articles", "30", "--workers", "2",
                           "--workdir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    text = done.stdout
    for field in ("floor", "pipeline w1", "pipeline w2", "articles/cpu-s", "articles/s", "MB/s", "cpu", "peak RSS",
                  "workers 2 vs 1"):
        assert field in text, field
    assert lines[-1].startswith("ratio to floor"), lines[-1]


def test_corpus_is_deterministic_multilingual_and_sized() -> None:
    first = [page.text for page in generate(60)]
    assert first == [page.text for page in generate(60)]
    pages = list(generate(60))
    assert {page.site.language for page in pages} >= set(LANGUAGES[:8])
    assert all(3_000 <= len(page.text.encode("utf-8")) <= 8_000 for page in pages)
