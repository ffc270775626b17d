"""Inclusive share of a run's samples per function, from a py-spy raw profile: where the time goes.

    py-spy record -r 200 -f raw -o PROFILE -- .venv/bin/python -m pipeline run CORPUS --out OUT --date 2000-01-01
    .venv/bin/python benchmarks/pyspy_shares.py PROFILE [--top 30]

py-spy samples the running process without slowing its calls (cProfile's cost per call makes the many
small per-block calls look far dearer than they are). A function's share counts every sample with it
anywhere on the stack, once per sample; only the project's own functions are listed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

_FRAME = re.compile(r"(?P<name>\S+) \((?P<path>[^:]*):\d+\)")


def shares(lines: list[str]) -> tuple[Counter, int]:
    """Samples per (module, function), inclusive, and the samples in all."""
    found: Counter = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        functions = set()
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            if match and "/pipeline/" in f"/{match['path']}":
                module = match["path"].rsplit("/pipeline/", 1)[-1].removesuffix(".py").replace("/", ".")
                functions.add(f"{module.removeprefix('pipeline.')}.{match['name']}")
        for function in functions:
            found[function] += int(count)
    return found, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", help="py-spy record -f raw output")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    with open(args.profile, encoding="utf-8") as handle:
        found, total = shares(handle.readlines())
    print(f"{total} samples")
    for function, count in found.most_common(args.top):
        print(f"{100 * count / max(total, 1):6.1f}%  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
