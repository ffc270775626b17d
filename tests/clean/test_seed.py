"""The seed page gives exactly its expected record, alone and among other pages of its site."""

from __future__ import annotations

from pathlib import Path

from tests.clean.conftest import SEED_NAME, run_and_read

# Other stories of the same site: the seed's chrome around bodies of their own.
OTHER_BODIES = [
    ["Ministers met in Brussels on Tuesday to agree a common position on energy prices, after a winter in "
     "which household bills rose faster than at any time in the past two decades across the continent.",
     "The proposal, which still needs the approval of the parliament, would cap the wholesale price of gas for "
     "a year and fund support for the poorest households from a levy on windfall profits."],
    ["Flooding closed dozens of roads across the north of England on Wednesday as a month of rain fell in a "
     "single day, and forecasters warned that rivers would keep rising until the weekend.",
     "Emergency services rescued several drivers from cars trapped by the water, and schools in the worst hit "
     "towns told parents to keep their children at home while the clear-up went on."],
    ["A museum in Madrid has returned a painting to the heirs of its owner, eighty years after it was sold "
     "under duress, ending a legal fight that had lasted for more than a decade in three countries.",
     "The family said they would lend the work back to the museum for an exhibition next year, so that visitors "
     "could see it beside the letters that told its story for the first time."],
]


def _assert_seed_record(record: dict, expected: dict) -> None:
    assert record["title"] == expected["title"]
    assert record["subtitle"] == expected["subtitle"]
    assert record["authors"] == expected["authors"]
    assert record["published_at"].isoformat().replace("+00:00", "Z") == expected["published_at"]
    assert record["language"] == expected["language"]
    paragraphs = record["body"].split("\n\n")
    assert paragraphs == expected["body_paragraphs"]
    for chrome in expected["not_in_body"]:
        assert chrome not in paragraphs


TITLES = ["Energy ministers agree to cap the price of gas", "Floods close roads across the north of England",
          "Madrid museum returns a painting to its owner's heirs"]
AUTHORS = ["Maria Lopez", "Tom Hughes", "Anna Schmidt"]
DATELINES = ["Tuesday 11 January 2022 08:02 EST", "Wednesday 12 January 2022 14:30 EST",
             "Thursday 13 January 2022 19:45 EST"]


def _site_page(seed_text: str, number: int) -> str:
    """The seed's chrome (prompts, donation appeal, comment footer) around another story."""
    blocks = seed_text.replace("John Bowden", AUTHORS[number]).replace(
        "Monday 10 January 2022 00:19 EST", DATELINES[number]).split("\n\n")
    body, title = OTHER_BODIES[number], TITLES[number]
    head = blocks[: blocks.index(next(b for b in blocks if b.startswith("Top diplomats")))]
    tail = blocks[blocks.index("Join our commenting forum"):]
    head = [title if b.startswith("US warns of") else b for b in head]
    standfirst = f"{TITLES[number].split()[0]} stands first in a standfirst"
    head = [standfirst if b.startswith("Superpowers") else b for b in head]
    return "\n\n".join([*head, *body, *tail]) + "\n"


def test_seed_alone(tmp_path: Path, seed_text: str, expected: dict) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / SEED_NAME).write_text(seed_text, encoding="utf-8")
    records = run_and_read(tmp_path / "in", tmp_path / "out")
    assert len(records) == 1
    record = next(iter(records.values()))
    _assert_seed_record(record, expected)
    assert dict(record["blocks_removed"])["appeal"] >= 4
    assert 0 < record["body_confidence"] <= 1


def test_seed_with_pages_of_its_site(tmp_path: Path, seed_text: str, expected: dict) -> None:
    site = tmp_path / "in" / "independent.co.uk"
    site.mkdir(parents=True)
    (site / SEED_NAME).write_text(seed_text, encoding="utf-8")
    for number in range(len(OTHER_BODIES)):
        (site / f"other_{number}.txt").write_text(_site_page(seed_text, number), encoding="utf-8")
    records = run_and_read(tmp_path / "in", tmp_path / "out")
    assert len(records) == 4
    seed = next(r for doc_id, r in records.items() if doc_id.endswith(SEED_NAME))
    _assert_seed_record(seed, expected)
    assert dict(seed["blocks_removed"]).get("site_repeat", 0) > 0
    appeal = [b for b in expected["not_in_body"] if "donation" in b or "paywalls" in b]
    for doc_id, record in records.items():
        if doc_id.endswith(SEED_NAME):
            continue
        number = int(doc_id.rsplit("_", 1)[1].removesuffix(".txt"))
        assert record["body"].split("\n\n") == OTHER_BODIES[number]
        assert record["authors"] == [AUTHORS[number]]
        for block in appeal:
            assert block not in record["body"]
