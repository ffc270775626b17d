"""Archives (zip, tar, tar.gz) and Common Crawl WET files as input, and what each refuses."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.support import article_page, run_checked

MEMBERS = {
    "site/a.txt": article_page(1).encode(),
    "site/b.txt.gz": gzip.compress(article_page(2).encode()),
    "feed.jsonl": (json.dumps({"text": article_page(3)}) + "\n" + json.dumps({"id": "rec-4", "text": article_page(4)})
                   + "\n").encode(),
    "feed2.jsonl.gz": gzip.compress((json.dumps({"text": article_page(5)}) + "\n").encode()),
    "README.md": b"not a page",
}
EXPECTED_IDS = {"{a}!site/a.txt", "{a}!site/b.txt.gz", "{a}!feed.jsonl:1", "rec-4", "{a}!feed2.jsonl.gz:1"}


def make_tar(path, members: dict[str, bytes], mode: str = "w", special: list[tarfile.TarInfo] = ()) -> None:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for info in special:
            archive.addfile(info)


def make_zip(path, members: dict[str, bytes], symlinks: dict[str, str] = ()) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in dict(symlinks).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, target)


def _outputs(out):
    articles = ds.dataset(out / "articles", partitioning="hive").to_table().to_pylist()
    quarantine = pq.read_table(out / "quarantine").to_pylist()
    return {r["doc_id"]: r for r in articles}, {r["doc_id"]: r for r in quarantine}


@pytest.mark.parametrize("name", ["pages.zip", "pages.tar", "pages.tar.gz", "pages.tgz"])
def test_archive_members_become_documents(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    if name.endswith(".zip"):
        make_zip(folder / name, MEMBERS)
    else:
        make_tar(folder / name, MEMBERS, "w" if name.endswith(".tar") else "w:gz")
    manifest = run_checked(folder, tmp_path / "out")
    articles, _ = _outputs(tmp_path / "out")
    assert set(articles) == {i.format(a=name) for i in EXPECTED_IDS}
    assert {a["source_file"] for a in articles.values()} == {name}
    assert articles[f"{name}!site/a.txt"]["source"] == "site"
    (entry,) = manifest["inputs"]
    assert entry["path"] == name and entry["kind"] in ("zip", "tar") and entry["documents_seen"] == 5
    assert len(entry["sha256"]) == 64


UNSAFE_TAR = [
    ("../escape.txt", None, "archive_path_traversal"),
    ("site/../../escape.txt", None, "archive_path_traversal"),
    ("/etc/evil.txt", None, "archive_absolute_path"),
    ("link.txt", tarfile.SYMTYPE, "archive_link"),
    ("hard.txt", tarfile.LNKTYPE, "archive_link"),
    ("pipe.txt", tarfile.FIFOTYPE, "archive_special_member"),
]


def test_tar_refuses_unsafe_members_each_with_its_reason(tmp_path):
    special = []
    for name, kind, _ in UNSAFE_TAR:
        if kind is not None:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "site/a.txt" if kind != tarfile.FIFOTYPE else ""
            special.append(info)
    plain = {name: article_page(20 + i).encode() for i, (name, kind, _) in enumerate(UNSAFE_TAR) if kind is None}
    folder = tmp_path / "in"
    folder.mkdir()
    make_tar(folder / "bad.tar.gz", {"site/a.txt": article_page(1).encode(), **plain}, "w:gz", special)
    run_checked(folder, tmp_path / "out")
    articles, quarantine = _outputs(tmp_path / "out")
    assert set(articles) == {"bad.tar.gz!site/a.txt"}
    for name, _, reason in UNSAFE_TAR:
        row = quarantine[f"bad.tar.gz!{name}"]
        assert row["reason"] == reason
        assert row["detail"].startswith(f"bad.tar.gz!{name}: ")


def test_zip_refuses_traversal_absolute_and_symlink_members(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_zip(folder / "bad.zip", {"ok.txt": article_page(1).encode(), "../up.txt": article_page(2).encode(),
                                  "/abs.txt": article_page(3).encode(), "..\\win.txt": article_page(4).encode()},
             symlinks={"link.txt": "/etc/passwd"})
    run_checked(folder, tmp_path / "out")
    articles, quarantine = _outputs(tmp_path / "out")
    assert set(articles) == {"bad.zip!ok.txt"}
    reasons = {k: v["reason"] for k, v in quarantine.items()}
    assert reasons == {"bad.zip!../up.txt": "archive_path_traversal", "bad.zip!/abs.txt": "archive_absolute_path",
                       "bad.zip!..\\win.txt": "archive_path_traversal", "bad.zip!link.txt": "archive_link"}


@pytest.mark.parametrize("name", ["bomb.zip", "bomb.tar.gz", "inner-gz-bomb.tar"])
def test_decompression_bomb_by_ratio(tmp_path, name):
    """Zeros compress about 1000:1: past 16 MiB expanded, the ratio limit (100) stops the archive."""
    zeros = b"\n" * (40 * 1024 * 1024)
    folder = tmp_path / "in"
    folder.mkdir()
    members = {"first.txt": article_page(1).encode()}
    if name == "bomb.zip":
        make_zip(folder / name, {**members, **{f"z{i}.txt": zeros[: 8 * 1024 * 1024] for i in range(5)}})
    elif name == "bomb.tar.gz":
        make_tar(folder / name, {**members, "zeros.txt": zeros}, "w:gz")
    else:
        make_tar(folder / name, {**members, **{f"z{i}.txt.gz": gzip.compress(zeros[: 8 * 1024 * 1024], 9)
                                               for i in range(5)}})
    manifest = run_checked(folder, tmp_path / "out")
    assert manifest["quarantined_by_reason"].get("archive_bomb") == 1
    articles, quarantine = _outputs(tmp_path / "out")
    assert set(articles) == {f"{name}!first.txt"}
    (bomb,) = [r for r in quarantine.values() if r["reason"] == "archive_bomb"]
    assert "times its compressed size" in bomb["detail"] and bomb["detail"].startswith(f"{name}!")


def test_decompression_bomb_by_expanded_size(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    pages = [article_page(i).encode() for i in range(4)]
    make_zip(folder / "big.zip", {f"p{i}.txt": page for i, page in enumerate(pages)})
    manifest = run_checked(folder, tmp_path / "out", max_archive_bytes=len(pages[0]) + len(pages[1]) // 2)
    assert manifest["quarantined_by_reason"] == {"archive_bomb": 1}
    assert manifest["counts"]["written"] == 1  # the second page passes the limit: the archive stops there


def test_member_over_the_page_cap_is_quarantined(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_tar(folder / "a.tar", {"big.txt": b"word " * 20000, "ok.txt": article_page(1).encode()})
    manifest = run_checked(folder, tmp_path / "out", max_page_bytes=50000)
    assert manifest["quarantined_by_reason"] == {"too_large": 1}
    assert manifest["counts"]["written"] == 1


@pytest.mark.parametrize("name,content,reason", [
    ("cut.tar.gz", "truncated", "truncated_archive"),
    ("cut.tar", "truncated", "truncated_archive"),
    ("junk.tar.gz", b"\x1f\x8b" + b"junk" * 100, "bad_archive"),
    ("junk.zip", b"PK\x03\x04 not really a zip", "bad_archive"),
    ("text.tar", article_page(1).encode() * 3, "bad_archive"),
    ("empty.zip", b"", "bad_archive"),
])
def test_broken_archives(tmp_path, name, content, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    if content == "truncated":
        make_tar(folder / name, {f"p{i}.txt": article_page(i).encode() for i in range(3)},
                 "w:gz" if name.endswith(".gz") else "w")
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 3 if name.endswith(".gz") else 512 * 8])
    else:
        (folder / name).write_bytes(content)
    (folder / "fine.txt").write_text(article_page(9))
    manifest = run_checked(folder, tmp_path / "out")
    assert manifest["quarantined_by_reason"] == {reason: 1}
    _, quarantine = _outputs(tmp_path / "out")
    (row,) = quarantine.values()
    assert row["detail"].startswith(f"{name}: cannot read the archive")
    assert "fine.txt" in _outputs(tmp_path / "out")[0]


def test_corrupt_zip_member_costs_that_member_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_zip(folder / "c.zip", {"a.txt": article_page(1).encode(), "b.txt": article_page(2).encode()})
    data = bytearray((folder / "c.zip").read_bytes())
    start = data.index(b"a.txt") + len("a.txt") + 10  # inside a.txt's compressed data
    data[start:start + 8] = b"\xff" * 8
    (folder / "c.zip").write_bytes(bytes(data))
    manifest = run_checked(folder, tmp_path / "out")
    assert manifest["quarantined_by_reason"] == {"bad_archive_member": 1}
    assert set(_outputs(tmp_path / "out")[0]) == {"c.zip!b.txt"}


# ------------------------------------------------------------------ WET


def warc_record(kind: str, content: bytes, record_id: str, uri: str | None = None) -> bytes:
    headers = [b"WARC/1.0", f"WARC-Type: {kind}".encode(), f"WARC-Record-ID: <{record_id}>".encode(),
               b"WARC-Date: 2022-01-10T00:00:00Z", f"Content-Length: {len(content)}".encode()]
    if uri:
        headers.append(f"WARC-Target-URI: {uri}".encode())
    return b"\r\n".join(headers) + b"\r\n\r\n" + content + b"\r\n\r\n"


def wet_file(pages: int = 3) -> bytes:
    records = [warc_record("warcinfo", b"software: test\r\n", "urn:uuid:info")]
    records += [warc_record("conversion", article_page(i).encode(), f"urn:uuid:page-{i}",
                            f"https://www.news{i % 2}.example.com/story/{i}") for i in range(pages)]
    return b"".join(records)


@pytest.mark.parametrize("name", ["crawl.warc.wet.gz", "crawl.warc.wet"])
def test_wet_conversion_records_are_pages(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    data = wet_file()
    (folder / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    manifest = run_checked(folder, tmp_path / "out")
    articles, _ = _outputs(tmp_path / "out")
    assert set(articles) == {f"urn:uuid:page-{i}" for i in range(3)}
    assert articles["urn:uuid:page-1"]["url"] == "https://www.news1.example.com/story/1"
    assert articles["urn:uuid:page-1"]["source"] == "news1.example.com"
    assert manifest["inputs"][0]["documents_seen"] == 3


def test_wet_multi_member_gzip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    records = [warc_record("warcinfo", b"x: y\r\n", "urn:uuid:info")]
    records += [warc_record("conversion", article_page(i).encode(), f"urn:uuid:m{i}", f"https://e.org/{i}")
                for i in range(3)]
    (folder / "cc.warc.wet.gz").write_bytes(b"".join(gzip.compress(r) for r in records))
    run_checked(folder, tmp_path / "out")
    assert set(_outputs(tmp_path / "out")[0]) == {"urn:uuid:m0", "urn:uuid:m1", "urn:uuid:m2"}


def _damage_third(data: bytes, old: bytes, new: bytes) -> bytes:
    """Damage the third record (the second page): the first page stays readable."""
    at = data.index(old, data.index(old, data.index(old) + 1) + 1)
    return data[:at] + new + data[at + len(old):]


@pytest.mark.parametrize("cut,reason,written", [
    (lambda d: d[: len(d) - 900], "truncated_warc", 2),
    (lambda d: _damage_third(d, b"Content-Length: ", b"Content-Lenght: "), "bad_warc", 1),
    (lambda d: _damage_third(d, b"WARC/1.0", b"GARBAGE!"), "bad_warc", 1),
    (lambda d: gzip.compress(d)[:-30], "truncated_gzip", 2),
])
def test_broken_wet_keeps_records_before_the_damage(tmp_path, cut, reason, written):
    folder = tmp_path / "in"
    folder.mkdir()
    data = cut(wet_file())
    name = "cc.warc.wet.gz" if data[:2] == b"\x1f\x8b" else "cc.warc.wet"
    (folder / name).write_bytes(data)
    manifest = run_checked(folder, tmp_path / "out")
    assert manifest["quarantined_by_reason"] == {reason: 1}
    assert manifest["counts"]["written"] == written


def test_wet_record_over_the_page_cap(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    records = [warc_record("conversion", b"word " * 30000, "urn:uuid:big", "https://e.org/big"),
               warc_record("conversion", article_page(1).encode(), "urn:uuid:ok", "https://e.org/ok")]
    (folder / "cc.warc.wet").write_bytes(b"".join(records))
    manifest = run_checked(folder, tmp_path / "out", max_page_bytes=100_000)
    assert manifest["quarantined_by_reason"] == {"too_large": 1}
    assert set(_outputs(tmp_path / "out")[0]) == {"urn:uuid:ok"}
