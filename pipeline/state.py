"""`python -m pipeline state show|reset OUT`: inspect and reset the site-chrome statistics kept across runs."""

from __future__ import annotations

import argparse
import sys

from pipeline.config import RunConfig


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("state", help="inspect or reset the site-chrome statistics kept under OUT/state")
    actions = parser.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="per source: pages counted, dates, chrome blocks learned")
    show.add_argument("out", metavar="OUT", help="the output root given to `run --out`")
    show.add_argument("--source", default=None, help="only this source")
    reset = actions.add_parser("reset", help="forget the statistics of every source, or of one")
    reset.add_argument("out", metavar="OUT", help="the output root given to `run --out`")
    reset.add_argument("--source", default=None, help="forget only this source")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    from pipeline.clean import site_chrome  # pyarrow and the cleaning modules: only for this command

    if args.action == "show":
        # The window ends at the last date counted: what the next run of that date would use.
        rows = site_chrome.summarize(args.out, RunConfig.site_chrome_window_days, RunConfig.site_chrome_min_pages,
                                     RunConfig.site_chrome_min_share, source=args.source)
        if not rows:
            print(f"{args.out}: no site-chrome statistics" + (f" for {args.source}" if args.source else ""))
            return 0
        width = max(len("source"), *(len(row.source) for row in rows))
        print(f"{'source':{width}}  {'pages':>7}  {'dates':>5}  {'chrome blocks':>13}  last date")
        for row in rows:
            print(f"{row.source:{width}}  {row.pages:>7}  {row.dates:>5}  {row.chrome_blocks:>13}  {row.last_date}")
        return 0
    removed = site_chrome.reset(args.out, source=args.source)
    what = f"source {args.source}" if args.source else "every source"
    print(f"{args.out}: forgot {what} ({removed} date files changed)", file=sys.stderr)
    return 0
