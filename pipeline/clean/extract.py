"""One page to one article: drop chrome, find the header and the body, keep the evidence."""

from __future__ import annotations

import hashlib
from collections import Counter

from pipeline.clean.chrome import Shape, appeal_blocks, chrome_reason, shape_of
from pipeline.clean.dates import find_dateline, parse_published_at
from pipeline.clean.normalize import split_blocks
from pipeline.clean.site_chrome import SiteChromeModel
from pipeline.clean.structure import find_header
from pipeline.schema import Article, Page, Rejection


def content_hash(body: str) -> str:
    """The identity of an article's text for exact-duplicate detection."""
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def extract_article(page: Page, site_model: SiteChromeModel, min_body_words: int = 20) -> Article | Rejection:
    blocks = split_blocks(page.text)
    removed: dict[int, str] = {}
    for index, block in enumerate(blocks):
        if site_model.is_chrome(page.source, block):
            removed[index] = "site_repeat"
        elif reason := chrome_reason(block):
            removed[index] = reason
    for index in appeal_blocks(blocks):
        removed.setdefault(index, "appeal")

    shapes = [shape_of(block) for block in blocks]
    good = [i for i, shape in enumerate(shapes) if shape is Shape.GOOD and i not in removed]
    dateline = find_dateline([b if i not in removed else "" for i, b in enumerate(blocks)], url=page.url)
    anchor = dateline.index if dateline and dateline.index >= 0 and _in_header_zone(dateline.index, blocks, good) else None
    header_search_end = anchor + 1 if anchor is not None else _first_body_run(good, shapes, removed, len(blocks))
    header = find_header(blocks, anchor, header_search_end, page.url, set(removed))

    body_indices = _body_indices(shapes, removed, header.indices, good)
    body_paragraphs = [blocks[i] for i in body_indices]
    body = "\n\n".join(body_paragraphs)
    word_count = len(body.split())
    if word_count < min_body_words:
        return Rejection(page.doc_id, page.source_file, "clean", "no_article",
                         f"{page.source_file}: no article text found ({word_count} words of body in "
                         f"{len(blocks)} blocks)", page.text.encode("utf-8"))

    for index in range(len(blocks)):
        if index not in body_indices and index not in header.indices:
            removed.setdefault(index, "outside_body")
    published_at, as_written = None, None
    if anchor is not None and dateline is not None:
        published_at, as_written = dateline.published_at, dateline.as_written
    elif page.published_hint:
        published_at, as_written = parse_published_at(page.published_hint), page.published_hint
    elif dateline is not None:
        published_at, as_written = dateline.published_at, dateline.as_written
    title = page.title_hint or header.title
    direct = sum(len(blocks[i].split()) for i in body_indices if shapes[i] is Shape.GOOD)
    return Article(
        doc_id=page.doc_id,
        source=page.source,
        source_file=page.source_file,
        url=page.url,
        title=title,
        subtitle=header.subtitle,
        authors=header.authors,
        published_at=published_at,
        published_at_as_written=as_written,
        body=body,
        word_count=word_count,
        content_hash=content_hash(body),
        blocks_total=len(blocks),
        blocks_removed=dict(Counter(removed.values())),
        body_confidence=round(direct / word_count, 4),
        input_encoding=page.input_encoding,
        repairs=page.repairs,
    )


def _in_header_zone(index: int, blocks: list[str], good: list[int]) -> bool:
    """A dateline heads the article only if most of the article-like text comes after it."""
    words = [len(blocks[i].split()) for i in good]
    before = sum(w for i, w in zip(good, words, strict=True) if i < index)
    return before < 0.3 * max(sum(words), 1)


def _first_body_run(good: list[int], shapes: list[Shape], removed: dict[int, str], total: int) -> int:
    """Where the body starts without a dateline: the first good block followed by article-like text."""
    for index in good:
        following = next((j for j in range(index + 1, total) if j not in removed), None)
        if following is not None and shapes[following] in (Shape.GOOD, Shape.NEAR):
            return index
    return good[0] if good else total


def _body_indices(shapes: list[Shape], removed: dict[int, str], header: set[int], good: list[int]) -> list[int]:
    """Good blocks after the header, and near-good blocks between them (jusText's context pass)."""
    start = max(header, default=-1) + 1
    good_after = [i for i in good if i >= start]
    if not good_after:
        return []
    first, last = good_after[0], good_after[-1]
    body = []
    for index in range(first, last + 1):
        if index in removed or index in header:
            continue
        if shapes[index] is Shape.GOOD or shapes[index] is Shape.NEAR:
            body.append(index)
    return body
