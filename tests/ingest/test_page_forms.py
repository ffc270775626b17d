"""A page already in the stored form takes a short way through make_page (its text kept as it is, its UTF-8 taken
from the input's bytes): every kind of page must come out as the long way makes it."""

from __future__ import annotations

import codecs
import hashlib

import pytest

from pipeline.clean.normalize import normalize_page, normalized_blocks, normalized_page
from pipeline.clean.site_chrome import page_fingerprints
from pipeline.ingest.documents import Origin, make_page
from pipeline.schema import Page

ORIGIN = Origin("site/page.txt", "site/page.txt", "site")

TEXTS = [
    "Titel der Seite\n\nErster Absatz über Straßen.\n\nZweiter Absatz, 12. März 2024.\n",  # stored, newline at end
    "\n\nΠρώτη γραμμή\n\nΔεύτερη γραμμή",  # blank lines before it
    "one line\nanother line\nthird line",  # one block per line, no blank line
    "a\n\n\nb\n\nc",  # two blank lines between blocks
    "Crème brûlée\n\nVoilà",  # accents composed
    "Cre\u0300me bru\u0302le\u0301e\n\nVoila\u0300",  # decomposed (NFD): composed when stored
    "  indented line  \n\nword  word",  # spaces to collapse
    "tab\there\r\nwindows line\r\n",  # a tab and CRLF
    "no\u00a0break\u200bspace\n\nsoft\u00adhyphen",  # odd space, invisible characters
    "FÃ¼r die StraÃŸe: Ã¤rger Ã¶fter\n\nmehr",  # mojibake
    "Ölpreis steigt\u2028neue Zeile\u2029Absatz",  # line and paragraph separators
    "emoji 😀 text\n\n中文 段落\n\n日本語の文",  # past the BMP, CJK
    "x",
    "\n\n\n",
    " ",
]


def _expected(text: str, source: str) -> tuple[str, list[int], str]:
    stored = normalize_page(text)
    key = hashlib.sha256(f"{source}\n{stored}".encode()).hexdigest()[:32]
    return stored, page_fingerprints(normalized_blocks(text)), key


@pytest.mark.parametrize("text", TEXTS)
def test_normalized_page_is_the_stored_form_and_its_blocks(text: str) -> None:
    stored, blocks = normalized_page(text)
    assert stored == normalize_page(text)
    assert blocks == normalized_blocks(text)
    if stored == text:
        assert stored is text  # the short way: the same str, whose bytes make_page may reuse


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "str"])
def test_make_page_gives_the_stored_text_fingerprints_and_key_whatever_the_input(text: str, encoding: str) -> None:
    if encoding == "str":
        data: bytes | str = text
    else:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            pytest.skip(f"{encoding} cannot hold this text")
    page = make_page("d", ORIGIN, data)
    if not normalized_blocks(text):
        assert not isinstance(page, Page)
        return
    assert isinstance(page, Page)
    if encoding == "cp1252" and page.input_encoding != "cp1252":
        pytest.skip("a short cp1252 text taken for another code page")  # decoding's guess, not this test's subject
    stored, fingerprints, key = _expected(text, page.source)
    assert page.text == stored
    assert list(page.fingerprints) == fingerprints
    assert page.text_key == key


def test_nul_bytes_removed_from_a_stored_page_are_not_in_its_key() -> None:
    page = make_page("d", ORIGIN, b"first\x00 block\n\nsecond block\n")
    assert isinstance(page, Page) and page.repairs
    assert page.text == "first block\n\nsecond block"
    assert page.text_key == _expected(page.text, page.source)[2]


def test_text_keys_tell_sources_and_texts_apart() -> None:
    pages = [make_page("d", Origin("f", "f", folder), text.encode()) for folder in ("a", "b")
             for text in ("same text\n", "same text", "other text")]
    keys = [page.text_key for page in pages]
    assert keys[0] == keys[1] and keys[3] == keys[4]  # a newline at the end is not part of the stored text
    assert len(set(keys)) == 4


def test_utf8_bom_page() -> None:
    page = make_page("d", ORIGIN, codecs.BOM_UTF8 + "Straße\n\nzwei".encode())
    assert isinstance(page, Page)
    assert page.text == "Straße\n\nzwei"
    assert page.text_key == _expected(page.text, page.source)[2]
