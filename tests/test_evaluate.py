"""`eval` on both dev sets: the issue's goal figures, and agreement with the shared scorer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, summary_lines

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev"
GOALS = {"aeb": 0.92, "multi": 0.90}
METADATA_GOALS = {"title": 0.90, "author": 0.80, "date": 0.90}

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval/dev is not there")


@pytest.mark.parametrize("name", sorted(GOALS))
def test_body_f1_reaches_the_goal(name: str) -> None:
    result = evaluate(DEV / name)
    assert result.extracted == result.pages, "a page with an article got no body"
    assert result.body["f1"] >= GOALS[name], summary_lines(result)


def test_metadata_reaches_the_goal() -> None:
    result = evaluate(DEV / "multi")
    shares = {name: ok / total for name, (ok, total) in result.metadata.items()}
    assert all(shares[name] >= goal for name, goal in METADATA_GOALS.items()), shares


def test_cli_ends_with_a_three_line_summary_matching_the_shared_scorer(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "eval", str(DEV / "aeb")], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    last = done.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("aeb body [article_body] P=")
    assert last[1].startswith("aeb metadata:")
    assert last[2].startswith("aeb pages: 60 gold")
