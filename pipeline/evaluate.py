"""`python -m pipeline eval GOLD_DIR`: run the real pipeline on a gold folder and score what it extracts.

Each gold page goes in as a scraper would hand it over: its text dump and its URL, nothing of the gold
labels. Bodies are scored with the shared scorer's own functions (imported by path, so the figures are
the ones `score.py` prints), metadata with the shared metadata scorer. The last three lines printed are
a compact summary, for hooks that read `| tail -n 3`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

SCORER_NAME = "score.py"
METADATA_SCORER_NAME = "metadata_score.py"
# The ingest date of an evaluation run: fixed, so a run never depends on the clock.
EVAL_DATE = dt.date(2000, 1, 1)


@dataclass
class EvalResult:
    """What one evaluation run measured; `per_page` keeps each page's figures for a closer look."""

    gold_dir: str
    pages: int
    extracted: int
    seconds: float
    body: dict[str, Any] = field(default_factory=dict)
    body_kind: str = ""
    metadata: dict[str, tuple[int, int]] = field(default_factory=dict)
    per_page: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_scorer(gold_dir: Path, name: str) -> Path:
    """The shared scorer `name`: in a folder holding the gold folder, else in ../shared/eval of the repo."""
    for folder in [gold_dir.resolve(), *gold_dir.resolve().parents]:
        if (folder / name).is_file():
            return folder / name
    fallback = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / name
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(f"{gold_dir}: no {name} in this folder or any folder above it, nor in {fallback}")


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_newsetl_eval_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    gold = {}
    for path in sorted(gold_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        gold[str(record.get("id", path.stem))] = record
    if not gold:
        raise FileNotFoundError(f"{gold_dir}: no gold .json files")
    return gold


def write_inputs(gold_dir: Path, gold: dict[str, dict[str, Any]], folder: Path) -> None:
    """The pages as a scraper's JSONL (id, url, text); a page without a URL gets a folder of its own,
    so that unrelated URL-less pages are not taken for one site."""
    with open(folder / "pages.jsonl", "w", encoding="utf-8") as handle:
        for page_id, record in gold.items():
            text_path = gold_dir / f"{page_id}.txt"
            if not text_path.is_file():
                continue
            text = text_path.read_text(encoding="utf-8")
            if record.get("url"):
                handle.write(json.dumps({"id": page_id, "url": record["url"], "text": text}, ensure_ascii=False))
                handle.write("\n")
            else:
                own = folder / f"site-{page_id}"
                own.mkdir()
                (own / f"{page_id}.txt").write_text(text, encoding="utf-8")


def extract_records(inputs: Path, output: Path) -> dict[str, dict[str, Any]]:
    """Run the pipeline as the CLI does and read back its articles, keyed by page id."""
    import pyarrow.dataset as ds

    from pipeline.config import RunConfig
    from pipeline.run import run_pipeline

    run_pipeline(RunConfig(inputs=(str(inputs),), output=str(output), ingest_date=EVAL_DATE))
    table = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table()
    records = {}
    for row in table.to_pylist():
        doc_id = row["doc_id"]
        if doc_id.endswith(".txt"):  # a URL-less page read from its own folder
            doc_id = os.path.basename(doc_id).removesuffix(".txt")
        records[doc_id] = row
    return records


def evaluate(gold_dir: str | Path) -> EvalResult:
    gold_dir = Path(gold_dir)
    scorer = load_module(find_scorer(gold_dir, SCORER_NAME))
    metadata_scorer = load_module(find_scorer(gold_dir, METADATA_SCORER_NAME))
    gold = read_gold(gold_dir)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsetl-eval-") as temporary:
        inputs, output = Path(temporary, "in"), Path(temporary, "out")
        inputs.mkdir()
        write_inputs(gold_dir, gold, inputs)
        records = extract_records(inputs, output)
        seconds = time.perf_counter() - started
        predictions = Path(temporary, "pred")
        predictions.mkdir()
        for page_id, record in records.items():
            (predictions / f"{page_id}.txt").write_text(record["body"] or "", encoding="utf-8")
        scores = scorer.evaluate(gold_dir, predictions)
    result = EvalResult(str(gold_dir), len(gold), len(records), seconds)
    kind = "article_body" if "article_body" in scores else "snippets" if "snippets" in scores else ""
    if kind:
        result.body_kind = kind
        result.body = {k: scores[kind][k] for k in ("precision", "recall", "f1", "accuracy", "n")}
        for page_id, figures in scores[kind]["per_doc"].items():
            result.per_page[page_id] = {"body": figures}
    counts: dict[str, list[int]] = {}
    for page_id, record in gold.items():
        found = records.get(page_id, {})
        got = {"title": found.get("title"), "authors": found.get("authors") or [],
               "published_at": found.get("published_at").isoformat() if found.get("published_at") else None}
        verdicts = metadata_scorer.score(record, got)
        for name, ok in verdicts.items():
            counts.setdefault(name, [0, 0])
            counts[name][0] += bool(ok)
            counts[name][1] += 1
        result.per_page.setdefault(page_id, {})["metadata"] = {"verdicts": verdicts, "got": got}
    result.metadata = {name: (ok, total) for name, (ok, total) in counts.items()}
    return result


def summary_lines(result: EvalResult) -> list[str]:
    """The three closing lines: body figures, metadata shares, run size and time."""
    name = Path(result.gold_dir).name
    if result.body:
        body = (f"{name} body [{result.body_kind}] P={result.body['precision']:.3f} R={result.body['recall']:.3f} "
                f"F1={result.body['f1']:.3f} n={result.body['n']}")
    else:
        body = f"{name} body: no body gold"
    shares = [f"{field_name} {ok / total:.3f} ({ok}/{total})"
              for field_name in ("title", "author", "date") if field_name in result.metadata
              for ok, total in [result.metadata[field_name]]]
    metadata = f"{name} metadata: " + (", ".join(shares) if shares else "no metadata gold")
    run = (f"{name} pages: {result.pages} gold, {result.extracted} with an article, "
           f"{result.pages - result.extracted} without; {result.seconds:.1f} s")
    return [body, metadata, run]


def detail_lines(result: EvalResult) -> list[str]:
    """One line per page with its body figures and missed metadata, worst first."""
    lines = []

    def badness(item: tuple[str, dict[str, Any]]) -> float:
        body = item[1].get("body")
        if isinstance(body, dict):
            return min(body["precision"], body["recall"])
        if isinstance(body, (tuple, list)):
            tp, fp, fn, _ = body
            return -(fp + fn)
        return 0.0

    for page_id, figures in sorted(result.per_page.items(), key=badness):
        body = figures.get("body")
        if isinstance(body, dict):
            text = f"P={body['precision']:.2f} R={body['recall']:.2f}"
        elif body is not None:
            text = f"tp={body[0]} fp={body[1]} fn={body[2]}"
        else:
            text = ""
        missed = [k for k, ok in figures.get("metadata", {}).get("verdicts", {}).items() if not ok]
        lines.append(f"  {page_id[:24]:24} {text} {'missed: ' + ','.join(missed) if missed else ''}".rstrip())
    return lines


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("eval", help="run the pipeline on a gold folder and score bodies and metadata")
    parser.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of <id>.txt dumps and <id>.json gold labels")
    parser.add_argument("--pages", action="store_true", help="also print each page's figures, worst first")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    try:
        result = evaluate(args.gold_dir)
    except (FileNotFoundError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.pages:
        print("\n".join(detail_lines(result)))
    if result.body:
        b = result.body
        print(f"body precision {b['precision']:.4f}  recall {b['recall']:.4f}  F1 {b['f1']:.4f}  "
              f"accuracy {b['accuracy']:.4f}  ({result.body_kind}, {b['n']} pages)")
    print("\n".join(summary_lines(result)))
    return 0
