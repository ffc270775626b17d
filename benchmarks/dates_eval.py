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
from pipeline.clean.dates import _build, _hits, _langs, _url_date, find_dateline

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


def written_in_page(gold: str, blocks: list[str], lang: str | None, url: str | None) -> bool:
    """Whether any date span of any block (or the URL) reads as the gold day, in either order.

    Tells misses we could fix from misses no parser could: a gold date the page never shows.
    """
    try:
        want = dt.date.fromisoformat(gold[:10])
    except ValueError:
        return False
    days = []
    u = _url_date(url)
    if u:
        days.append(u.date())
    langs = _langs([lang] if lang else None)
    for text in blocks:
        for hit in _hits(text, langs):
            for mdy in (False, True):
                built = _build(text, hit, mdy)
                if built:
                    days.append(built[0].date())
    return any(abs((d - want).days) <= 1 for d in days)


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT_DIR
    pages_in: list[tuple[dict, list[str]]] = []
    for path in sorted(root.glob("*.json")):
        txt = path.with_suffix(".txt")
        if txt.exists():
            gold = json.loads(path.read_text(encoding="utf-8"))
            pages_in.append((gold, blocks_of(txt.read_text(encoding="utf-8"))))
    timings = []
    for _ in range(2):  # pass 1 pays imports and per-language regex builds; pass 2 is steady state
        t0 = time.perf_counter()
        lines = [find_dateline(b, [g["lang"]] if g.get("lang") else None, g.get("url")) for g, b in pages_in]
        timings.append(time.perf_counter() - t0)
    n = ok = exact = bad_gold = reachable = 0
    pages = len(pages_in)
    misses = []
    for (gold, blocks), line in zip(pages_in, lines, strict=True):
        if not gold.get("date"):
            continue
        n += 1
        shown = written_in_page(gold["date"], blocks, gold.get("lang"), gold.get("url"))
        reachable += shown
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
            tag = "" if shown else "  (gold day not written in page/URL)"
            misses.append(f"{gold['id']} {gold.get('lang')} gold={gold['date']} got={got} {where}{tag}")
    print(f"pages={pages} with_gold_date={n} unparseable_gold={bad_gold}")
    print(f"date share (metadata_score, +-1 day) = {ok}/{n} = {ok / max(n, 1):.3f}")
    print(f"date share (exact day)               = {exact}/{n} = {exact / max(n, 1):.3f}")
    print(f"pages whose gold day is written somewhere (page or URL) = {reachable}; "
          f"share among them = {ok}/{reachable} = {ok / max(reachable, 1):.3f}")
    cold, warm = (1000 * t / max(pages, 1) for t in timings)
    print(f"ms per page = {warm:.2f} steady state, {cold:.2f} first pass incl. import/setup ({pages} pages)")
    if not quiet:
        print("misses:")
        for m in misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
