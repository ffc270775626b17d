"""A deterministic, multilingual corpus of scraped news pages for `python -m pipeline bench`.

Why generated: a benchmark must run anywhere (CI, a laptop, a container) without downloading data,
and the same arguments must give the same bytes so two runs compare. Why not lorem ipsum: the
cleaner weighs blocks by their stop words and the language detector by real n-grams, so fake words
would make both take paths real pages never take. The words come from jusText's stop lists, which
the pipeline already installs: they are the most frequent words of each language's Wikipedia
(function words first, then common nouns, verbs and adjectives), so sentences built from them read
as that language to langdetect and look like prose to the block classifier.

Every site has its own chrome (navigation, appeals, related links, footer), its own byline and
dateline shapes and one language; pages are 3-8 KB. Text files go to `<out>/<site>/<n>.txt` (the
folder names the site, as in a real dump); `write_jsonl` writes the same pages as one JSON Lines
dump with ids and URLs, for the memory check on one big file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.clean.stopwords import STOPLIST_NAMES, _stoplist_dir

# The languages of the corpus (25, as in the measurement); all have a jusText stop list and a
# langdetect profile.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "sv", "da", "fi", "cs", "hu", "ro",
             "tr", "el", "bg", "uk", "hr", "id", "vi", "ar", "fa", "ko")
SITES_PER_LANGUAGE = 2
MIN_PAGE_BYTES, MAX_PAGE_BYTES = 3_000, 8_000
# Full month names for the dateline of a few languages; the others write numeric dates, as many sites do.
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
}
BYLINE_WORD = {"en": "By", "de": "Von", "fr": "Par", "es": "Por", "it": "Di", "pt": "Por", "nl": "Door",
               "pl": "Autor:", "sv": "Av", "da": "Af", "ru": "Автор:", "tr": "Yazar:"}
FIRST_NAMES = ("Maria", "Anna", "Jan", "Peter", "Elena", "Luca", "Sofia", "Ahmed", "Olga", "Marek", "Ines",
               "Tomas", "Laura", "Mehmet", "Nina", "Pablo", "Karin", "Yusuf", "Eva", "Andrei")
LAST_NAMES = ("Lopez", "Schmidt", "Rossi", "Novak", "Dubois", "Kowalski", "Petrov", "Jensen", "Silva", "Horvat",
              "Yilmaz", "Nagy", "Popescu", "Virtanen", "Smith", "Janssen", "Costa", "Berg", "Ivanova", "Kaya")
SECTIONS = ("World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion", "Tech", "Health")
BASE_DATE = dt.datetime(2024, 1, 1, 6, 0)


@dataclass(frozen=True, slots=True)
class Site:
    name: str  # folder name and host
    language: str
    nav: str
    appeal: str
    footer: str
    cookie: str
    byline_above_title: bool
    numeric_dates: bool


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    site: Site
    number: int
    title: str
    text: str
    published: dt.datetime

    @property
    def relative_path(self) -> str:
        return f"{self.site.name}/{self.number:06d}.txt"

    @property
    def url(self) -> str:
        return f"https://www.{self.site.name}/{self.published:%Y/%m/%d}/story-{self.number}"


@cache
def words(language: str) -> tuple[str, ...]:
    """jusText's stop list of the language: its most frequent words, the commonest first."""
    path = os.path.join(_stoplist_dir(), f"{STOPLIST_NAMES[language]}.txt")
    with open(path, encoding="utf-8") as handle:
        listed = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    return tuple(w for w in listed if w.isalpha())[:600]


def _sentence(rng: random.Random, vocabulary: tuple[str, ...], low: int = 8, high: int = 22) -> str:
    # Zipf-like draw: frequent words often, rarer ones now and then, as in prose.
    count = rng.randint(low, high)
    picked = [vocabulary[min(int(rng.paretovariate(0.9)) - 1 + rng.randrange(3), len(vocabulary) - 1)]
              if rng.random() < 0.5 else rng.choice(vocabulary) for _ in range(count)]
    text = " ".join(picked)
    if rng.random() < 0.15:
        middle = len(text) // 2
        cut = text.find(" ", middle)
        if cut > 0:
            text = f"{text[:cut]},{text[cut:]}"
    return text[:1].upper() + text[1:] + rng.choice(".....?!")


def _headline(rng: random.Random, vocabulary: tuple[str, ...]) -> str:
    return _sentence(rng, vocabulary, 5, 11).rstrip(".?!")


