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
# What the cleaner reaches today, a little below the measured figures (aeb 0.927, multi 0.911; title
# 0.912, author 0.905, date 0.856): a change that loses quality fails here before anyone reads a report.
FLOORS = {"aeb": 0.92, "multi": 0.905}
METADATA_FLOORS = {"title": 0.90, "author": 0.89, "date": 0.85}
# Goals not reached yet are strict xfails: the day one is reached the test fails until its mark goes.
NOT_YET = pytest.mark.xfail(strict=True, reason="issue 3 goal not reached yet; see docs/extraction.md")

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval/dev is not there")


@pytest.fixture(scope="module")
def results() -> dict:
    return {name: evaluate(DEV / name) for name in GOALS}


def metadata_shares(result) -> dict[str, float]:
    return {name: ok / total for name, (ok, total) in result.metadata.items()}


@pytest.mark.parametrize("name", ["aeb", "multi"])
def test_body_f1_reaches_the_goal(results: dict, name: str) -> None:
    result = results[name]
    assert result.extracted == result.pages, "a page with an article got no body"
    assert result.body["f1"] >= GOALS[name], summary_lines(result)


@pytest.mark.parametrize("name", [pytest.param("title"), pytest.param("author"), pytest.param("date", marks=NOT_YET)])
def test_metadata_reaches_the_goal(results: dict, name: str) -> None:
    shares = metadata_shares(results["multi"])
    assert shares[name] >= METADATA_GOALS[name], shares


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_body_f1_does_not_fall_below_what_is_reached(results: dict, name: str) -> None:
    result = results[name]
    assert result.extracted == result.pages, "a page with an article got no body"
    assert result.body["f1"] >= FLOORS[name], summary_lines(result)


def test_metadata_does_not_fall_below_what_is_reached(results: dict) -> None:
    shares = metadata_shares(results["multi"])
    assert all(shares[name] >= floor for name, floor in METADATA_FLOORS.items()), shares


def test_cli_ends_with_a_three_line_summary_matching_the_shared_scorer(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "eval", str(DEV / "aeb")], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    last = done.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("aeb body [article_body] P=")
    assert last[1].startswith("aeb metadata:")
    assert last[2].startswith("aeb pages: 60 gold")
