"""The streamed manifest: the JSON of the manifest serialized whole, an input per line; entries merged and
counted per shard."""

from __future__ import annotations

import json
from collections import Counter

from pipeline import storage
from pipeline.sink import manifest as manifest_file
from pipeline.sink.manifest import EncodedList, input_entries, write_encoded, write_manifest


def test_encoded_list_writes_the_whole_lists_json_an_item_per_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(manifest_file, "LINES_PER_WRITE", 2)
    items = [{"path": f"site/{n}.txt", "bytes": n, "balanced": True, "name": "ünï"} for n in range(5)]
    manifest = {"counts": {"written": 5, "by": {"en": 5}}, "inputs": items, "outputs": [{"path": "a\nb"}]}
    storage.write_json(str(tmp_path / "whole.json"), manifest)
    pulled = []

    def produce():
        for item in items:
            pulled.append(item)
            yield item

    assert write_encoded(str(tmp_path / "inputs"), produce()) == len(items)
    write_manifest(str(tmp_path / "streamed.json"), {**manifest, "inputs": EncodedList(str(tmp_path / "inputs"),
                                                                                       len(items))})
    streamed = (tmp_path / "streamed.json").read_text(encoding="utf-8")
    assert json.loads(streamed) == json.loads((tmp_path / "whole.json").read_text(encoding="utf-8")) == manifest
    assert pulled == items
    lines = streamed.splitlines()
    for item in items:  # an input per line, to grep
        assert lines.count("  " + json.dumps(item, ensure_ascii=False) + ("," if item is not items[-1] else "")) == 1
    # The rest as storage.write_json writes it: indent 1, UTF-8 as is.
    assert '\n "counts": {\n  "written": 5,\n  "by": {\n   "en": 5\n  }\n },' in streamed and "ünï" in streamed
    assert write_encoded(str(tmp_path / "none"), iter(())) == 0
    write_manifest(str(tmp_path / "empty.json"), {"inputs": EncodedList(str(tmp_path / "none"), 0)})
    assert json.loads((tmp_path / "empty.json").read_text()) == {"inputs": []}


def test_entries_add_up_the_ranges_of_a_split_file_over_shards() -> None:
    def entry(path: str, seen: int, root: str = "/in") -> dict:
        return {"path": path, "root": root, "kind": "jsonl", "bytes": 10 * seen, "sha256": "x", "documents_seen": seen}

    shards = [
        ([entry("a.txt", 1), entry("big.jsonl", 4)], Counter({"a.txt": 1, "big.jsonl": 3}), Counter({"big.jsonl": 1})),
        ([entry("big.jsonl", 5)], Counter({"big.jsonl": 4}), Counter({"big.jsonl": 1})),
        ([entry("big.jsonl", 2, root="/other"), entry("c.txt", 1)], Counter({"big.jsonl": 2}), Counter()),
    ]
    # Same path under another root: another file. c.txt's one document duplicates an earlier one.
    entries = list(input_entries(shards, Counter({"c.txt": 1}), Counter()))
    assert [(e["root"], e["path"], e["bytes"], e["documents_seen"], e["written"], e["quarantined"], e["duplicates"])
            for e in entries] == [("/in", "a.txt", 10, 1, 1, 0, 0), ("/in", "big.jsonl", 90, 9, 7, 2, 0),
                                  ("/other", "big.jsonl", 20, 2, 2, 0, 0), ("/in", "c.txt", 10, 1, 0, 0, 1)]
    assert all(e["balanced"] for e in entries)