def make_sites(seed: int = 0) -> list[Site]:
    """Two sites per language, each with chrome of its own, in that language where it is text."""
    rng = random.Random(seed)
    sites = []
    for language in LANGUAGES:
        vocabulary = words(language)
        for number in range(SITES_PER_LANGUAGE):
            name = f"{language}-news{number + 1}.example"
            nav = " | ".join(rng.sample(SECTIONS, 6))
            appeal = _sentence(rng, vocabulary, 12, 20) + " " + _sentence(rng, vocabulary, 6, 10)
            footer = f"© 2024 {name}. " + _headline(rng, vocabulary) + " | Impressum | Privacy | Contact"
            cookie = "We use cookies. " + _headline(rng, vocabulary) + ". Accept"
            sites.append(Site(name, language, nav, appeal, footer, cookie, rng.random() < 0.3, rng.random() < 0.5))
    return sites


def _dateline(rng: random.Random, site: Site, when: dt.datetime) -> str:
    months = MONTHS.get(site.language)
    if months and not site.numeric_dates:
        month = months.split()[when.month - 1]
        if site.language == "en":
            return f"{when.day} {month} {when.year} {when:%H:%M} GMT"
        return f"{when.day}. {month} {when.year}, {when:%H:%M}" if site.language == "de" else \
            f"{when.day} {month} {when.year} {when:%H:%M}"
    return f"{when:%d.%m.%Y %H:%M}" if rng.random() < 0.7 else f"{when:%Y-%m-%d %H:%M}"


def make_page(site: Site, number: int, rng: random.Random, min_bytes: int = MIN_PAGE_BYTES,
              max_bytes: int = MAX_PAGE_BYTES) -> GeneratedPage:
    """One page: site chrome around a title, subtitle, byline, dateline and paragraphs, 3-8 KB by default."""
    vocabulary = words(site.language)
    when = BASE_DATE + dt.timedelta(minutes=rng.randrange(60 * 24 * 300))
    title = _headline(rng, vocabulary)
    byline = f"{BYLINE_WORD.get(site.language, '')} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}".strip()
    head = [site.cookie, site.nav, rng.choice(SECTIONS)]
    if site.byline_above_title:
        head += [byline, title]
    else:
        head += [title]
    head += [_sentence(rng, vocabulary, 10, 18)]  # subtitle
    if not site.byline_above_title:
        head += [byline]
    head += [_dateline(rng, site, when)]
    target = rng.randint(min_bytes, max_bytes)
    tail = [site.appeal, "Related:", *(_headline(rng, vocabulary) for _ in range(3)), site.footer]
    size = sum(len(b.encode("utf-8")) + 2 for b in head + tail)
    body: list[str] = []
    while True:
        paragraph = " ".join(_sentence(rng, vocabulary) for _ in range(rng.randint(2, 5)))
        if size + len(paragraph.encode("utf-8")) + 2 > target and size >= min_bytes:
            break
        body.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        if len(body) == 3 and rng.random() < 0.5:  # an in-article teaser, as news sites put one
            related = "Read also: " + _headline(rng, vocabulary)
            body.append(related)
            size += len(related.encode("utf-8")) + 2
    text = "\n\n".join(head + body + tail) + "\n"
    return GeneratedPage(site, number, title, text, when)


def generate(articles: int, seed: int = 0, min_bytes: int = MIN_PAGE_BYTES,
             max_bytes: int = MAX_PAGE_BYTES) -> Iterator[GeneratedPage]:
    """`articles` pages, round-robin over the sites, the same ones for the same arguments."""
    sites = make_sites(seed)
    rng = random.Random(seed + 1)
    for number in range(articles):
        yield make_page(sites[number % len(sites)], number, rng, min_bytes, max_bytes)


def write_text_corpus(root: str, articles: int, seed: int = 0, min_bytes: int = MIN_PAGE_BYTES,
                      max_bytes: int = MAX_PAGE_BYTES) -> dict[str, str]:
    """One .txt per page under `<root>/<site>/`; returns {relative path: language} for the floor loop."""
    languages: dict[str, str] = {}
    made: set[str] = set()
    for page in generate(articles, seed, min_bytes, max_bytes):
        folder = os.path.join(root, page.site.name)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(os.path.join(root, page.relative_path), "w", encoding="utf-8") as handle:
            handle.write(page.text)
        languages[page.relative_path] = page.site.language
    return languages


def write_jsonl(path: str, articles: int | None = None, seed: int = 0, target_bytes: int | None = None) -> int:
    """The pages as one JSON Lines dump (id, url, text): `articles` of them, or as many as make
    `target_bytes`; every page is new (no duplicates). Returns the number of lines written."""
    lines = written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for page in generate(articles if articles is not None else 1 << 40, seed):
            if target_bytes is not None and written >= target_bytes:
                break
            record = {"id": f"{page.site.name}-{page.number}", "url": page.url, "text": page.text}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            lines += 1
    return lines
