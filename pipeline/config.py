"""The one set of run options, shared by the CLI flags and the DAG's Params."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RunConfig:
    """Everything a run of one ingest date needs; serializable so Airflow tasks can pass it."""

    inputs: tuple[str, ...]
    output: str
    ingest_date: dt.date
    workers: int = 1
    # With workers > 1, inputs under workers * shards_per_worker * target_shard_bytes are cut into about this
    # many shards per worker: 2 evens out a process pool's finish; Airflow, at seconds per task, takes 1.
    shards_per_worker: int = 2
    max_page_bytes: int = 8 * 1024 * 1024
    max_docs_per_shard: int = 20_000
    max_archive_bytes: int = 4 * 1024**3  # an archive expanding past this is quarantined as archive_bomb
    max_archive_ratio: int = 100  # ... or past this many times its compressed size
    target_shard_bytes: int = 64 * 1024 * 1024
    max_shards: int = 512
    site_chrome_min_pages: int = 2
    site_chrome_min_share: float = 0.1
    site_chrome_window_days: int = 30
    min_body_words: int = 20

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["inputs"] = list(self.inputs)
        data["ingest_date"] = self.ingest_date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        values = dict(data)
        values["inputs"] = tuple(values["inputs"])
        values["ingest_date"] = dt.date.fromisoformat(str(values["ingest_date"]))
        return cls(**values)


def today_utc() -> dt.date:
    """The default ingest date: today in UTC, so a run's partition does not depend on the host's zone."""
    return dt.datetime.now(dt.UTC).date()
