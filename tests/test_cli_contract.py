"""The output contract of `python -m pipeline run`, read back the way users read it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.clean.classify import count_words
from pipeline.schema import ARTICLE_FILE_SCHEMA
from tests.support import SAMPLE_DIR, SEED_DIR, assert_accounted, read_articles, read_manifest, read_quarantine, run_cli

DATE = "2022-03-16"


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("out")
    result = run_cli("run", str(SAMPLE_DIR), "--out", str(output), "--date", DATE)
    assert "documents seen" in result.stdout
    return output


def test_layout_is_hive_partitioned_by_date_and_language(sample_output: Path) -> None:
    files = sorted(p.relative_to(sample_output).as_posix() for p in (sample_output / "articles").rglob("*.parquet"))
    assert files, "no article files written"
    for name in files:
        parts = name.split("/")
        assert parts[1] == f"ingest_date={DATE}" and parts[2].startswith("language="), name
    languages = {name.split("/")[2].removeprefix("language=") for name in files}
    assert {"en", "de", "fr", "es"} <= languages
    assert (sample_output / "manifests" / f"ingest_date={DATE}.json").is_file()
    assert list((sample_output / "quarantine" / f"ingest_date={DATE}").glob("*.parquet"))
    assert not (sample_output / "_work").exists(), "staging left behind after a successful run"


def test_files_hold_one_schema_zstd_compressed_without_partition_columns(sample_output: Path) -> None:
    for path in (sample_output / "articles").rglob("*.parquet"):
        parquet = pq.ParquetFile(path)
        assert parquet.schema_arrow.equals(ARTICLE_FILE_SCHEMA, check_metadata=False), path
        assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"


def test_records_carry_the_contract_columns(sample_output: Path) -> None:
    table = read_articles(sample_output)
    required = {"doc_id", "source", "source_file", "url", "title", "subtitle", "authors", "published_at", "language",
                "language_score", "body", "word_count", "content_hash", "ingest_date"}
    assert required <= set(table.column_names)
    rows = {row["doc_id"]: row for row in table.to_pylist()}
    german = rows["de_radwege.txt"]
    assert german["language"] == "de" and german["source"] == "sample"
    assert "Radwegenetz" in german["body"] and "Startseite" not in german["body"]
    assert german["input_encoding"] == "cp1252"
    french = rows["lemonde-exemple-1"]
    assert french["source"] == "example.fr" and french["url"].startswith("https://www.example.fr/")
    assert french["language"] == "fr" and french["authors"] == ["Claire Dubois"]
    seed = rows["independent/000_ac02c45ab0a98da2.txt"]
    assert seed["source"] == "independent" and seed["source_file"] == "independent/000_ac02c45ab0a98da2.txt"
    assert seed["published_at"].isoformat() == "2022-01-10T05:19:00+00:00"
    for row in rows.values():
        assert row["word_count"] == count_words(row["body"]) >= len(row["body"].split()) // 2
        assert 0.0 < row["language_score"] <= 1.0
        assert len(row["content_hash"]) == 32


def test_duckdb_and_polars_read_the_dataset_directly(sample_output: Path) -> None:
    pattern = str(sample_output / "articles" / "**" / "*.parquet")
    by_language = dict(duckdb.sql(
        f"select language, count(*) from read_parquet('{pattern}', hive_partitioning=true) group by language"
    ).fetchall())
    frame = pl.scan_parquet(pattern, hive_partitioning=True).select("doc_id", "language", "authors").collect()
    assert sum(by_language.values()) == frame.height == read_articles(sample_output).num_rows
    assert by_language["en"] == 3


def test_manifest_adds_up_and_names_every_input(sample_output: Path) -> None:
    manifest = read_manifest(sample_output, DATE)
    assert_accounted(sample_output, DATE)
    counts = manifest["counts"]
    assert counts == {"documents_seen": 8, "written": 6, "quarantined": 1, "duplicates": 1, "balanced": True}
    assert manifest["quarantined_by_reason"] == {"invalid_json": 1}
    # Inputs are read in sorted path order and the first copy is kept: pages-2.jsonl.gz sorts first.
    assert manifest["duplicates"] == [{"doc_id": "elpais-ejemplo-1", "duplicate_of": "elpais-ejemplo-1-copy"}]
    paths = {entry["path"] for entry in manifest["inputs"]}
    assert {"de_radwege.txt", "feeds/pages.jsonl", "feeds/pages-2.jsonl.gz"} <= paths
    for entry in manifest["inputs"]:
        assert len(entry["sha256"]) == 64 and entry["bytes"] > 0
    assert "README.md" in manifest["skipped_files"]


def test_quarantine_keeps_the_raw_input_and_the_reason(sample_output: Path) -> None:
    rows = read_quarantine(sample_output).to_pylist()
    assert [(row["doc_id"], row["reason"]) for row in rows] == [("feeds/pages-2.jsonl.gz:2", "invalid_json")]
    assert rows[0]["raw"] == b"{not json\n"
    assert "feeds/pages-2.jsonl.gz:2" in rows[0]["detail"]


def test_rerun_of_a_date_replaces_it_and_other_dates_stay(tmp_path: Path) -> None:
    run_cli("run", str(SAMPLE_DIR), "--out", str(tmp_path), "--date", DATE)
    first = read_articles(tmp_path).drop_columns(["ingest_date"])
    run_cli("run", str(SEED_DIR), "--out", str(tmp_path), "--date", "2022-01-10")
    run_cli("run", str(SAMPLE_DIR), "--out", str(tmp_path), "--date", DATE, "--workers", "2")
    table = read_articles(tmp_path)
    dates = table["ingest_date"].to_pylist()
    assert dates.count("2022-01-10") == 1, "the other date was touched"
    rerun = table.filter(pa.array([date == DATE for date in dates])).drop_columns(["ingest_date"])
    assert rerun.equals(first), "a rerun of the same inputs gave different records"
    keys = list(zip(dates, table["doc_id"].to_pylist(), strict=True))
    assert len(keys) == len(set(keys)), "duplicate records after a rerun"


def test_missing_input_is_one_clear_error(tmp_path: Path) -> None:
    result = run_cli("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: input path does not exist: {tmp_path / 'nope'}"]


def test_unwritable_output_is_one_clear_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    result = run_cli("run", str(SEED_DIR), "--out", str(blocked / "out"), check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write output") and str(blocked) in lines[0]


def test_seed_alone_gives_the_expected_record(tmp_path: Path) -> None:
    run_cli("run", str(SEED_DIR), "--out", str(tmp_path), "--date", "2022-01-10")
    expected = json.loads((SEED_DIR / "expected.json").read_text(encoding="utf-8"))
    [row] = read_articles(tmp_path).to_pylist()
    assert row["source_file"] == expected["source_file"]
    assert row["title"] == expected["title"]
    assert row["subtitle"] == expected["subtitle"]
    assert row["authors"] == expected["authors"]
    assert row["published_at"].isoformat().replace("+00:00", "Z") == expected["published_at"]
    assert row["published_at_as_written"] == expected["published_at_as_written"]
    assert row["language"] == expected["language"]
    assert row["body"].split("\n\n") == expected["body_paragraphs"]
    for chrome in expected["not_in_body"]:
        assert chrome not in row["body"]
