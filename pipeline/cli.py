"""The command line: `python -m pipeline run INPUT... --out OUT [--date YYYY-MM-DD] [--workers N]`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence

from pipeline import bench, evaluate, state
from pipeline.config import RunConfig, today_utc


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest, clean, tag and publish one ingest date")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (read recursively)")
    run.add_argument("--out", required=True, help="output root: articles/, quarantine/, manifests/ go there")
    run.add_argument("--date", type=_date, default=None, help="ingest date partition (default: today, UTC)")
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--max-page-bytes", type=int, default=RunConfig.max_page_bytes,
                     help="pages larger than this are quarantined as too_large")
    run.add_argument("--max-docs-per-shard", type=int, default=RunConfig.max_docs_per_shard)
    summary = commands.add_parser("summary", help="print the summary of a published date from its manifest")
    summary.add_argument("output", metavar="OUT", help="output root of earlier runs")
    summary.add_argument("--date", type=_date, default=None, help="ingest date (default: today, UTC)")
    evaluate.add_parser(commands)
    state.add_parser(commands)
    bench.add_parser(commands)
    return parser


def _progress_printer() -> Callable[[str, int, int], None] | None:
    """A one-line progress display on a terminal; silent when output is piped or logged."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        end = "\n" if done == total else ""
        print(f"\r{stage:>8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} shards", end=end,
              file=sys.stderr, flush=True)

    return show


def summary_of(manifest: dict, output: str) -> str:
    """The few lines an operator reads after a run: counts, languages, reasons, where things are."""
    counts = manifest["counts"]
    languages = ", ".join(f"{k} {v}" for k, v in sorted(manifest["written_by_language"].items(),
                                                        key=lambda item: -item[1])[:8]) or "none"
    reasons = ", ".join(f"{k} {v}" for k, v in manifest["quarantined_by_reason"].items()) or "none"
    partition = f"ingest_date={manifest['ingest_date']}"
    return "\n".join([
        f"ingest date {manifest['ingest_date']}: {counts['documents_seen']} documents seen, "
        f"{counts['written']} written, {counts['quarantined']} quarantined, {counts['duplicates']} duplicates",
        f"  languages: {languages}",
        f"  quarantine reasons: {reasons}",
        f"  articles:   {os.path.join(output, 'articles', partition)}",
        f"  quarantine: {os.path.join(output, 'quarantine', partition)}",
        f"  manifest:   {os.path.join(output, 'manifests', partition + '.json')}",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Each command imports what it needs: pyarrow, the cleaning modules and the language model cost a
    # second of CPU that `summary` or `--help` should not pay.
    if args.command == "run":
        from pipeline.ingest.files import InputError
        from pipeline.run import OutputError, run_pipeline
        from pipeline.sink.publish import DateLocked

        config = RunConfig(
            inputs=tuple(args.inputs),
            output=args.out,
            ingest_date=args.date or today_utc(),
            workers=max(1, args.workers),
            max_page_bytes=args.max_page_bytes,
            max_docs_per_shard=args.max_docs_per_shard,
        )
        try:
            manifest = run_pipeline(config, progress=_progress_printer())
        except (InputError, OutputError, DateLocked) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(summary_of(manifest, config.output))
        return 0
    if args.command == "summary":
        from pipeline.run import read_manifest

        date = args.date or today_utc()
        try:
            manifest = read_manifest(args.output, date)
        except FileNotFoundError:
            print(f"error: no published run of {date} under {args.output}", file=sys.stderr)
            return 2
        print(summary_of(manifest, args.output))
        return 0
    if hasattr(args, "handler"):
        return args.handler(args)
    return 2
