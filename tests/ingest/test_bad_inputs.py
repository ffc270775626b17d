"""Every kind of bad input is quarantined with its own reason and a message naming the file, and the rest
of the run goes on."""

from __future__ import annotations

import gzip
import json
import os

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.config import RunConfig
from pipeline.run import clean_and_detect_shard, ingest_shard, learn_site_chrome, plan_shards, publish_date
from tests.support import DATE, article_page, run_checked, write_files

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
NUMBERS = "\n\n".join(["Figures", " ".join(str(1000 + 7 * i) for i in range(60))])
_gz = gzip.compress(article_page(2).encode())

BAD = {
    "empty.txt": (b"", "empty"),
    "whitespace.txt": (" \n\t\r\n \u00a0\u200b\n".encode(), "whitespace_only"),
    "image.txt": (PNG, "binary"),
    "random.txt": (bytes((i * 151 + 7) % 256 for i in range(6000)), "binary"),
    "mostly-nul.txt": (b"\x00" * 4000 + b"hello", "binary"),
    "truncated.txt.gz": (_gz[: len(_gz) // 2], "truncated_gzip"),
    "not-gzip.txt.gz": (article_page(8).encode(), "bad_gzip"),
    "numbers.txt": (NUMBERS.encode(), "no_language_evidence"),
    "chrome-only.txt": (b"Sign in to Example News\n\nHome | World\n\n(c) 2022 Example News.\n", "no_article"),
}
JSONL_LINES = [  # (line, reason or None for a good line)
    ("{not json", "invalid_json"),
    (json.dumps({"id": "no-text"}), "missing_text"),
    (json.dumps({"text": 5}), "bad_text_type"),
    (json.dumps({"text": ["a"]}), "bad_text_type"),
    ("[1, 2]", "invalid_json"),
    (json.dumps({"text": ""}), "empty"),
    (json.dumps({"text": article_page(9)}), None),
    # Lone UTF-16 surrogates, escaped (json.dumps escapes them so): text and fields kept, each replaced by U+FFFD.
    (json.dumps({"url": "https://news.example/a/\ud800", "title": "Lone \udc00",
                 "text": article_page(11).replace("would change", "would \ud83d change", 1)}), None),
]
SURROGATES_LINE = len(JSONL_LINES)
GOOD = {  # decodable with care: kept, with the encoding and any repair noted
    "bad-utf8.txt": (article_page(3).encode().replace(b"would change", b"would \xff\xc3 change", 2), "utf-8",
                     ["replaced 4 invalid UTF-8 sequences"]),
    "utf16-bom.txt": (article_page(4).encode("utf-16"), "utf-16-le", []),
    "utf16-le-no-bom.txt": (article_page(5).encode("utf-16-le"), "utf-16-le", []),
    "utf16-be-no-bom.txt": (article_page(10).encode("utf-16-be"), "utf-16-be", []),
    "cp1252.txt": (article_page(6).replace("would change", "would change – café “naïve”").encode("cp1252"), "cp1252",
                   []),
    "nul.txt": (article_page(7).encode().replace(b"would change", b"would\x00 change", 3), "utf-8",
                ["removed 3 NUL bytes"]),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    files = {name: data for name, (data, _) in BAD.items()}
    files.update({name: data for name, (data, _, _) in GOOD.items()})
    files["lines.jsonl"] = "\n".join(line for line, _ in JSONL_LINES) + "\n"
    files["fine.txt"] = article_page(1)
    write_files(folder / "in", files)
    manifest = run_checked(folder / "in", folder / "out")
    quarantine = pq.read_table(folder / "out" / "quarantine" / f"ingest_date={DATE}").to_pylist()
    articles = ds.dataset(folder / "out" / "articles", partitioning="hive").to_table().to_pylist()
    return manifest, {r["doc_id"]: r for r in quarantine}, {r["doc_id"]: r for r in articles}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_quarantined_with_its_reason(bad_run, name):
    _, quarantine, _ = bad_run
    row = quarantine[name]
    assert row["reason"] == BAD[name][1]
    assert row["detail"].startswith(f"{name}: ")
    assert row["source_file"] == name


def test_bad_jsonl_lines_each_quarantined_and_good_lines_kept(bad_run):
    _, quarantine, articles = bad_run
    for number, (_, reason) in enumerate(JSONL_LINES, start=1):
        location = f"lines.jsonl:{number}"
        if reason is None:
            assert articles[location]["word_count"] > 20
        else:
            assert quarantine[location]["reason"] == reason
            assert quarantine[location]["detail"].startswith(f"{location}: ")


def test_lone_surrogates_in_a_jsonl_line_are_replaced_and_noted(bad_run):
    _, _, articles = bad_run
    article = articles[f"lines.jsonl:{SURROGATES_LINE}"]
    assert "would \ufffd change" in article["body"]
    assert article["url"] == "https://news.example/a/\ufffd"
    assert article["repairs"] == ["replaced 3 lone UTF-16 surrogates (JSON escapes) with U+FFFD"]


@pytest.mark.parametrize("name", sorted(GOOD))
def test_damaged_or_legacy_text_is_kept_with_its_repairs(bad_run, name):
    _, _, articles = bad_run
    _, encoding, repairs = GOOD[name]
    article = articles[name]
    assert article["input_encoding"] == encoding
    assert article["repairs"] == repairs
    assert "would change" in article["body"]


def test_legacy_text_is_decoded_without_mojibake(bad_run):
    _, _, articles = bad_run
    assert "café “naïve”" in articles["cp1252.txt"]["body"]
    assert "\x00" not in articles["nul.txt"]["body"]


def test_text_without_language_evidence_is_quarantined_not_written(bad_run):
    """No letters, nothing to read: quarantined with its own reason, never written as an article."""
    _, _, articles = bad_run
    assert "numbers.txt" not in articles


def test_good_files_are_written_alongside_bad_ones(bad_run):
    manifest, _, articles = bad_run
    assert "fine.txt" in articles
    assert manifest["counts"]["documents_seen"] == len(BAD) + len(GOOD) + len(JSONL_LINES) + 1


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_a_50_mb_single_line_is_quarantined_not_truncated(tmp_path, suffix):
    line = ("word " * (10 * 1024 * 1024)).encode()  # 50 MiB, no newline
    if suffix == ".jsonl":
        line = b'{"text": "' + line + b'"}\n' + json.dumps({"text": article_page(1)}).encode() + b"\n"
    write_files(tmp_path / "in", {f"huge{suffix}": line, "fine.txt": article_page(2)})
    manifest = run_checked(tmp_path / "in", tmp_path / "out")
    assert manifest["quarantined_by_reason"] == {"too_large": 1}
    assert manifest["counts"]["written"] == (2 if suffix == ".jsonl" else 1)
    quarantine = pq.read_table(tmp_path / "out" / "quarantine").to_pylist()
    assert quarantine[0]["detail"].startswith("huge")
    assert len(quarantine[0]["raw"]) == 64 * 1024  # a sample for a human, not the 50 MB


def test_file_vanishing_or_unreadable_between_discovery_and_ingest(tmp_path):
    files = {f"p{i}.txt": article_page(i) for i in range(4)}
    files["feed.jsonl"] = json.dumps({"text": article_page(9)}) + "\n"
    folder = write_files(tmp_path / "in", files)
    config = RunConfig(inputs=(str(folder),), output=str(tmp_path / "out"), ingest_date=__import__("datetime").date(
        2022, 1, 10))
    shards = plan_shards(config, "r1")
    os.remove(folder / "p1.txt")  # vanished
    os.remove(folder / "p2.txt")
    os.mkdir(folder / "p2.txt")  # no longer a readable file (we run as root: modes would not stop us)
    os.remove(folder / "feed.jsonl")
    os.symlink(folder / "nowhere", folder / "feed.jsonl")  # now a dangling link
    for index in shards:
        ingest_shard(config, "r1", index)
    learn_site_chrome(config, "r1")
    for index in shards:
        clean_and_detect_shard(config, "r1", index)
    manifest = publish_date(config, "r1")
    quarantine = {r["doc_id"]: r for r in pq.read_table(tmp_path / "out" / "quarantine").to_pylist()}
    assert {k: v["reason"] for k, v in quarantine.items()} == {
        "p1.txt": "unreadable", "p2.txt": "unreadable", "feed.jsonl": "unreadable"}
    assert "No such file" in quarantine["p1.txt"]["detail"] and "p1.txt" in quarantine["p1.txt"]["detail"]
    assert "Is a directory" in quarantine["p2.txt"]["detail"]
    assert manifest["counts"]["written"] == 2
    from tests.support import assert_accounted

    assert_accounted(tmp_path / "out")


def test_symlink_loop_in_the_input_folder(tmp_path):
    folder = write_files(tmp_path / "in", {"site/a.txt": article_page(1), "site/deeper/b.txt": article_page(2)})
    os.symlink("..", folder / "site" / "deeper" / "up")  # a loop back to site/
    manifest = run_checked(folder, tmp_path / "out")
    assert manifest["counts"]["written"] == 2
    assert manifest["quarantined_by_reason"] == {"symlink_loop": 1}
    row = pq.read_table(tmp_path / "out" / "quarantine").to_pylist()[0]
    assert "up" in row["detail"] and "already visited" in row["detail"]
