"""Read a published date safely: exactly the files its manifest lists, local or on object storage.

On object storage a date is committed by its manifest (there is no atomic directory swap): while a rerun
publishes, the date's folder briefly holds the old run's files and the new run's side by side, and a
crashed run may leave files no manifest lists. A reader that globs `articles/ingest_date=D/**` can see
those; a reader that goes through the manifest sees one complete run. Locally the same functions work
(and globbing is safe too, thanks to the directory swap).

    from pipeline.read import read_articles
    table = read_articles("s3://newsetl/output", "2026-03-01")

or in DuckDB, with the list from `article_files`:

    files = article_files("s3://newsetl/output", "2026-03-01")
    duckdb.sql(f"SELECT language, count(*) FROM read_parquet({files!r}) GROUP BY 1")
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import storage
from pipeline.sink.publish import output_location


def _partition(ingest_date: dt.date | str) -> str:
    day = ingest_date if isinstance(ingest_date, str) else ingest_date.isoformat()
    return f"ingest_date={dt.date.fromisoformat(day).isoformat()}"


def manifest(output: str, ingest_date: dt.date | str) -> dict[str, Any]:
    """The date's manifest: its commit record (FileNotFoundError if the date was never published)."""
    return storage.read_json(storage.join(output, "manifests", f"{_partition(ingest_date)}.json"))


def published_dates(output: str) -> list[str]:
    """The dates that have a manifest, sorted."""
    folder = storage.join(output, "manifests")
    names = [storage.basename(found) for found in storage.glob_files(folder, "ingest_date=*.json")]
    return sorted(name.removeprefix("ingest_date=").removesuffix(".json") for name in names)


def files_of(output: str, ingest_date: dt.date | str, kind: str = "articles",
             listed: dict[str, Any] | None = None) -> list[str]:
    """Paths or URLs of the date's `kind` files (articles or quarantine), exactly as its manifest lists them."""
    listed = listed or manifest(output, ingest_date)
    partition = _partition(listed["ingest_date"])
    return [storage.join(output, *output_location(entry["path"], partition))
            for entry in listed["outputs"] if entry["path"].startswith(f"{kind}/")]


def article_files(output: str, ingest_date: dt.date | str) -> list[str]:
    return files_of(output, ingest_date, "articles")


def _read(output: str, ingest_date: dt.date | str, kind: str, columns: list[str] | None) -> pa.Table:
    listed = manifest(output, ingest_date)
    tables = []
    for location in files_of(output, ingest_date, kind, listed):
        in_file = None if columns is None else [c for c in columns if c not in ("language", "ingest_date")]
        table = pq.read_table(storage.open_input_file(location), columns=in_file)
        if kind == "articles" and (columns is None or "language" in columns):
            language = location.replace("\\", "/").split("/language=", 1)[1].split("/", 1)[0]
            table = table.append_column("language", pa.array([language] * table.num_rows, pa.string()))
        if columns is None or "ingest_date" in columns:
            day = dt.date.fromisoformat(listed["ingest_date"])
            table = table.append_column("ingest_date", pa.array([day] * table.num_rows, pa.date32()))
        tables.append(table)
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables, promote_options="permissive")


def read_articles(output: str, ingest_date: dt.date | str, columns: list[str] | None = None) -> pa.Table:
    """The date's articles as one table, with `language` and `ingest_date` columns like a hive read."""
    return _read(output, ingest_date, "articles", columns)


def read_quarantine(output: str, ingest_date: dt.date | str, columns: list[str] | None = None) -> pa.Table:
    """The date's quarantined documents."""
    return _read(output, ingest_date, "quarantine", columns)
