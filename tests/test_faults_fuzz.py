"""Random bytes and near-valid dumps through ingestion and cleaning: nothing escapes, everything is counted."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import tarfile
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import article_page, assert_accounted, read_manifest, run_checked

_counter = itertools.count()


def _mutate(data: bytes, cuts: list[int], noise: bytes) -> bytes:
    """Near-valid: a valid dump with bytes flipped in, cut short, or both."""
    out = bytearray(data)
    for at in cuts:
        at %= max(len(out), 1)
        out[at:at + len(noise)] = noise
    return bytes(out)


def _tar(members: dict[str, bytes], mode: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _valid(kind: str, seed: int) -> tuple[str, bytes]:
    page = article_page(seed).encode()
    jsonl = (json.dumps({"text": article_page(seed + 1)}) + "\n" + json.dumps({"id": seed, "text": "short"})
             + "\n").encode()
    members = {"a.txt": page, "b.jsonl.gz": gzip.compress(jsonl)}
    return {
        "text": ("x.txt", page),
        "gz": ("x.txt.gz", gzip.compress(page)),
        "jsonl": ("x.jsonl", jsonl),
        "jsonl.gz": ("x.jsonl.gz", gzip.compress(jsonl)),
        "zip": ("x.zip", _zip(members)),
        "tar": ("x.tar", _tar(members, "w")),
        "tgz": ("x.tgz", _tar(members, "w:gz")),
        "wet": ("x.warc.wet", b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:x>\r\nContent-Length: "
                + str(len(page)).encode() + b"\r\n\r\n" + page + b"\r\n\r\n"),
    }[kind]


near_valid = st.tuples(
    st.sampled_from(["text", "gz", "jsonl", "jsonl.gz", "zip", "tar", "tgz", "wet"]),
    st.integers(0, 50),
    st.lists(st.integers(0, 1 << 16), max_size=3),
    st.binary(min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(0, 1 << 16)),
)
SUFFIXES = [".txt", ".txt.gz", ".jsonl", ".jsonl.gz", ".zip", ".tar", ".tgz", ".warc.wet", ".warc.wet.gz"]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(files: dict[str, bytes]) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / "in" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "in" / name).write_bytes(data)
        date = f"2022-01-{next(_counter) % 28 + 1:02d}"
        run_checked(root / "in", root / "out", date)  # raises if anything escapes; checks the accounting
        assert_accounted(root / "out", date)
        return read_manifest(root / "out", date)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=3000)), min_size=1, max_size=4))
def test_random_bytes_under_every_suffix(files):
    named = {f"f{i}{suffix}": data for i, (suffix, data) in enumerate(files)}
    manifest = _run(named)
    assert {entry["path"] for entry in manifest["inputs"]} == set(named)


@FUZZ
@given(st.lists(near_valid, min_size=1, max_size=4))
def test_near_valid_dumps(variants):
    files = {}
    for i, (kind, seed, cuts, noise, cut_at) in enumerate(variants):
        name, data = _valid(kind, seed)
        data = _mutate(data, cuts, noise)
        if cut_at is not None:
            data = data[: cut_at % (len(data) + 1)]
        files[f"{i}-{name}"] = data
    manifest = _run(files)
    assert {entry["path"] for entry in manifest["inputs"]} == set(files)
