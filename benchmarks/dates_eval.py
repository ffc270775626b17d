"""Date share of find_dateline on the multi dev set, scored like eval/metadata_score.py.

    python benchmarks/dates_eval.py [DEV_DIR] [--quiet]

Prints the share of pages with a gold date whose found date matches (the official
rule: same day or one day off, since UTC conversion can shift it), the exact-day
share, the ms per page, and every miss with the chosen block.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.clean.dates import find_dateline  # noqa: E402

DEFAULT_DIR = Path("/work/shared/eval/dev/multi")


def blocks_of(text: str) -> list[str]:
    """The dump's paragraphs: blank-line separated, whitespace collapsed."""
    return [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]


def date_ok(gold: str, got: str | None, slack: int) -> bool:
    """metadata_score.date_ok with a configurable slack (1 there; 0 for exact)."""
    if not got:
        return False
    try:
        g = dt.date.fromisoformat(gold[:10])
        d = dt.date.fromisoformat(got.replace("T", " ")[:10])
    except ValueError:
        return False
    return abs((d - g).days) <= slack


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT_DIR
    find_dateline(["Monday 10 January 2022 00:19 EST"], ["en"])  # warm caches outside the timing
    n = ok = exact = pages = 0
    bad_gold = 0
    elapsed = 0.0
    misses = []
    for path in sorted(root.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        txt = path.with_suffix(".txt")
        if not txt.exists():
            continue
        blocks = blocks_of(txt.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        line = find_dateline(blocks, [gold["lang"]] if gold.get("lang") else None, gold.get("url"))
        elapsed += time.perf_counter() - t0
        pages += 1
        if not gold.get("date"):
            continue
        n += 1
        got = line.published_at.isoformat() if line else None
        try:
            dt.date.fromisoformat(gold["date"][:10])
        except ValueError:
            bad_gold += 1
        if date_ok(gold["date"], got, 1):
            ok += 1
            exact += date_ok(gold["date"], got, 0)
        else:
            where = f"[{line.index}] {line.as_written!r}" if line else "None"
            misses.append(f"{gold['id']} {gold.get('lang')} gold={gold['date']} got={got} {where}")
    print(f"pages={pages} with_gold_date={n} unparseable_gold={bad_gold}")
    print(f"date share (metadata_score, +-1 day) = {ok}/{n} = {ok / max(n, 1):.3f}")
    print(f"date share (exact day)               = {exact}/{n} = {exact / max(n, 1):.3f}")
    print(f"ms per page = {1000 * elapsed / max(pages, 1):.2f} (over {pages} pages, caches warm)")
    if not quiet:
        print("misses:")
        for m in misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
