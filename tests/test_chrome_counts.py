"""The shards' block counts merged a slice at a time are those merged at once."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import chrome_counts
from pipeline.clean import site_chrome

ORDER = [("source", "ascending"), ("fingerprint", "ascending")]


def _counts(rng: random.Random, sources: list[str], rows: int, sign: int = 1) -> pa.Table:
    """Block counts as a shard writes them: a page-count row per source (site0 small, the others big), blocks
    seen on one page in this shard only (single sightings), then blocks that shards share."""
    records = [{"source": source, "fingerprint": site_chrome.PAGE_COUNT_KEY,
                "pages": sign * (1 if source == "site0.example" else site_chrome.SMALL_SITE_PAGES)}
               for source in sources]
    records += [{"source": source, "fingerprint": rng.randint(10**6, 10**12), "pages": sign} for source in sources]
    records += [{"source": rng.choice(sources), "fingerprint": rng.randint(1, 120) * 7919,
                 "pages": sign * rng.randint(1, 3)} for _ in range(rows)]
    return pa.Table.from_pylist(records, schema=site_chrome.COUNTS_SCHEMA)


@pytest.mark.parametrize("rows_per_slice", [10, 100, 10_000])
def test_merged_in_slices_equals_merged_at_once(tmp_path: Path, monkeypatch, rows_per_slice: int) -> None:
    rng = random.Random(rows_per_slice)
    sources = [f"site{n}.example" for n in range(6)]
    files = []
    for shard in range(4):
        path = tmp_path / f"shard-{shard:05d}.counts.parquet"
        pq.write_table(_counts(rng, sources, 300), path, row_group_size=120)  # several row groups
        files.append(str(path))
    correction = pa.concat_tables([_counts(rng, sources[:2], 20), _counts(rng, sources[2:4], 20, sign=-1)])
    at_once = site_chrome.merge_counts([pq.read_table(path) for path in files] + [correction])
    at_once = at_once.filter(pa.compute.greater(at_once["pages"], 0)).sort_by(ORDER)

    monkeypatch.setattr(chrome_counts, "ROWS_PER_SLICE", rows_per_slice)
    sliced = chrome_counts.merge_shard_counts(files, correction).sort_by(ORDER)

    assert at_once.num_rows > 100
    assert sliced.equals(at_once)
    # Single sightings: kept on the small site, dropped on the big ones (which merge_counts decides from the
    # page-count rows: every slice must have seen them).
    singles = {row["source"] for row in sliced.to_pylist() if row["fingerprint"] >= 10**6}
    assert singles == {"site0.example"}
