"""`python -m pipeline state show|reset OUT`: inspect and reset the site-chrome statistics kept across runs.

OUT may be a local folder or an s3:// output root: on object storage the state files (one small Parquet file
per ingest date) are copied to a scratch folder, read or rewritten there, and what changed is written back.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Callable
from typing import TypeVar

from pipeline.config import RunConfig

Result = TypeVar("Result")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("state", help="inspect or reset the site-chrome statistics kept under OUT/state")
    actions = parser.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="per source: pages counted, dates, chrome blocks learned")
    show.add_argument("out", metavar="OUT", help="the output root given to `run --out` (a folder or s3://)")
    show.add_argument("--source", default=None, help="only this source")
    reset = actions.add_parser("reset", help="forget the statistics of every source, or of one")
    reset.add_argument("out", metavar="OUT", help="the output root given to `run --out` (a folder or s3://)")
    reset.add_argument("--source", default=None, help="forget only this source")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    if args.action == "show":
        return _show(args.out, args.source)
    from pipeline.clean import site_chrome  # pyarrow and the cleaning modules: only for this command

    removed = _on_state(args.out, lambda output: site_chrome.reset(output, source=args.source))
    what = f"source {args.source}" if args.source else "every source"
    print(f"{args.out}: forgot {what} ({removed} date files changed)", file=sys.stderr)
    return 0


def _show(output: str, source: str | None) -> int:
    from pipeline.clean import site_chrome

    # The window ends at the last date counted: what the next run of that date would use.
    rows = _on_state(output, lambda local: site_chrome.summarize(
        local, RunConfig.site_chrome_window_days, RunConfig.site_chrome_min_pages, RunConfig.site_chrome_min_share,
        source=source))
    if not rows:
        print(f"{output}: no site-chrome statistics" + (f" for {source}" if source else ""))
        return 0
    width = max(len("source"), *(len(row.source) for row in rows))
    print(f"{'source':{width}}  {'pages':>7}  {'dates':>5}  {'chrome blocks':>13}  last date")
    for row in rows:
        print(f"{row.source:{width}}  {row.pages:>7}  {row.dates:>5}  {row.chrome_blocks:>13}  {row.last_date}")
    return 0


def _on_state(output: str, action: Callable[[str], Result]) -> Result:
    """Run `action` on the output root's state: directly when local, on a scratch copy when remote, writing
    back the date files the action rewrote and deleting those it removed."""
    from pipeline import storage
    from pipeline.clean import site_chrome

    if not storage.is_remote(output):
        return action(output)
    remote_state = site_chrome.state_dir(output).replace(os.sep, "/")
    scratch = storage.scratch_dir()
    try:
        local_state = site_chrome.state_dir(scratch)
        os.makedirs(local_state, exist_ok=True)
        before: dict[str, str] = {}
        for url in storage.glob_files(remote_state, "ingest_date=*.parquet"):
            name = storage.basename(url)
            storage.download(url, os.path.join(local_state, name))
            before[name] = _digest(os.path.join(local_state, name))
        result = action(scratch)
        for name, digest in before.items():
            local = os.path.join(local_state, name)
            if not os.path.exists(local):
                storage.remove(storage.join(remote_state, name))
            elif _digest(local) != digest:
                storage.upload(local, storage.join(remote_state, name))
        return result
    finally:
        storage.remove_tree(scratch)


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
